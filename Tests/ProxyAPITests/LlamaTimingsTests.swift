import ProxyHTTP
import ProxyJSON
import Testing

@testable import ProxyAPI

/// The timings reader on llama-server's answers as they come, whole and split at every byte.
@Suite struct LlamaTimingsTests {
    static let timingsJSON = #"{"cache_n":0,"prompt_n":12,"prompt_ms":30.5,"prompt_per_token_ms":2.54,"prompt_per_second":393.44,"predicted_n":7,"predicted_ms":100.0,"predicted_per_token_ms":14.28,"predicted_per_second":70.0}"#
    static let expected = LlamaTimings(promptTokens: 12, promptPerSecond: 393.44, predictedTokens: 7, predictedPerSecond: 70)

    static let jsonBody = #"{"choices":[{"finish_reason":"length","index":0,"message":{"role":"assistant","content":"a \"timings\": {\"prompt_n\": 99} b"}}],"created":1,"model":"m","object":"chat.completion","usage":{"completion_tokens":7,"prompt_tokens":12,"total_tokens":19},"id":"chatcmpl-x","timings":"#
        + timingsJSON + "}"

    static let stream = """
        data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":"hi \\"timings\\":{\\"prompt_n\\":5}"}}],"object":"chat.completion.chunk"}\r
        \r
        data: {"choices":[{"finish_reason":"length","index":0,"delta":{}}],"object":"chat.completion.chunk","usage":{"completion_tokens":7},"timings":\(timingsJSON)}\r
        \r
        data: [DONE]\r
        \r

        """

    @Test func aJSONBodysTopLevelTimingsAreReadNotThoseQuotedInItsContent() {
        #expect(LlamaTimings.find(in: Array(Self.jsonBody.utf8)) == Self.expected)
    }

    @Test func aStreamsLastTimingsAreRead() {
        #expect(LlamaTimings.find(in: Array(Self.stream.utf8)) == Self.expected)
    }

    @Test(arguments: [jsonBody, stream])
    func theTapReadsTheSameWhereverTheBodyIsSplit(_ body: String) {
        let bytes = Array(body.utf8)
        for split in 0...bytes.count {
            let tap = ResponseBodyTap()
            tap.head(status: 200, contentType: body == Self.stream ? "text/event-stream" : "application/json; charset=utf-8")
            tap.body(bytes[..<split])
            tap.body(bytes[split...])
            #expect(tap.tail == bytes)
            #expect(LlamaTimings.find(in: tap.tail) == Self.expected, "split at \(split)")
        }
    }

    @Test func aSmallRingKeepsOnlyTheLastBytesWhateverThePieces() {
        let bytes = Array(Self.stream.utf8)
        for pieceSize in [1, 3, 64, 299, 300, 301, 1000] {
            let tap = ResponseBodyTap(capacity: 300)
            tap.head(status: 200, contentType: "text/event-stream")
            var index = 0
            while index < bytes.count {
                tap.body(bytes[index..<min(bytes.count, index + pieceSize)])
                index += pieceSize
            }
            #expect(tap.tail == Array(bytes.suffix(300)), "pieces of \(pieceSize)")
            #expect(tap.isEventStream)
        }
    }

    /// The key and its object must both lie in the kept bytes (here: all of them, then one byte less).
    @Test func timingsCutOffByTheLookBackAreNotRead() {
        let bytes = Array(Self.jsonBody.utf8)
        #expect(LlamaTimings.find(in: Array(bytes.suffix(Self.timingsJSON.utf8.count + #""timings":}"#.utf8.count))) == Self.expected)
        #expect(LlamaTimings.find(in: Array(bytes.suffix(Self.timingsJSON.utf8.count + #"timings":}"#.utf8.count))) == nil)
    }

    @Test(arguments: [
        ("", nil),
        (#"{"timings":{}}"#, nil),
        (#"{"timings":"x"}"#, nil),
        (#"{"timings":{"prompt_n":"3"}}"#, nil),
        (#"{"timings":{"prompt_n":-1,"predicted_n":-1}}"#, LlamaTimings()),
        (#"{"timings" : { "predicted_n" : 4 , "predicted_per_second" : null } }"#, LlamaTimings(predictedTokens: 4)),
        (#"{"timings":{"prompt_n":2,"prompt_per_second":1e3}}"#, LlamaTimings(promptTokens: 2, promptPerSecond: 1000)),
        (#"{"timings":{"prompt_n":2,"nested":{"a":[1,{"b":"}"}]}}}"#, LlamaTimings(promptTokens: 2)),
        (#"{"timings":{"prompt_n":2"#, nil),
        (#"{"timings":{"prompt_n":1},"x":{"timings":{"prompt_n":2}}}"#, LlamaTimings(promptTokens: 2)),
    ] as [(String, LlamaTimings?)])
    func oddOrBrokenTimings(_ body: String, _ expected: LlamaTimings?) {
        #expect(LlamaTimings.find(in: Array(body.utf8)) == expected)
    }

    @Test func onlySuccessfulJSONOrEventStreamAnswersAreKept() {
        for (status, type, kept) in [
            (200, "application/json", true), (200, "Application/JSON ; charset=utf-8", true), (200, "text/event-stream", true),
            (500, "application/json", false), (200, "text/plain", false), (200, "application/jsonl", false), (200, nil, false),
        ] as [(Int, String?, Bool)] {
            let tap = ResponseBodyTap()
            tap.head(status: status, contentType: type)
            tap.body([1, 2, 3])
            #expect(tap.isKept == kept, "\(status) \(type ?? "-")")
            #expect(tap.tail == (kept ? [1, 2, 3] : []))
            #expect(tap.firstBodyByteAt != nil)
        }
    }

    /// The flat reader takes llama-server's shape and gives what the general parser gives; any
    /// other shape is left to the general parser (nil), never misread.
    @Test(arguments: [
        (Self.timingsJSON, true),
        (#" { "prompt_n" : 3 , "predicted_n":-1,"x":1.5e-3 } "#, true),
        (#"{}"#, true),
        (#"{"prompt_n":12,"nested":{"a":1}}"#, false),
        (#"{"prompt_n":"12"}"#, false),
        (#"{"pro\u006dpt_n":12}"#, false),
        (#"{"prompt_n":012}"#, false),
        (#"{"prompt_n":1.}"#, false),
        (#"{"prompt_n":12,}"#, false),
        (#"{"prompt_n":12} x"#, false),
        (#"{"prompt_n":true}"#, false),
    ])
    func flatObjectsAreReadWithoutTheGeneralParser(json: String, flat: Bool) throws {
        var members: [(name: String, text: String)] = []
        let isFlat = LlamaTimings.forEachFlatMember(of: Array(json.utf8)[...]) { name, number in
            members.append((String(decoding: name, as: UTF8.self), String(decoding: number, as: UTF8.self)))
        }
        #expect(isFlat == flat)
        if isFlat {
            let found = members
            let parsed = try JSONDocumentParser.parse(Array(json.utf8))
            guard case .object(let members) = parsed else {
                Issue.record("not an object: \(json)")
                return
            }
            #expect(found.map(\.name) == members.map(\.0))
            #expect(found.map { ParsedJSON.number($0.text) } == members.map(\.1))
        }
    }
}
