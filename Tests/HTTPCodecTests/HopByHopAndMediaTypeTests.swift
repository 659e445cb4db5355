import HTTPCodec
import Testing

@Suite struct HopByHopFieldsTests {
    @Test func everyHopByHopFieldIsRemovedWhateverItsCaseAndTheRestKeepTheirOrderAndSpelling() {
        let headers = HTTPHeaders([
            ("Content-Type", "application/json"), ("CONNECTION", "keep-alive"), ("Keep-Alive", "timeout=5"),
            ("Proxy-Connection", "close"), ("TE", "trailers"), ("Trailer", "x"), ("Transfer-Encoding", "chunked"),
            ("Upgrade", "h2c"), ("Proxy-Authenticate", "Basic"), ("proxy-authorization", "Basic eA=="),
            ("Expect", "100-continue"), ("Content-Length", "12"), ("X-Request-Id", "7"), ("content-type", "again"),
        ])
        let kept = headers.removingHopByHopFields()
        #expect(kept == HTTPHeaders([("Content-Type", "application/json"), ("X-Request-Id", "7"), ("content-type", "again")]))
    }

    @Test func fieldsNamedByConnectionAreRemovedWithIt() {
        let headers = HTTPHeaders([
            ("Connection", " X-Trace ,, close"), ("connection", "x-other"), ("x-trace", "1"), ("X-Other", "2"),
            ("X-Traced", "3"), ("X-Trac", "4"),
        ])
        #expect(headers.removingHopByHopFields() == HTTPHeaders([("X-Traced", "3"), ("X-Trac", "4")]))
    }

    @Test func withoutConnectionOnlyTheFixedNamesGo() {
        let headers = HTTPHeaders([("close", "1"), ("Date", "today"), ("Content-Length", "0")])
        #expect(headers.removingHopByHopFields() == HTTPHeaders([("close", "1"), ("Date", "today")]))
    }

    @Test func nonASCIINamesAreKeptAndNeverMatchAnASCIIName() {
        let headers = HTTPHeaders([("Connéction", "x"), ("Te\u{301}", "y")])
        #expect(headers.removingHopByHopFields() == headers)
    }
}

@Suite struct MediaTypeTests {
    @Test(arguments: [
        ("application/json", true), ("Application/JSON ; charset=utf-8", true), ("\tapplication/json\t;", true),
        ("application/json;charset=utf-8", true), (" application/json ", true), ("application/jsonl", false),
        ("application/jso", false), ("application / json", false), ("", false), (";application/json", false),
        ("text/event-stream", false),
    ])
    func theMediaTypeIsWhatComesBeforeTheFirstSemicolonWithoutBlanksAndCase(_ value: String, _ expected: Bool) {
        #expect(MediaType.matches(value, "application/json") == expected)
    }

    @Test func noContentTypeMatchesNothing() {
        #expect(!MediaType.matches(nil, "application/json"))
    }
}
