import LlamaSmartProxyPluginABI

/// What a response hook decided for one part of an answer (`lsp_verdict`): the SDK's `Verdict`,
/// and what the host copies out of plugin memory. A verdict that does not fit the part (`.hold`
/// at the end, `.drop` of a whole answer) answers 500 (`ResponseHookState`).
public enum HookVerdict: Sendable, Equatable {
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

    /// The verdict an `lsp_verdict` stands for; a FAIL status outside 400...599 becomes 500, an
    /// unknown kind a 500 naming the hook.
    public static func decoded(kind: Int32, status: Int32, text: String, hook: String) -> HookVerdict {
        switch UInt32(bitPattern: kind) {
        case LSP_VERDICT_PASS.rawValue: return .pass
        case LSP_VERDICT_REPLACE.rawValue: return .replace(text)
        case LSP_VERDICT_DROP.rawValue: return .drop
        case LSP_VERDICT_HOLD.rawValue: return .hold
        case LSP_VERDICT_RETRY.rawValue: return .retry(requestJSON: text)
        case LSP_VERDICT_FAIL.rawValue: return .fail(status: (400...599).contains(status) ? Int(status) : 500, message: text)
        default: return .fail(status: 500, message: "response hook \(hook) returned an unknown verdict (\(kind))")
        }
    }
}
