import Testing
@testable import ProxyPool

@Suite struct SocketPathTests {
    @Test func idsAreSanitizedForTheFileSystem() {
        #expect(SocketPath.make(directory: "/run/x", modelID: "Qwen/Qwen3 8B:Q4", instance: 3) == "/run/x/Qwen_Qwen3_8B_Q4-3.sock")
        #expect(SocketPath.make(directory: "/run/x/", modelID: "", instance: 1) == "/run/x/model-1.sock")
        #expect(SocketPath.sanitized("../\u{E9}") == "..__")
    }

    @Test func longIdsAreCutAndHashedToFitSunPath() {
        let directory = "/tmp/" + String(repeating: "d", count: 40)
        let long = String(repeating: "m", count: 200)
        let first = SocketPath.make(directory: directory, modelID: long + "1", instance: 12)
        let second = SocketPath.make(directory: directory, modelID: long + "2", instance: 12)
        #expect(first.utf8.count == SocketPath.maximumLength)
        #expect(first != second)  // the hash tells them apart even with equal instance numbers
        #expect(first.hasPrefix(directory + "/mmm"))
        #expect(first.hasSuffix("~" + SocketPath.fnv1a(long + "1") + "-12.sock"))
    }

    @Test func fnv1aMatchesTheReferenceValue() {
        #expect(SocketPath.fnv1a("") == "811c9dc5")
        #expect(SocketPath.fnv1a("a") == "e40c292c")
    }
}
