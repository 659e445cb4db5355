import Foundation
import LlamaSmartProxyPluginSDK

/// `/sys <prompt>` (first line) then, on the next lines, the question: the question is sent with
/// `<prompt>` as the system prompt. A patch: the host sets the system message and the question
/// in place, so every other byte of the request reaches the model as the client sent it.
struct SysPromptAgent: Agent {
    let command = "sys"
    let summary = "Sets the system prompt for this request."
    let usage = "/sys <system prompt>\n<message>"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let parts = invocation.arguments.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let prompt = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let question = parts.count > 1 ? String(parts[1]) : ""
        guard !prompt.isEmpty else { return .fail(status: 400, message: "usage: \(usage)") }
        return .patch(RequestPatch(lastUserText: question, systemPrompt: prompt))
    }
}
