import LlamaSmartProxyPluginABI

/// What a response hook decided for one part of an answer, copied out of plugin memory
/// (`lsp_verdict`). Which verdicts fit which part is the host's rule (`ResponseHookState`).
public enum HookVerdict: Sendable, Equatable {
    /// Send what was held, then this part, as they came.
    case pass
    /// Send this text instead (after what was held, for a chunk; instead of it, at the end).
    case replace(String)
    /// Leave this chunk out; at the end, drop what was held.
    case drop
    /// Keep this chunk back until a later verdict decides it.
    case hold
    /// Drop this answer and send this request instead; its answer is the next round.
    case retry(requestJSON: String)
    /// Answer an OpenAI-shaped error (or end a stream under way with one).
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
