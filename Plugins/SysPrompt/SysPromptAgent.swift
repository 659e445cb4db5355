import Foundation
import LlamaSmartProxyPluginSDK

/// `/sys <prompt>` (first line) then, on the next lines, the question: the question is sent with
/// `<prompt>` as the system prompt; with no question the user message is dropped. This edits
/// the messages array itself (drops and adds messages), which a top-level patch cannot express
/// byte for byte, so the request is rewritten through JSONSerialization (key order may change).
struct SysPromptAgent: Agent {
    let command = "sys"
    let summary = "Sets the system prompt for this request."
    let usage = "/sys <system prompt>\n<message>"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let parts = invocation.arguments.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let prompt = parts.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let question = parts.count > 1 ? String(parts[1]) : ""
        guard !prompt.isEmpty else { return .fail(status: 400, message: "usage: \(usage)") }
        guard var request = try JSONSerialization.jsonObject(with: Data(invocation.requestJSON.utf8)) as? [String: Any],
              let messages = request["messages"] as? [[String: Any]]
        else { return .fail(status: 400, message: "/sys needs a chat request with messages") }
        request["messages"] = Self.withSystemPrompt(prompt, in: Self.replacingLastUserMessage(messages, with: question))
        let rewritten = try JSONSerialization.data(withJSONObject: request, options: [.sortedKeys])
        return .continueWith(requestJSON: String(decoding: rewritten, as: UTF8.self))
    }

    /// The message that held the command now holds only the question, or goes when it is empty.
    static func replacingLastUserMessage(_ messages: [[String: Any]], with question: String) -> [[String: Any]] {
        guard let last = messages.lastIndex(where: { $0["role"] as? String == "user" }) else { return messages }
        var rewritten = messages
        if question.isEmpty {
            rewritten.remove(at: last)
        } else {
            rewritten[last]["content"] = question
        }
        return rewritten
    }

    /// Replaces any system messages with one holding `prompt`, first.
    static func withSystemPrompt(_ prompt: String, in messages: [[String: Any]]) -> [[String: Any]] {
        [["role": "system", "content": prompt]] + messages.filter { $0["role"] as? String != "system" }
    }
}
