import Testing
import ProxyPool
@testable import ProxyAPI

@Suite struct ModelLaunchTests {
    func launch(_ arguments: [String]) -> LaunchSpec {
        ModelLaunch(spec: LaunchSpec(modelID: "m", executable: "llama-server", arguments: arguments)).spec
    }

    @Test func twoRequestsPerSlotGoThroughAndTheChildGetsThreadsForThem() {
        #expect(launch([]).concurrencyLimit == 8)  // llama-server's default of 4 slots
        #expect(launch([]).arguments == ["--threads-http", "10"])
        #expect(launch(["-np", "1"]).concurrencyLimit == 2)
        #expect(launch(["-np", "1"]).arguments == ["-np", "1", "--threads-http", "4"])
        #expect(launch(["--parallel", "3", "-np", "2"]).concurrencyLimit == 4)  // the last one counts
    }

    @Test func explicitHTTPThreadsBoundTheLimit() {
        let spec = launch(["-np", "4", "--threads-http", "5"])
        #expect(spec.concurrencyLimit == 3)
        #expect(spec.arguments == ["-np", "4", "--threads-http", "5"])
        #expect(launch(["--threads-http", "1"]).concurrencyLimit == 1)
    }
}
