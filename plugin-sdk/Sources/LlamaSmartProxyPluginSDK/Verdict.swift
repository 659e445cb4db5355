/// What a `ResponseHook` decided for one part of an answer (`lsp_verdict`). A verdict that does
/// not fit the part (`.hold` at the end, `.drop` of a whole answer) answers 500.
public enum Verdict: Sendable, Equatable {
    /// Whole: the answer goes out byte for byte. Chunk: the chunks held so far, then this one,
    /// go out as they came. End: the held chunks go out, then `[DONE]`.
    case pass
    /// This text goes out instead: the new body (whole), one event's JSON after the held chunks
    /// (chunk), or the last event, the held chunks dropped (end).
    case replace(String)
    /// Chunk: this chunk is left out. End: the held chunks are dropped.
    case drop
    /// Chunk: kept back until a later verdict decides it.
    case hold
    /// Drop this answer (and what was held; at a chunk, its model call is stopped) and send this
    /// request instead (its `stream` is set to the client's); its answer is the next round.
    case retry(requestJSON: String)
    /// An OpenAI-shaped error with `status` (4xx or 5xx), or the error event that ends a stream
    /// already under way.
    case fail(status: Int, message: String)
}
