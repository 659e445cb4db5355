import Foundation
import LlamaSmartProxyPluginSDK
import ProxyJSON

/// `json-check`: a response hook for answers that must be JSON. Given as a model's `agent`, every
/// request to that model comes here: it is sent to the model in JSON mode, and the answer reaches
/// the client only once it parses as a JSON object; when it does not, the model is asked once
/// more (its answer and the parse error appended to the conversation), and a second invalid
/// answer fails with 502. Also a command: `/json-check <prompt>` does the same for one prompt.
/// (`/json` only sets JSON mode, as a patch.)
struct JSONCheckAgent: StreamingAgent {
    let command = "json-check"
    let summary = "Asks in JSON mode and passes the answer on only once it is valid JSON (asking again once)."
    let usage = "/json-check <prompt>, or a model's \"agent\": \"json-check\""

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        .fail(status: 501, message: "/json-check needs a proxy whose agents can answer later")
    }

    func stream(_ invocation: AgentInvocation, to reply: AgentReplyWriter) async throws {
        var body = Array(invocation.requestJSON.utf8)
        if ChatRequestPatch.lastUserText(in: body)?.hasPrefix("/" + command) == true {
            // The command, not a hook: its prompt replaces the command line, as any patch does.
            guard !invocation.arguments.isEmpty else { throw AgentFailure(status: 400, message: "usage: \(usage)") }
            do {
                body = try ChatRequestPatch.apply(Array(RequestPatch(lastUserText: invocation.arguments).json.utf8), to: body)
            } catch {
                throw AgentFailure(status: 400, message: "\(error)")
            }
        }
        guard var request = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              var messages = request["messages"] as? [[String: Any]]
        else { throw AgentFailure(status: 400, message: "the request has no messages") }
        request["response_format"] = ["type": "json_object"]
        for attempt in 1...2 {
            request["messages"] = messages
            let body = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            let answer = try await Self.collect(invocation.host.streamChat(requestJSON: body, reply: reply.id))
            guard let problem = Self.problem(with: answer) else {
                reply.send(answer)
                return
            }
            guard attempt == 1 else {
                throw AgentFailure(status: 502, message: "the model answered invalid JSON twice (\(problem))")
            }
            invocation.host.log("json-check: asking again: \(problem)", level: .warning)
            messages += [
                ["role": "assistant", "content": answer],
                ["role": "user", "content": "That is not valid JSON (\(problem)). Answer again with only the JSON object."],
            ]
        }
    }

    /// The whole text of a streamed answer; a failed call fails the reply with its status.
    static func collect(_ chunks: AsyncThrowingStream<ChatChunk, any Error>) async throws -> String {
        var text = ""
        do {
            for try await chunk in chunks { text += chunk.contentDelta ?? "" }
        } catch let error as ChatCallError {
            let message = (try? JSONSerialization.jsonObject(with: Data(error.body.utf8)) as? [String: Any])
                .flatMap { ($0["error"] as? [String: Any])?["message"] as? String } ?? error.body
            throw AgentFailure(status: error.status, message: "the model call failed: \(message)")
        }
        return text
    }

    /// Why `text` is not a JSON object, or nil when it is one.
    static func problem(with text: String) -> String? {
        do {
            guard try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any] else { return "not a JSON object" }
            return nil
        } catch {
            return "it does not parse"
        }
    }
}
