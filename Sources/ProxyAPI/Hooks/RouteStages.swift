/// What a request still passes on its way to a model: the model's agent (`models.ID.agent`),
/// and a response hook for its answer: an agent's own (`lsp_agent.response_hook`), which comes
/// before the model's (`models.ID.response_hook`). The proxy's own requests pass none.
struct RouteStages: Sendable, Equatable {
    var modelAgent: Bool
    var hook: Hook

    enum Hook: Sendable, Equatable {
        case none
        /// The model's, if it names one.
        case model
        /// This one, whatever the model names.
        case named(String)

        func name(model: String?) -> String? {
            switch self {
            case .none: nil
            case .model: model
            case .named(let name): name
            }
        }
    }

    /// A client's request.
    static let all = RouteStages(modelAgent: true, hook: .model)
    /// What a model's agent forwards: the hook is still to come.
    static let afterModelAgent = RouteStages(modelAgent: false, hook: .model)
    static let none = RouteStages(modelAgent: false, hook: .none)
}
