/// One slash-command agent. A plugin declares a type per agent and lists them in its export
/// function (see `PluginExport`). Handlers may run on several threads at once.
public protocol Agent: Sendable {
    /// The command without its slash, e.g. "sys" for `/sys`: lowercase letters, digits, `-`, `_`.
    var command: String { get }
    /// One line, shown by `/help`.
    var summary: String { get }
    /// How to call it, e.g. "/sys <text>".
    var usage: String { get }
    /// Decides what happens to the request; a thrown error answers 500 with its description.
    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome
    /// The response hook (`ResponseHook.name`, of this plugin or another) the model's answer goes
    /// through whenever this agent forwards the request (`.patch`, `.continueWith`); nil (the
    /// default) for none. A hook that is not loaded when the answer comes answers 503.
    var responseHook: String? { get }
}

extension Agent {
    public var responseHook: String? { nil }
}
