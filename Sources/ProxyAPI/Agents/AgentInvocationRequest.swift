import Foundation
import Glibc
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

    /// Whether `"/` occurs anywhere in the body. memchr jumps from one `/` to the next, so even a
    /// large body (a base64 image holds many `/`) is checked at memory speed.
    static func containsQuoteSlash(_ body: [UInt8]) -> Bool {
        body.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 1 else { return false }
            var offset = 1
            while offset < raw.count,
                  let found = memchr(base + offset, Int32(UInt8(ascii: "/")), raw.count - offset) {
                let index = base.distance(to: UnsafeRawPointer(found))
                if raw[index - 1] == UInt8(ascii: "\"") { return true }
                offset = index + 1
            }
            return false
        }
    }
}
