/// The answer to "which model does this request name?".
public enum Resolution: Sendable, Equatable {
    case found(ResolvedModel)
    /// No model matches; `suggestions` holds up to three ids that look like what was meant.
    case notFound(suggestions: [String])
    /// Several models match equally well (e.g. `qwen` with both `qwen-Q4_K_M` and `qwen-Q8_0`).
    case ambiguous(candidates: [String])
}
