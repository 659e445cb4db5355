/// The answer to "which model does this request name?".
public enum Resolution: Sendable, Equatable {
    case found(ResolvedModel)
    /// A variant id (`qwen:fast`): the model, and the name of its variant as configured.
    case variant(ResolvedModel, name: String)
    /// No model matches; `suggestions` holds up to three ids that look like what was meant.
    case notFound(suggestions: [String])
    /// Several models match equally well (e.g. `qwen` with both `qwen-Q4_K_M` and `qwen-Q8_0`).
    case ambiguous(candidates: [String])
}

extension Resolution {
    /// The model found, plain or as a variant.
    public var model: ResolvedModel? {
        switch self {
        case .found(let model), .variant(let model, _): model
        case .notFound, .ambiguous: nil
        }
    }

    /// The variant's name, for a variant id.
    public var variantName: String? {
        if case .variant(_, let name) = self { return name }
        return nil
    }
}
