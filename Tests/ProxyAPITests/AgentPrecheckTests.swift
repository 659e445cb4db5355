import Testing

@testable import ProxyAPI

/// The one check every request pays when plugins are loaded: is there a `"/` in the body at all?
@Suite struct AgentPrecheckTests {
    @Test(arguments: [
        (#"{"messages":[{"role":"user","content":"/help"}]}"#, true),
        (#"{"url":"/x"}"#, true),
        (#"{"messages":[{"role":"user","content":"a/b and /c"}]}"#, false),
        (#"{"image":"data:image/png;base64,ab/cd//ef"}"#, false),
        ("\"/", true),
        ("/", false),
        ("", false),
        ("/\"/", true),
    ])
    func findsAQuoteFollowedByASlash(body: String, expected: Bool) {
        #expect(AgentInvocationRequest.containsQuoteSlash(Array(body.utf8)) == expected)
    }

    @Test func aLargeBodyWithManySlashesButNoCommand() {
        let body = Array(("{\"image\":\"" + String(repeating: "ab/c", count: 1_000_000) + "\"}").utf8)
        #expect(!AgentInvocationRequest.containsQuoteSlash(body))
        #expect(AgentInvocationRequest.containsQuoteSlash(body + Array(",\"/".utf8)))
    }
}
