import CSystem
import ProxyAgents
import ProxyJSON

/// A chat request whose last user message starts with a registered `/command`.
struct AgentInvocationRequest: Sendable {
    let match: AgentMatch
    let model: String
    let stream: Bool

    /// What a chat request's `/command` finds: an agent to run, or a plugin file that would
    /// serve it but was skipped (the client is told why, rather than the model getting the text).
    enum Lookup: Sendable {
        case agent(AgentInvocationRequest)
        case skipped(command: String, file: SkippedPluginFile, model: String)
    }

    /// Finds the command. Bodies without `"/` anywhere (nearly all) are rejected by one byte
    /// scan; the rest are scanned by the project's own JSON code, which decodes only the last
    /// user message's text (and, for a command, `model` and `stream`).
    static func find(in body: [UInt8], registry: AgentRegistry) -> Lookup? {
        guard !registry.agents.isEmpty || !registry.skipped.isEmpty, containsQuoteSlash(body),
              let text = ChatRequestPatch.lastUserText(in: body)
        else { return nil }
        if let match = registry.match(text), let summary = try? JSONScanner.scanRequestBody(body) {
            return .agent(AgentInvocationRequest(match: match, model: summary.model ?? "", stream: summary.stream ?? false))
        }
        if let (command, file) = registry.skippedFile(serving: text), let summary = try? JSONScanner.scanRequestBody(body) {
            return .skipped(command: command, file: file, model: summary.model ?? "")
        }
        return nil
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
