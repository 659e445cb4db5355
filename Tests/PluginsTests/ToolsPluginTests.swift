import Foundation
import LlamaSmartProxyPluginTesting
import TestSupport
import Testing

/// libTools.so's `/calc` in the SDK's test host: a model scripted to call the calculator (its
/// arguments in two pieces), then to answer with the tool's result.
@Suite struct ToolsPluginTests {
    static func toolCall(_ expression: String) -> StreamAnswer {
        let arguments = String(decoding: try! JSONSerialization.data(withJSONObject: ["expression": expression]), as: UTF8.self)
        func chunk(_ call: [String: Any], finish: String? = nil) -> String {
            var choice: [String: Any] = ["index": 0, "delta": call.isEmpty ? [:] : ["tool_calls": [call]]]
            choice["finish_reason"] = finish ?? NSNull()
            return String(decoding: try! JSONSerialization.data(withJSONObject: ["object": "chat.completion.chunk", "choices": [choice]]),
                          as: UTF8.self)
        }
        let cut = arguments.index(arguments.startIndex, offsetBy: 5)
        return StreamAnswer(chunks: [
            chunk(["index": 0, "id": "call_9", "type": "function", "function": ["name": "calculate", "arguments": String(arguments[..<cut])]]),
            chunk(["index": 0, "function": ["arguments": String(arguments[cut...])]]),
            chunk([:], finish: "tool_calls"),
        ])
    }

    /// The tool result the model was given last, from the request it got.
    static func lastToolResult(_ request: String) -> String? {
        let object = try? JSONSerialization.jsonObject(with: Data(request.utf8)) as? [String: Any]
        let messages = object?["messages"] as? [[String: Any]] ?? []
        return messages.last { $0["role"] as? String == "tool" }?["content"] as? String
    }

    func host(expression: String) throws -> PluginTestHost {
        let host = PluginTestHost(streams: { request in
            guard let result = Self.lastToolResult(request) else { return Self.toolCall(expression) }
            return .deltas(["The answer", " is \(result)."])
        })
        try host.load(library: BuiltProducts.library("libTools.so"))
        return host
    }

    @Test func theModelsToolCallIsRunAndItsResultGoesBackToTheModel() async throws {
        let host = try host(expression: "(12.5 + 3) * 4 - 20")
        let call = try await host.invoke(messages: [.user("/calc what is (12.5 + 3) * 4 - 20?")], model: "m")
        #expect(call.pending)
        #expect(call.deltas == ["The answer", " is 42."])
        #expect(call.outcome == .reply("The answer is 42."))
        let asked = host.streamRequests
        try #require(asked.count == 2)
        #expect(asked[0].contains(#""name":"calculate""#) && asked[0].contains("what is (12.5 + 3) * 4 - 20?"))
        let second = try #require(try JSONSerialization.jsonObject(with: Data(asked[1].utf8)) as? [String: Any])
        let messages = try #require(second["messages"] as? [[String: Any]])
        #expect(messages.count == 3)
        let calls = try #require(messages[1]["tool_calls"] as? [[String: Any]])
        #expect(calls.count == 1 && calls[0]["id"] as? String == "call_9")
        #expect((calls[0]["function"] as? [String: Any])?["arguments"] as? String == #"{"expression":"(12.5 + 3) * 4 - 20"}"#)
        #expect(messages[2]["role"] as? String == "tool" && messages[2]["tool_call_id"] as? String == "call_9")
        #expect(messages[2]["content"] as? String == "42")
    }

    @Test(arguments: [
        ("1 / 0", "error: division by zero"),
        ("2 +", "error: it ends without a number"),
        ("rm -rf /", "error: 'r' is not part of an arithmetic expression"),
        ("((1)", "error: a '(' without its ')'"),
        ("-(2 - 5) * 2 % 4", "2"),
        ("1e3 / 8", "125"),
        ("0.1 + 0.2", "0.30000000000000004"),
    ])
    func theToolsAnswerIsTheValueOrWhatIsWrong(expression: String, result: String) async throws {
        let host = try host(expression: expression)
        let call = try await host.invoke(messages: [.user("/calc compute")])
        #expect(call.outcome == .reply("The answer is \(result)."))
    }

    @Test func aModelThatKeepsAskingForToolsIsStoppedAfterFourRounds() async throws {
        let host = PluginTestHost(streams: { _ in Self.toolCall("1 + 1") })
        try host.load(library: BuiltProducts.library("libTools.so"))
        let call = try await host.invoke(messages: [.user("/calc loop")])
        #expect(call.outcome == .fail(status: 502, message: "the model still asked for tools after 4 rounds"))
        #expect(host.streamRequests.count == 4)
    }

    @Test func aDeeplyNestedExpressionIsEvaluatedWithoutRecursion() async throws {
        let depth = 1000
        let host = try host(expression: String(repeating: "(", count: depth) + "7" + String(repeating: ")", count: depth))
        let call = try await host.invoke(messages: [.user("/calc deep")])
        #expect(call.outcome == .reply("The answer is 7."))
    }
}
