import CSystem
import ProxyAgents
import ProxyJSON

/// A chat request whose last user message starts with a registered `/command`.
struct AgentInvocationRequest: Sendable {
    let match: AgentMatch
    let model: String
    let stream: Bool

    /// Finds the command. Bodies without `"/` anywhere (nearly all) are rejected by one byte
    /// scan; the rest are scanned by the project's own JSON code, which decodes only the last
    /// user message's text (and, for a command, `model` and `stream`).
    static func find(in body: [UInt8], registry: AgentRegistry) -> AgentInvocationRequest? {
        guard !registry.agents.isEmpty, containsQuoteSlash(body),
              let text = ChatRequestPatch.lastUserText(in: body),
              let match = registry.match(text),
              let summary = try? JSONScanner.scanRequestBody(body)
        else { return nil }
        return AgentInvocationRequest(match: match, model: summary.model ?? "", stream: summary.stream ?? false)
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
