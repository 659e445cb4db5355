import Foundation
import LlamaSmartProxyPluginABI

/// One agent the host has loaded, from any plugin.
public struct AgentListing: Sendable, Equatable {
    public let command: String
    public let summary: String
    public let usage: String
    public let plugin: String

    public init(command: String, summary: String, usage: String, plugin: String) {
        self.command = command
        self.summary = summary
        self.usage = usage
        self.plugin = plugin
    }
}

extension PluginHost {
    /// Every agent loaded right now, or nil from a host too old to tell (its table ends before
    /// `copy_agent_list`).
    public func loadedAgents() -> [AgentListing]? {
        let needed = MemoryLayout<lsp_host_api>.offset(of: \lsp_host_api.copy_agent_list)! + MemoryLayout<UnsafeRawPointer>.size
        guard Int(api.pointee.size) >= needed, let copy = api.pointee.copy_agent_list else { return nil }
        var length = 0
        guard let buffer = copy(api.pointee.host_context, &length) else { return nil }
        defer { api.pointee.release(api.pointee.host_context, buffer) }
        let data = Data(bytes: buffer, count: length)
        guard let entries = try? JSONSerialization.jsonObject(with: data) as? [[String: String]] else { return nil }
        return entries.map {
            AgentListing(command: $0["command"] ?? "", summary: $0["summary"] ?? "", usage: $0["usage"] ?? "", plugin: $0["plugin"] ?? "")
        }
    }
}
