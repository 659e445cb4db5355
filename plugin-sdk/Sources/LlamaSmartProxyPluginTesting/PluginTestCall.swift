import LlamaSmartProxyPluginContract
import ProxyJSON

/// One agent call in a `PluginTestHost`: what was asked and what the agent decided.
public struct PluginTestCall: Sendable {
    /// The request body as the client sent it.
    public let request: String
    /// The command (without its slash) and its arguments, as the agent received them.
    public let command: String
    public let arguments: String
    /// The request's model ("" when it names none), as the agent received it.
    public let model: String
    /// The outcome as the proxy reads it from the C ABI (`.patch(json:)` carries the patch text);
    /// for a reply the agent left pending, how it finished it (`.reply` then holds the whole
    /// text: the deltas and the final text).
    public let outcome: AgentResult
    /// Whether the handler left the reply pending (`LSP_OUTCOME_PENDING`) and finished it later.
    public let pending: Bool
    /// The text the agent streamed, one element per `send_delta`.
    public let deltas: [String]
    /// The response hook the agent names (`Agent.responseHook`): the model's answer to what it
    /// forwards goes through it (`PluginTestHost.answer(hook:...)` plays that part).
    public let responseHook: String?

    func with(outcome: AgentResult, deltas: [String]) -> PluginTestCall {
        PluginTestCall(request: request, command: command, arguments: arguments, model: model, outcome: outcome,
                       pending: pending, deltas: deltas, responseHook: responseHook)
    }

    /// The exact bytes the proxy would send on to the model: the client's request edited in
    /// place by the proxy's own patcher (`ChatRequestPatch`) for a patch, the new request for
    /// `.continueWith`, nil when the agent answers itself (reply, fail, pending). Throws what makes
    /// the proxy answer 500 "returned an invalid patch".
    public func modelRequestBytes() throws -> [UInt8]? {
        switch outcome {
        case .patch(let patch): return try ChatRequestPatch.apply(Array(patch.utf8), to: Array(request.utf8))
        case .continueWith(let rewritten): return Array(rewritten.utf8)
        case .reply, .fail, .pending: return nil
        }
    }

    /// `modelRequestBytes()` as text.
    public func modelRequest() throws -> String? {
        try modelRequestBytes().map { String(decoding: $0, as: UTF8.self) }
    }
}
