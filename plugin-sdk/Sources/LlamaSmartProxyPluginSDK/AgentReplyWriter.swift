import LlamaSmartProxyPluginABI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The reply of one pending call (`StreamingAgent`): text sent through it streams to the client.
/// Usable from any thread or task.
public struct AgentReplyWriter: Sendable {
    let host: PluginHost
    /// The host's id of this reply (`lsp_invocation.reply`), for `PluginHost.streamChat(reply:)`.
    public let id: UInt64

    init(host: PluginHost, id: UInt64) {
        self.host = host
        self.id = id
    }

    /// Appends `text` to the reply. False once the reply is over (the client left, the deadline
    /// passed): stop working on it then. Each delta restarts the agent's deadline.
    @discardableResult
    public func send(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                host.api.pointee.send_delta(host.api.pointee.host_context, id, chars.baseAddress, chars.count) == 0
            }
        }
    }

    /// Ends the reply (once; later calls do nothing).
    func finish(_ outcome: AgentOutcome) {
        let encoded = AgentBox.encode(outcome)
        defer { free(encoded.text) }
        host.api.pointee.finish_reply(host.api.pointee.host_context, id, encoded.kind, encoded.status, encoded.text, encoded.text_length)
    }
}

extension PluginHost {
    /// The host has the reply functions (`send_delta`, `finish_reply`, `stream_chat`,
    /// `cancel_chat`) and `lsp_invocation.reply`.
    public var supportsReplies: Bool {
        let end = MemoryLayout<lsp_host_api>.offset(of: \lsp_host_api.cancel_chat)! + MemoryLayout<UnsafeRawPointer>.size
        return Int(api.pointee.size) >= end
    }
}
