import Foundation
import CSystem
import ProxyAgents

/// A chat request whose last user message starts with a registered `/command`.
struct AgentInvocationRequest: Sendable {
    let match: AgentMatch
    let model: String
    let stream: Bool

    /// Finds the command. Bodies without `"/` anywhere (nearly all) are rejected by one byte
    /// scan, without decoding; only the rest are decoded to find the last user message.
    static func find(in body: [UInt8], registry: AgentRegistry) -> AgentInvocationRequest? {
        guard !registry.agents.isEmpty, containsQuoteSlash(body),
              let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let messages = object["messages"] as? [[String: Any]],
              let last = messages.last(where: { $0["role"] as? String == "user" }),
              let text = firstText(of: last["content"]),
              let match = registry.match(text)
        else { return nil }
        return AgentInvocationRequest(
            match: match, model: object["model"] as? String ?? "", stream: object["stream"] as? Bool ?? false)
    }

    /// String content, or the first text part of array content.
    private static func firstText(of content: Any?) -> String? {
        if let text = content as? String { return text }
        guard let parts = content as? [[String: Any]] else { return nil }
        return parts.first(where: { $0["type"] as? String == "text" })?["text"] as? String
    }

    /// Whether `"/` occurs anywhere in the body: one memmem call, at memory speed even for a
    /// large body (a base64 image holds many `/`, but not after a quote).
    static func containsQuoteSlash(_ body: [UInt8]) -> Bool {
        body.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 1 else { return false }
            return csystem_memmem(base, raw.count, quoteSlash.utf8Start, 2) != nil
        }
    }

    private static let quoteSlash: StaticString = "\"/"
}
