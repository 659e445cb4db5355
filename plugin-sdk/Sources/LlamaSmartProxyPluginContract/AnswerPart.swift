import LlamaSmartProxyPluginABI

/// Which part of a model's answer a response hook is shown (`lsp_answer_part`).
public enum AnswerPart: Int32, Sendable, Equatable, CaseIterable {
    /// The body of a 200 answer to a request that did not stream.
    case whole = 0
    /// The JSON of one event of a 200 event stream.
    case chunk = 1
    /// The stream ended whole.
    case end = 2
    /// The exchange is over: always the last call, exactly once.
    case closed = 3
}
