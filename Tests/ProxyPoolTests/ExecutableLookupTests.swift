import Testing
@testable import ProxyPool

@Suite struct ExecutableLookupTests {
    @Test func executableNamesAreLookedUpOnThePath() {
        #expect(ExecutableLookup.resolve("sh", searchPath: "/nonexistent:/bin") == "/bin/sh")
        #expect(ExecutableLookup.resolve("./relative", searchPath: "/bin") == "./relative")
        #expect(ExecutableLookup.resolve("no-such-tool-here", searchPath: "/bin") == "no-such-tool-here")
    }
}
