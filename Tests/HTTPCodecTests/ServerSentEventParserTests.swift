import Testing
@testable import HTTPCodec

/// The event-stream interpretation as byte tables, each replayed whole and byte by byte.
@Suite struct ServerSentEventParserTests {
    static let cases: [(String, [String])] = [
        ("data: {\"a\":1}\n\n", [#"{"a":1}"#]),
        ("data: one\n\ndata: two\n\n", ["one", "two"]),
        ("data:no-space\n\n", ["no-space"]),
        ("data:  two spaces\n\n", [" two spaces"]),  // only one leading space is dropped
        ("data: a\ndata: b\n\n", ["a\nb"]),
        ("data: crlf\r\n\r\n", ["crlf"]),
        ("data: cr\r\rdata: next\r\r", ["cr", "next"]),
        (": loading tiny-a 3 s\n\ndata: x\n\n", ["x"]),  // comments are skipped
        ("event: ping\nid: 7\nretry: 10\n\n", []),  // no data: nothing dispatched
        ("event: message\ndata: y\nid: 1\n\n", ["y"]),
        ("data\n\n", [""]),  // a field without a colon has an empty value
        ("data: [DONE]\n\n", ["[DONE]"]),
        ("data: unfinished", []),  // no blank line yet
        ("\n\n\n", []),
        ("datum: x\n\n", []),
    ]

    @Test(arguments: cases)
    func splitsEvents(_ input: String, _ expected: [String]) {
        var whole = ServerSentEventParser()
        #expect(whole.feed(Array(input.utf8)).map { String(decoding: $0, as: UTF8.self) } == expected)
        var byByte = ServerSentEventParser()
        var events: [[UInt8]] = []
        for byte in input.utf8 { events += byByte.feed([byte]) }
        #expect(events.map { String(decoding: $0, as: UTF8.self) } == expected)
    }

    @Test func aLineLongerThanTheLimitIsCutThere() {
        var parser = ServerSentEventParser(maximumLineBytes: 10)
        let events = parser.feed(Array(("data: " + String(repeating: "x", count: 100) + "\n\n").utf8))
        #expect(events == [Array("xxxx".utf8)])
    }
}
