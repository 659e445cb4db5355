import Foundation
import LlamaSmartProxyPluginABI

/// An agent a plugin registered: its description, where it came from, and its C entry points.
public struct LoadedAgent: @unchecked Sendable {
    // @unchecked: the handler and its context live in a library that is never unloaded, and the
    // ABI requires handlers to accept calls from any thread.
    public let command: String
    public let summary: String
    public let usage: String
    public let plugin: PluginFile
    /// The response hook the answers to what it forwards go through (`lsp_agent.response_hook`).
    public let responseHook: String?
    let handle: lsp_agent_handler
    let release: lsp_release_function
    let context: UnsafeMutableRawPointer?
}

/// A plugin as it was loaded.
public struct PluginFile: Sendable, Equatable {
    public let name: String
    /// The file in the plugins folder.
    public let path: String
    /// The private copy that was actually opened.
    public let loadedPath: String
    public let sha256: String
    public let loadedAt: Date
}
