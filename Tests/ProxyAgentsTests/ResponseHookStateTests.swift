import LlamaSmartProxyPluginContract
import Testing

/// `ResponseHookState`: the model's answer and the hook's verdicts in, what the client gets out.
/// Each case replays a script of events and checks every action, in order.
@Suite struct ResponseHookStateTests {
    typealias Action = ResponseHookState.Action

    enum Step {
        case head(round: Int, status: Int, eventStream: Bool)
        case event(round: Int, String)
        case body(round: Int, String)
        case ended(round: Int, complete: Bool)
        case verdict(HookVerdict, round: Int)
        case deadline
        case clientGone
        case refused(String)
    }

    static func run(streams: Bool, maxRounds: Int = 8, maxWholeBytes: Int = 1 << 20, _ steps: [Step]) -> [[Action]] {
        var state = ResponseHookState(clientStreams: streams, maxRounds: maxRounds, maxWholeBytes: maxWholeBytes)
        return steps.map { step in
            switch step {
            case .head(let round, let status, let eventStream): state.answerHead(round: round, status: status, isEventStream: eventStream)
            case .event(let round, let data): state.event(round: round, data: Array(data.utf8))
            case .body(let round, let piece): state.answerBody(round: round, piece: Array(piece.utf8)[...])
            case .ended(let round, let complete): state.answerEnded(round: round, complete: complete)
            case .verdict(let verdict, let round): state.verdict(verdict, round: round)
            case .deadline: state.deadlinePassed(seconds: 2)
            case .clientGone: state.clientGone()
            case .refused(let message): state.roundRefused(message)
            }
        }
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    static func ask(_ round: Int, _ part: AnswerPart, _ data: String = "") -> Action { .ask(round: round, part: part, data: bytes(data)) }
    static let closing: [Action] = [.pauseDeadline, .close]

    @Test func aWholeAnswerIsShownOnceAndPassesByteForByte() {
        let actions = Self.run(streams: false, [
            .head(round: 0, status: 200, eventStream: false), .body(round: 0, "{\"a\":"), .body(round: 0, "1}"),
            .ended(round: 0, complete: true), .verdict(.pass, round: 0),
        ])
        #expect(actions == [[], [], [], [Self.ask(0, .whole, "{\"a\":1}"), .armDeadline], [.sendWhole(Self.bytes("{\"a\":1}"))] + Self.closing])
    }

    @Test func aWholeAnswerIsReplacedOrAskedAgainOrFailed() {
        let replaced = Self.run(streams: false, [
            .head(round: 0, status: 200, eventStream: false), .body(round: 0, "x"), .ended(round: 0, complete: true),
            .verdict(.replace("y"), round: 0),
        ])
        #expect(replaced.last == [.sendWhole(Self.bytes("y"))] + Self.closing)
        let retried = Self.run(streams: false, [
            .head(round: 0, status: 200, eventStream: false), .body(round: 0, "bad"), .ended(round: 0, complete: true),
            .verdict(.retry(requestJSON: "{\"q\":2}"), round: 0),
            .head(round: 1, status: 200, eventStream: false), .body(round: 1, "good"), .ended(round: 1, complete: true),
            .verdict(.pass, round: 1),
        ])
        // The state sets the round's `stream` to the client's.
        #expect(retried[3] == [.startRound(1, requestJSON: Self.bytes("{\"q\":2,\"stream\":false}")), .pauseDeadline])
        #expect(retried[6] == [Self.ask(1, .whole, "good"), .armDeadline])  // the first round's body is not kept
        #expect(retried[7] == [.sendWhole(Self.bytes("good"))] + Self.closing)
        let failed = Self.run(streams: false, [
            .head(round: 0, status: 200, eventStream: false), .ended(round: 0, complete: true), .verdict(.fail(status: 422, message: "no"), round: 0),
        ])
        #expect(failed.last == [.fail(status: 422, message: "no", code: "hook_failed")] + Self.closing)
    }

    @Test func chunksPassHoldDropAndReplaceInOrder() {
        let actions = Self.run(streams: true, [
            .head(round: 0, status: 200, eventStream: true),
            .event(round: 0, "a"), .event(round: 0, "b"), .event(round: 0, "c"), .event(round: 0, "d"), .event(round: 0, "e"),
            .verdict(.hold, round: 0), .verdict(.hold, round: 0), .verdict(.pass, round: 0), .verdict(.drop, round: 0),
            .verdict(.replace("E"), round: 0),
            .ended(round: 0, complete: true), .verdict(.pass, round: 0),
        ])
        #expect(actions[1] == [Self.ask(0, .chunk, "a"), .armDeadline])
        #expect(actions[2] == [Self.ask(0, .chunk, "b")])  // the deadline runs for the oldest call
        #expect(actions[6] == [.armDeadline])  // a: held; b is the oldest call now
        #expect(actions[7] == [.armDeadline])
        #expect(actions[8] == [.startStream, .sendEvents([Self.bytes("a"), Self.bytes("b"), Self.bytes("c")]), .armDeadline])
        #expect(actions[9] == [.armDeadline])
        #expect(actions[10] == [.sendEvents([Self.bytes("E")]), .pauseDeadline])
        #expect(actions[11] == [Self.ask(0, .end), .armDeadline])
        #expect(actions[12] == [.endStream] + Self.closing)
    }

    @Test func theEndDecidesWhatWasHeld() {
        func ending(_ verdict: HookVerdict) -> [Action] {
            Self.run(streams: true, [
                .head(round: 0, status: 200, eventStream: true), .event(round: 0, "a"), .verdict(.hold, round: 0),
                .ended(round: 0, complete: true), .verdict(verdict, round: 0),
            ]).last!
        }
        #expect(ending(.pass) == [.startStream, .sendEvents([Self.bytes("a")]), .endStream] + Self.closing)
        #expect(ending(.drop) == [.startStream, .endStream] + Self.closing)
        #expect(ending(.replace("z")) == [.startStream, .sendEvents([Self.bytes("z")]), .endStream] + Self.closing)
        #expect(ending(.retry(requestJSON: "{}")) == [.startRound(1, requestJSON: Self.bytes("{\"stream\":true}")), .pauseDeadline])
        #expect(ending(.fail(status: 502, message: "bad")) == [.fail(status: 502, message: "bad", code: "hook_failed")] + Self.closing)
        #expect(ending(.hold) == [.fail(status: 500, message: "the response hook's verdict hold does not fit the end of a stream",
                                        code: "hook_failed")] + Self.closing)
    }

    @Test func aRetryAtAChunkStopsTheCallAndIgnoresWhatItsRoundStillSends() {
        let actions = Self.run(streams: true, [
            .head(round: 0, status: 200, eventStream: true), .event(round: 0, "a"), .event(round: 0, "b"),
            .verdict(.retry(requestJSON: "{}"), round: 0),
            .verdict(.pass, round: 0), .event(round: 0, "late"), .ended(round: 0, complete: false),
            .head(round: 1, status: 200, eventStream: true), .event(round: 1, "x"), .verdict(.pass, round: 1),
        ])
        #expect(actions[3] == [.stopCall, .startRound(1, requestJSON: Self.bytes("{\"stream\":true}")), .pauseDeadline])
        #expect(actions[4] == [] && actions[5] == [] && actions[6] == [])
        #expect(actions[8] == [Self.ask(1, .chunk, "x"), .armDeadline])
        #expect(actions[9] == [.startStream, .sendEvents([Self.bytes("x")]), .pauseDeadline])
    }

    @Test func anAnswerThatIsNot200PassesThroughUntilTheStreamStarted() {
        let passed = Self.run(streams: true, [
            .head(round: 0, status: 401, eventStream: false), .body(round: 0, "{\"error\":1}"), .ended(round: 0, complete: true),
        ])
        #expect(passed == [[.passThrough], [.forwardBody(Self.bytes("{\"error\":1}")[...])], [.finishForwarded(complete: true)] + Self.closing])
        // Whole asked for, a stream answered: not the shape the hook expects, passed as it came.
        #expect(Self.run(streams: false, [.head(round: 0, status: 200, eventStream: true)]) == [[.passThrough]])
        let afterChunks = Self.run(streams: true, [
            .head(round: 0, status: 200, eventStream: true), .event(round: 0, "a"), .verdict(.pass, round: 0),
            .ended(round: 0, complete: true), .verdict(.retry(requestJSON: "{}"), round: 0),
            .head(round: 1, status: 503, eventStream: false),
        ])
        #expect(afterChunks.last == [.stopCall, .failStream(
            status: 502, message: "the model answered the response hook's new request with status 503", code: "upstream_error")] + Self.closing)
    }

    @Test func aCutStreamADeadlineAndAGoneClientEndTheExchangeOnce() {
        let cut = Self.run(streams: true, [
            .head(round: 0, status: 200, eventStream: true), .event(round: 0, "a"), .verdict(.pass, round: 0), .ended(round: 0, complete: false),
        ])
        #expect(cut.last == [.failStream(status: 502, message: "the model's answer ended before its end", code: "upstream_stream_cut")]
            + Self.closing)
        let late = Self.run(streams: false, [
            .head(round: 0, status: 200, eventStream: false), .ended(round: 0, complete: true), .deadline, .verdict(.pass, round: 0),
        ])
        #expect(late[2] == [.stopCall, .fail(status: 504, message: "the response hook did not answer within 2.0 s", code: "hook_timeout")]
            + Self.closing)
        #expect(late[3] == [])
        let gone = Self.run(streams: true, [.head(round: 0, status: 200, eventStream: true), .event(round: 0, "a"), .clientGone, .clientGone,
                                            .verdict(.pass, round: 0)])
        #expect(gone[2] == [.stopCall] + Self.closing && gone[3] == [] && gone[4] == [])
        // No call outstanding: a deadline means nothing.
        #expect(Self.run(streams: true, [.head(round: 0, status: 200, eventStream: true), .deadline]).last == [])
    }

    @Test func roundsAreBoundedAndABadRetryRequestFails() {
        let actions = Self.run(streams: false, maxRounds: 2, [
            .head(round: 0, status: 200, eventStream: false), .ended(round: 0, complete: true), .verdict(.retry(requestJSON: "{}"), round: 0),
            .head(round: 1, status: 200, eventStream: false), .ended(round: 1, complete: true), .verdict(.retry(requestJSON: "{}"), round: 1),
        ])
        #expect(actions[2] == [.startRound(1, requestJSON: Self.bytes("{\"stream\":false}")), .pauseDeadline])
        #expect(actions[5] == [.fail(status: 500, message: "the response hook asked again more than 1 time(s) (limits.response_hook_rounds)",
                                     code: "hook_rounds_exceeded")] + Self.closing)
        let refused = Self.run(streams: false, [.refused("not JSON"), .head(round: 0, status: 200, eventStream: false)])
        #expect(refused == [[.fail(status: 500, message: "not JSON", code: "hook_failed")] + Self.closing, []])
    }

    @Test func eachRoundsRequestStreamsAsTheClientAskedAndMustBeAJSONObject() {
        var streaming = ResponseHookState(clientStreams: true, maxRounds: 8, maxWholeBytes: 1 << 20)
        #expect(streaming.start(Self.bytes(#"{"model":"m","stream":false}"#))
            == [.startRound(0, requestJSON: Self.bytes(#"{"model":"m","stream":true}"#))])
        var whole = ResponseHookState(clientStreams: false, maxRounds: 8, maxWholeBytes: 1 << 20)
        guard case .fail(500, let message, "hook_failed")? = whole.start(Self.bytes("[1]")).first else {
            Issue.record("a first request that is not an object must fail")
            return
        }
        #expect(message.hasPrefix("the request is not a JSON object: "))
        let retried = Self.run(streams: false, [
            .head(round: 0, status: 200, eventStream: false), .ended(round: 0, complete: true),
            .verdict(.retry(requestJSON: "not json"), round: 0),
        ])
        guard case .fail(500, let retryMessage, "hook_failed")? = retried.last?.first else {
            Issue.record("a retry that is not an object must fail: \(retried)")
            return
        }
        #expect(retryMessage.hasPrefix("the response hook asked again with a request that is not a JSON object: "))
        #expect(Array(retried.last!.dropFirst()) == Self.closing)
    }

    @Test func aWholeAnswerPastTheLimitIsRefused() {
        let actions = Self.run(streams: false, maxWholeBytes: 4, [
            .head(round: 0, status: 200, eventStream: false), .body(round: 0, "abc"), .body(round: 0, "de"), .ended(round: 0, complete: true),
        ])
        #expect(actions[2] == [.stopCall, .fail(
            status: 502, message: "the model's answer is larger than the 4 bytes a response hook reads (limits.max_body_bytes)",
            code: "answer_too_large")] + Self.closing)
        #expect(actions[3] == [])
    }

    @Test func verdictsThatDoNotFitAWholeAnswerFail() {
        for verdict in [HookVerdict.drop, .hold] {
            let actions = Self.run(streams: false, [
                .head(round: 0, status: 200, eventStream: false), .ended(round: 0, complete: true), .verdict(verdict, round: 0),
            ])
            #expect(actions.last == [.fail(status: 500, message: "the response hook's verdict \(verdict) does not fit a whole answer",
                                           code: "hook_failed")] + Self.closing)
        }
    }

    @Test func verdictsDecodeFromTheirCKinds() {
        #expect(HookVerdict.decoded(kind: 0, status: 0, text: "", hook: "h") == .pass)
        #expect(HookVerdict.decoded(kind: 1, status: 0, text: "t", hook: "h") == .replace("t"))
        #expect(HookVerdict.decoded(kind: 2, status: 0, text: "", hook: "h") == .drop)
        #expect(HookVerdict.decoded(kind: 3, status: 0, text: "", hook: "h") == .hold)
        #expect(HookVerdict.decoded(kind: 4, status: 0, text: "{}", hook: "h") == .retry(requestJSON: "{}"))
        #expect(HookVerdict.decoded(kind: 5, status: 429, text: "m", hook: "h") == .fail(status: 429, message: "m"))
        #expect(HookVerdict.decoded(kind: 5, status: 200, text: "m", hook: "h") == .fail(status: 500, message: "m"))
        #expect(HookVerdict.decoded(kind: 9, status: 0, text: "", hook: "h") == .fail(status: 500, message: "response hook h returned an unknown verdict (9)"))
    }
}
