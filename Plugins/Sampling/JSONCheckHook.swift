import LlamaSmartProxyPluginSDK
import ProxyJSON
import Synchronization

/// `json-check`: a response hook that lets an answer reach the client only once its message is a
/// JSON object. A non-streamed answer is checked whole; a stream is held chunk by chunk, its
/// text collected, and checked at its end (then every held chunk goes out as it came). An answer
/// that is not a JSON object is asked for once more (the request, the bad answer and what is
/// wrong with it); a second one fails with 502. A model is tied to it by the proxy's config
/// (`models.ID.response_hook: "json-check"`); `/json-check <prompt>` ties one prompt to it.
final class JSONCheckHook: ResponseHook {
    let name = "json-check"
    let summary = "Passes an answer on only once it is a JSON object (asking again once)."

    /// The text of each open stream so far, by exchange, with the round it belongs to.
    private let streams = Mutex<[UInt64: (round: Int, text: String)]>([:])

    /// How many exchanges the hook keeps text for (0 once every exchange is closed).
    var openExchanges: Int { streams.withLock { $0.count } }

    func answer(_ answer: Answer) -> Verdict {
        switch answer.part {
        case .whole:
            return verdict(for: answer.content, in: answer)
        case .chunk:
            let delta = answer.content ?? ""
            streams.withLock { streams in
                // A retry's answer starts afresh: what the last round collected is dropped.
                if streams[answer.exchange]?.round != answer.round { streams[answer.exchange] = (answer.round, "") }
                streams[answer.exchange]!.text += delta
            }
            return .hold
        case .end:
            let text = streams.withLock { $0.removeValue(forKey: answer.exchange) }
            return verdict(for: text.map(\.text) ?? "", in: answer)
        case .closed:
            streams.withLock { _ = $0.removeValue(forKey: answer.exchange) }
            return .pass
        }
    }

    /// PASS for a JSON object; else RETRY in the first round, FAIL 502 after.
    private func verdict(for content: String?, in answer: Answer) -> Verdict {
        guard let problem = Self.problem(with: content) else { return .pass }
        guard answer.round == 0 else {
            return .fail(status: 502, message: "the model answered invalid JSON twice (\(problem))")
        }
        let retry = answer.requestAppending(messages: [
            .object(["role": .string("assistant"), "content": .string(content ?? "")]),
            .object(["role": .string("user"),
                     "content": .string("That is not valid JSON (\(problem)). Answer again with only the JSON object.")]),
        ])
        guard let retry else {
            return .fail(status: 502, message: "the model's answer is not a JSON object (\(problem)) and its request cannot be asked again")
        }
        answer.host.log("json-check: asking again: \(problem)", level: .warning)
        return .retry(requestJSON: retry)
    }

    /// Why `content` is not a JSON object, or nil when it is one.
    static func problem(with content: String?) -> String? {
        guard let content else { return "the answer has no message content" }
        do {
            guard case .object = try JSONDocumentParser.parse(Array(content.utf8)) else { return "not a JSON object" }
            return nil
        } catch {
            return "it does not parse: \(error)"
        }
    }
}
