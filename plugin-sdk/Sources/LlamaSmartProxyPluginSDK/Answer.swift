import LlamaSmartProxyPluginContract

/// One part of a model's answer, as a `ResponseHook` is shown it (`lsp_answer`).
public struct Answer: Sendable {
    /// `.whole`, `.chunk`, `.end` or `.closed`.
    public typealias Part = AnswerPart

    /// The same in every call of one exchange (one client request); never reused.
    public let exchange: UInt64
    /// 0 for the first answer, n for the answer to the n-th `.retry`.
    public let round: Int
    public let part: Part
    /// The body of a non-streamed answer (`.whole`, a `chat.completion`), the JSON of one event
    /// (`.chunk`, a `chat.completion.chunk`), or "" (`.end`, `.closed`).
    public let data: String
    /// The request this round's answer is for, as it was routed.
    public let requestJSON: String
    /// The request's `model`.
    public let model: String
    /// The host's services (log, configuration, ...), as an agent's `invocation.host`.
    public let host: PluginHost

    public init(exchange: UInt64, round: Int, part: Part, data: String = "", requestJSON: String, model: String, host: PluginHost) {
        self.exchange = exchange
        self.round = round
        self.part = part
        self.data = data
        self.requestJSON = requestJSON
        self.model = model
        self.host = host
    }
}
