import ProxyJSON
import LlamaSmartProxyPluginContract

/// One exchange through a response hook as `PluginTestHost.runExchange` ran it, under the
/// proxy's rules (`ResponseHookState`): what the client received, what the model was sent, and
/// what the hook was shown.
public struct HookExchangeResult: Sendable, Equatable {
    /// What the client received.
    public enum Response: Sendable, Equatable {
        /// A response that is not a stream: the model's status and this body (the answer as it
        /// came, or as the hook replaced it).
        case whole(status: Int, body: String)
        /// An OpenAI-shaped error, before anything else was sent (`message` starts with the
        /// hook's name, as the proxy writes it; `code` e.g. "hook_failed").
        case failed(status: Int, message: String, code: String)
        /// An event stream: the events' JSON in order, then how it ended.
        case stream(events: [String], end: StreamEnd)
        /// The model's answer as it came, not shown to the hook (not 200, or not the shape
        /// asked for); `complete` false: it was cut.
        case forwarded(status: Int, body: String, complete: Bool)
    }

    /// How a stream the client received ended.
    public enum StreamEnd: Sendable, Equatable {
        /// `data: [DONE]`.
        case done
        /// An error event (then `[DONE]`).
        case failed(status: Int, message: String, code: String)
    }

    /// One call of the hook, in order: the part, its round, and its verdict (nil for `.closed`,
    /// whose verdict the proxy ignores).
    public struct Shown: Sendable, Equatable {
        public let round: Int
        public let part: AnswerPart
        public let verdict: HookVerdict?

        public init(round: Int, part: AnswerPart, verdict: HookVerdict?) {
            self.round = round
            self.part = part
            self.verdict = verdict
        }
    }

    public var response: Response
    /// The request of each round, as the model received it (`stream` set to the client's).
    public var requests: [String]
    public var shown: [Shown]

    /// The text the client received in the message: a whole answer's `choices[0].message.content`,
    /// or a stream's `choices[0].delta.content`s joined; nil for an error or an answer forwarded.
    public var content: String? {
        switch response {
        case .whole(_, let body): return ChatAnswerText.content(in: Array(body.utf8), shape: .message)
        case .stream(let events, _): return events.compactMap { ChatAnswerText.content(in: Array($0.utf8), shape: .delta) }.joined()
        case .failed, .forwarded: return nil
        }
    }
}
