import Testing
import HTTPCodec

@Suite struct RequestPathTests {
    @Test(arguments: [
        ("/v1/chat/completions", "/v1/chat/completions"),
        ("/v1/chat/completions?x=1", "/v1/chat/completions"),
        ("/v1/models/a?b?c", "/v1/models/a"),
        ("/?", "/"),
        ("?only=query", ""),
        ("", ""),
        ("*", "*"),
    ])
    func pathIsTheTargetWithoutItsQuery(target: String, expected: String) {
        #expect(HTTPRequestHead(method: "GET", target: target).path == expected)
    }
}
