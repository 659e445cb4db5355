import Foundation
import LlamaSmartProxyPluginSDK

/// `/calc <question>`: a tool loop. The question goes to the model with one tool, `calculate`
/// (an arithmetic expression in, its value out); the model's text streams to the client as it is
/// written; when the model asks for the tool (`tool_calls`), the agent evaluates each call,
/// appends the calls and their results to the conversation and asks the model again, at most
/// `maximumRounds` times. Needs a model and server that do tool calls (llama-server `--jinja`).
struct CalcAgent: StreamingAgent {
    let command = "calc"
    let summary = "Answers with a calculator the model can call (a tool loop)."
    let usage = "/calc <question>"
    static let maximumRounds = 4

    static var tool: [String: Any] { [
        "type": "function",
        "function": [
            "name": "calculate",
            "description": "Evaluates an arithmetic expression (numbers, + - * / %, parentheses) and returns its value.",
            "parameters": [
                "type": "object",
                "properties": ["expression": ["type": "string", "description": "e.g. (12.5 + 3) * 4"]],
                "required": ["expression"],
            ],
        ],
    ] }

    func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
        .fail(status: 501, message: "/calc needs a proxy whose agents can answer later")
    }

    func stream(_ invocation: AgentInvocation, to reply: AgentReplyWriter) async throws {
        guard !invocation.arguments.isEmpty else { throw AgentFailure(status: 400, message: "usage: \(usage)") }
        let original = (try? JSONSerialization.jsonObject(with: Data(invocation.requestJSON.utf8)) as? [String: Any]) ?? [:]
        var messages: [[String: Any]] = [["role": "user", "content": invocation.arguments]]
        for _ in 1...Self.maximumRounds {
            var request: [String: Any] = ["model": original["model"] ?? invocation.model, "messages": messages, "tools": [Self.tool]]
            if let maxTokens = original["max_tokens"] { request["max_tokens"] = maxTokens }
            let body = String(decoding: try JSONSerialization.data(withJSONObject: request), as: UTF8.self)
            var answer = ToolCallAccumulator()
            var content = ""
            do {
                for try await chunk in invocation.host.streamChat(requestJSON: body, reply: reply.id) {
                    guard let object = try? JSONSerialization.jsonObject(with: Data(chunk.json.utf8)) as? [String: Any],
                          let text = answer.take(object), !text.isEmpty
                    else { continue }
                    content += text
                    guard reply.send(text) else { return }
                }
            } catch let error as ChatCallError {
                throw AgentFailure(status: error.status, message: "the model call failed: \(error.body)")
            }
            let calls = answer.requestedCalls
            guard answer.finishReason == "tool_calls" || !calls.isEmpty else { return }  // a final answer
            messages.append([
                "role": "assistant", "content": content,
                "tool_calls": calls.map { ["id": $0.id, "type": "function", "function": ["name": $0.name, "arguments": $0.arguments]] },
            ])
            for call in calls {
                messages.append(["role": "tool", "tool_call_id": call.id, "content": Self.run(call)])
            }
        }
        throw AgentFailure(status: 502, message: "the model still asked for tools after \(Self.maximumRounds) rounds")
    }

    /// The tool's answer to one call: the value, or what was wrong (the model can try again).
    static func run(_ call: ToolCallAccumulator.Call) -> String {
        guard call.name == "calculate" else { return "error: no tool named \(call.name)" }
        guard let arguments = try? JSONSerialization.jsonObject(with: Data(call.arguments.utf8)) as? [String: Any],
              let expression = arguments["expression"] as? String
        else { return "error: the arguments must be {\"expression\": \"...\"}" }
        do {
            return ArithmeticExpression.format(try ArithmeticExpression.evaluate(expression))
        } catch {
            return "error: \(error.description)"
        }
    }
}
