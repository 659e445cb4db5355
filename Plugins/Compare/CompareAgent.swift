import Dispatch
import Foundation
import LlamaSmartProxyPluginSDK
import Synchronization

/// `/compare <model>,<model> <prompt>`: asks each model the prompt through the host (so they are
/// resolved, loaded and queued like any request) and answers with the replies one after another,
/// each under its model's name. On a host with the reply functions it streams: each model's
/// answer reaches the client as the model writes it, and a client that leaves stops the call
/// under way. On an older host it answers once both are in (then give it a generous
/// `timeouts.agent_seconds`).
struct CompareAgent: StreamingAgent {
    let command = "compare"
    let summary = "Answers a prompt with two or more models, side by side."
    let usage = "/compare <model>,<model>[,...] <prompt>"

    /// The models and the prompt, or why the arguments are not a comparison.
    func parse(_ arguments: String) throws(AgentFailure) -> (models: [String], prompt: String) {
        let parts = arguments.split(separator: " ", maxSplits: 1)
        guard parts.count == 2 else { throw AgentFailure(status: 400, message: "usage: \(usage)") }
        let models = parts[0].split(separator: ",").map(String.init).filter { !$0.isEmpty }
        guard models.count >= 2 else { throw AgentFailure(status: 400, message: "name at least two models; usage: \(usage)") }
        return (models, String(parts[1]))
    }

    func stream(_ invocation: AgentInvocation, to reply: AgentReplyWriter) async throws {
        let (models, prompt) = try parse(invocation.arguments)
        let maxTokens = Self.maxTokens(in: invocation.requestJSON)
        for (index, model) in models.enumerated() {
            guard reply.send((index == 0 ? "" : "\n\n") + "### \(model)\n") else { return }
            do {
                let request = Self.request(model: model, prompt: prompt, maxTokens: maxTokens)
                for try await chunk in invocation.host.streamChat(requestJSON: request, reply: reply.id) {
                    guard let text = chunk.contentDelta, !text.isEmpty else { continue }
                    guard reply.send(text) else { return }  // the client left: the call stops with the loop
                }
            } catch let error as ChatCallError {
                guard reply.send(Self.answer(status: error.status, body: error.body)) else { return }
            }
        }
    }

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        let models: [String]
        let prompt: String
        do {
            (models, prompt) = try parse(invocation.arguments)
        } catch {
            return .fail(status: error.status, message: error.message)
        }
        let maxTokens = Self.maxTokens(in: invocation.requestJSON)
        let answers = Mutex([String: String]())
        let group = DispatchGroup()
        for model in models {
            group.enter()
            invocation.host.completeChat(requestJSON: Self.request(model: model, prompt: prompt, maxTokens: maxTokens)) {
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
