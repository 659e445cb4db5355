import Foundation

/// The tool calls of one streamed answer, put together from its chunks: OpenAI streams each call
/// as deltas of `choices[0].delta.tool_calls[]`, keyed by `index`, with its `id` and function
/// `name` once and its `arguments` in pieces; `finish_reason: "tool_calls"` ends them.
struct ToolCallAccumulator {
    struct Call: Equatable {
        var id = ""
        var name = ""
        var arguments = ""
    }

    private(set) var calls: [Int: Call] = [:]
    private(set) var finishReason: String?

    /// Takes one chunk; returns the text it adds to the answer's content, if any.
    mutating func take(_ chunk: [String: Any]) -> String? {
        guard let choice = (chunk["choices"] as? [[String: Any]])?.first else { return nil }
        if let reason = choice["finish_reason"] as? String { finishReason = reason }
        let delta = choice["delta"] as? [String: Any] ?? [:]
        for (position, entry) in ((delta["tool_calls"] as? [[String: Any]]) ?? []).enumerated() {
            let index = entry["index"] as? Int ?? position
            var call = calls[index] ?? Call()
            if let id = entry["id"] as? String { call.id += id }
            if let function = entry["function"] as? [String: Any] {
                if let name = function["name"] as? String { call.name += name }
                if let arguments = function["arguments"] as? String { call.arguments += arguments }
            }
            calls[index] = call
        }
        return delta["content"] as? String
    }

    /// The calls in their order, when the answer asked for tools.
    var requestedCalls: [Call] {
        calls.keys.sorted().compactMap { calls[$0] }
    }
}
