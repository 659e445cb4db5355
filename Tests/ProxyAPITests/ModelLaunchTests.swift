import Testing
import ProxyPool
@testable import ProxyAPI

@Suite struct ModelLaunchTests {
    func launch(_ arguments: [String]) -> LaunchSpec {
        ModelLaunch(spec: LaunchSpec(modelID: "m", executable: "llama-server", arguments: arguments)).spec
    }

    @Test func twoRequestsPerSlotGoThroughAndTheChildGetsThreadsForThem() {
        #expect(launch([]).concurrencyLimit == 8)  // llama-server's default of 4 slots
        #expect(launch([]).arguments == ["--threads-http", "10", "--fit", "off"])
        #expect(launch(["-np", "1"]).concurrencyLimit == 2)
        #expect(launch(["-np", "1"]).arguments == ["-np", "1", "--threads-http", "4", "--fit", "off"])
        #expect(launch(["--parallel", "3", "-np", "2"]).concurrencyLimit == 4)  // the last one counts
    }

    @Test func explicitHTTPThreadsBoundTheLimit() {
        let spec = launch(["-np", "4", "--threads-http", "5"])
        #expect(spec.concurrencyLimit == 3)
        #expect(spec.arguments == ["-np", "4", "--threads-http", "5", "--fit", "off"])
        #expect(launch(["--threads-http", "1"]).concurrencyLimit == 1)
    }

    @Test func childrenGetFitOffUnlessTheirArgumentsChooseFitting() {
        #expect(launch(["-c", "512"]).arguments == ["-c", "512", "--threads-http", "10", "--fit", "off"])
        for own in [["--fit", "on"], ["-fit", "off"], ["--fit=on"], ["--fit-target", "512"], ["-fitt", "1024"], ["--fit-ctx", "4096"], ["-fitc=8"]] {
            #expect(launch(own).arguments == own + ["--threads-http", "10"], "\(own)")
        }
        #expect(launch(["--fitness"]).arguments.suffix(2) == ["--fit", "off"])  // another flag entirely
    }
}
