/// What a model's streaming requests hear while they wait for its load (from the configuration:
/// `loading_comment_seconds`, `send_loading_state`).
struct LoadingNotices: Sendable, Equatable {
    /// Seconds of waiting before the first notice, and between notices; nil: no notices.
    var interval: Double?
    /// Chat completion streams get `reasoning_content` deltas instead of comments.
    var asReasoning: Bool
}
