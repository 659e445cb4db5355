import Dispatch
import Foundation
import LlamaSmartProxyPluginSDK
import Synchronization

/// `/compare <model>,<model> <prompt>`: asks each model the prompt through the host (so they are
/// resolved, loaded and queued like any request) and answers with both replies side by side.
/// A multi-step agent: give it a generous `timeouts.agent_seconds`.
struct CompareAgent: Agent {
    let command = "compare"
    let summary = "Answers a prompt with two or more models, side by side."
    let usage = "/compare <model>,<model>[,...] <prompt>"

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let parts = invocation.arguments.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { return .fail(status: 400, message: "usage: \(usage)") }
        let models = parts[0].split(separator: ",").map(String.init).filter { !$0.isEmpty }
        guard models.count >= 2 else { return .fail(status: 400, message: "name at least two models; usage: \(usage)") }
        let maxTokens = Self.maxTokens(in: invocation.requestJSON)
        let answers = Mutex([String: String]())
        let group = DispatchGroup()
        for model in models {
            group.enter()
            invocation.host.completeChat(requestJSON: Self.request(model: model, prompt: String(parts[1]), maxTokens: maxTokens)) {
                status, body in
                answers.withLock { $0[model] = Self.answer(status: status, body: body) }
                group.leave()
            }
        }
        group.wait()
        let collected = answers.withLock { $0 }
        return .reply(models.map { "### \($0)\n\(collected[$0] ?? "")" }.joined(separator: "\n\n"))
    }

    static func request(model: String, prompt: String, maxTokens: Int) -> String {
        let body: [String: Any] = ["model": model, "max_tokens": maxTokens, "messages": [["role": "user", "content": prompt]]]
        let data = (try? JSONSerialization.data(withJSONObject: body)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// The caller's max_tokens, else a short default.
    static func maxTokens(in requestJSON: String) -> Int {
        let object = try? JSONSerialization.jsonObject(with: Data(requestJSON.utf8)) as? [String: Any]
        return object?["max_tokens"] as? Int ?? 64
    }

    static func answer(status: Int, body: String) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
        guard status == 200,
              let choices = object?["choices"] as? [[String: Any]],
              let message = choices.first?["message"] as? [String: Any],
              let content = message["content"] as? String
        else {
            let error = (object?["error"] as? [String: Any])?["message"] as? String ?? body
            return "(error \(status): \(error))"
        }
        return content
    }
}
