import LlamaSmartProxyPluginSDK
import ProxyJSON

/// `/json-check <prompt>`: sends `<prompt>` in JSON mode, and the model's answer through the
/// `json-check` response hook (`JSONCheckHook`), which passes it on only once it is a JSON
/// object. Given as a model's `agent`, it sets JSON mode on the client's request as it came.
struct JSONCheckAgent: Agent {
    let command = "json-check"
    let summary = "Asks in JSON mode and passes the answer on only once it is valid JSON (asking again once)."
    let usage = "/json-check <prompt>"
    let responseHook: String? = "json-check"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let jsonMode: [String: JSONFragment] = ["response_format": .object(["type": .string("json_object")])]
        // A model's agent gets the client's request with no command line in it: nothing to replace.
        guard ChatRequestPatch.lastUserText(in: Array(invocation.requestJSON.utf8))?.hasPrefix("/" + command) == true else {
            return .patch(RequestPatch(set: jsonMode))
        }
        guard !invocation.arguments.isEmpty else { return .fail(status: 400, message: "usage: \(usage)") }
        return .patch(RequestPatch(set: jsonMode, lastUserText: invocation.arguments))
    }
}
