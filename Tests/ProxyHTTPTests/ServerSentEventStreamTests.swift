import Testing

@testable import ProxyHTTP

/// The event-boundary tracking that lets a broken event stream end with a well-formed error event.
@Suite struct ServerSentEventStreamTests {
    private func stream(_ pieces: [String]) -> ServerSentEventStream {
        var stream = ServerSentEventStream()
        for piece in pieces { stream.relayed(Array(piece.utf8)[...]) }
        return stream
    }

    @Test func aFreshStreamIsAtABoundary() {
        #expect(ServerSentEventStream().isAtEventBoundary)
        #expect(ServerSentEventStream().bytesToEventBoundary.isEmpty)
    }

    @Test(arguments: [
        ["data: 1\n\n"], ["data: 1\r\n\r\n"], ["data: 1\r\r"], ["data: 1\n", "\n"], ["data: 1\r\n", "\r", "\n"],
        ["data: 1\n\n", "\n"],
    ])
    func completeEventsEndAtABoundary(_ pieces: [String]) {
        let stream = stream(pieces)
        #expect(stream.isAtEventBoundary)
        #expect(stream.bytesToEventBoundary.isEmpty)
    }

    @Test(arguments: [
        (["data: 1"], "\n\n"),
        (["data: 1\n"], "\n"),
        (["data: 1\r\n"], "\n"),
        (["data: 1\r"], "\r\n"),
        (["data: 1\n\n", "data: 2"], "\n\n"),
        (["data: 1\r\n", "\r"], ""),
        (["data: 1\r", "\n"], "\n"),
    ])
    func anEventCutShortIsClosedByTheLineEndsItLacks(_ pieces: [String], missing: String) {
        let stream = stream(pieces)
        #expect(stream.bytesToEventBoundary == Array(missing.utf8))
        var closed = stream
        closed.relayed(stream.bytesToEventBoundary[...])
        #expect(closed.isAtEventBoundary)
    }

    @Test func theErrorEventIsOneOpenAIShapedDataLineAndABlankLine() {
        let event = stream(["data: {\"a\":"]).errorEvent(message: "gone", type: "server_error", code: "upstream_error")
        #expect(String(decoding: event, as: UTF8.self)
            == "\n\ndata: {\"error\":{\"message\":\"gone\",\"type\":\"server_error\",\"code\":\"upstream_error\"}}\n\n")
    }

    @Test(arguments: [
        ("text/event-stream", true), ("text/event-stream; charset=utf-8", true), ("Text/Event-Stream", true),
        (" text/event-stream ", true), ("application/json", false), ("text/event-streams", false),
    ])
    func eventStreamsAreRecognisedByTheirMediaType(_ contentType: String, expected: Bool) {
        #expect(ServerSentEventStream.isEventStream(contentType: contentType) == expected)
    }

    @Test func noContentTypeIsNoEventStream() {
        #expect(!ServerSentEventStream.isEventStream(contentType: nil))
    }
}

/// The events an early event stream writes on its own: comments and data, a line per line.
@Suite struct ServerSentEventWritingTests {
    private func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func aCommentIsOneLineAndABlankLine() {
        #expect(string(ServerSentEventStream.commentEvent("loading tiny-a 5 s")) == ": loading tiny-a 5 s\n\n")
        #expect(string(ServerSentEventStream.commentEvent("two\nlines\r\nhere\rend")) == ": two\n: lines\n: here\n: end\n\n")
    }

    @Test func dataOfSeveralLinesBecomesSeveralDataLines() {
        #expect(string(ServerSentEventStream.dataEvent(Array(#"{"a":1}"#.utf8))) == "data: {\"a\":1}\n\n")
        #expect(string(ServerSentEventStream.dataEvent(Array("{\n  \"a\": 1\r\n}\n".utf8))) == "data: {\ndata:   \"a\": 1\ndata: }\n\n")
        #expect(string(ServerSentEventStream.dataEvent([])) == "data: \n\n")
    }

    @Test func writtenEventsEndAtABoundary() {
        var stream = ServerSentEventStream()
        stream.relayed(ServerSentEventStream.commentEvent("x")[...])
        #expect(stream.isAtEventBoundary)
        stream.relayed(ServerSentEventStream.dataEvent(Array("a\nb".utf8))[...])
        #expect(stream.isAtEventBoundary)
    }
}
