import Dispatch
import Glibc
import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract
import LlamaSmartProxyPluginSDK

/// The `lsp_host_api` table a `PluginTestHost` hands its plugin: C functions that find the host
/// through `host_context`. Like the proxy's, it lives as long as the process (a plugin may keep it).
enum PluginTestHostAPI {
    static func make(for host: PluginTestHost) -> UnsafePointer<lsp_host_api> {
        // Sized and stored with this header's layout, as the proxy's (see PluginExport).
        let table = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<lsp_host_api>.size, alignment: MemoryLayout<lsp_host_api>.alignment
        ).assumingMemoryBound(to: lsp_host_api.self)
        table.pointee = lsp_host_api(
            size: tableSize(for: host),
            version: LSP_PLUGIN_ABI_VERSION,
            host_context: Unmanaged.passRetained(host).toOpaque(),
            log: { context, level, text in
                let host = PluginTestHost.from(context)
                let line = PluginTestHost.LogLine(level: PluginHost.LogLevel(rawValue: max(0, min(3, level))) ?? .info,
                                                  text: text.map { String(cString: $0) } ?? "")
                host.state.withLock { $0.logLines.append(line) }
            },
            copy_config: { context, length in
                let host = PluginTestHost.from(context)
                host.state.withLock { $0.configReads += 1 }
                length?.pointee = host.pluginConfig.utf8.count
                return strdup(host.pluginConfig)
            },
            release: { _, buffer in free(buffer) },
            register_agent: { context, agent in
                guard let agent else { return -1 }
                return PluginTestHost.from(context).register(agent)
            },
            complete_chat: { context, request, length, callback, callbackContext in
                let host = PluginTestHost.from(context)
                guard let callback else { return }
                let requestJSON = request.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
                } ?? ""
                host.state.withLock { $0.completionRequests.append(requestJSON) }
                let answer = host.completions(requestJSON)
                let callbackContext = PluginPointer(raw: callbackContext)
                // On another thread, as the proxy may: an agent must not rely on a synchronous answer.
                DispatchQueue.global().async {
                    answer.body.withCString { callback(callbackContext.raw, Int32(answer.status), $0, answer.body.utf8.count) }
                }
            },
            copy_agent_list: { context, length in
                let host = PluginTestHost.from(context)
                host.state.withLock { $0.agentListReads += 1 }
                let json = host.agentListJSON
                length?.pointee = json.utf8.count
                return strdup(json)
            },
            send_delta: { context, reply, text, length in
                PluginTestHost.from(context).sendDelta(reply, PluginTestHost.string(text, length)) ? 0 : 1
            },
            finish_reply: { context, reply, kind, status, text, length in
                PluginTestHost.from(context).finish(
                    reply, AgentResult.decoded(kind: kind, status: status, text: PluginTestHost.string(text, length), command: "reply"))
            },
            stream_chat: { context, reply, request, length, onChunk, onEnd, callbackContext in
                let callbackContext = PluginPointer(raw: callbackContext)
                return PluginTestHost.from(context).streamChat(
                    PluginTestHost.string(request, length), reply: reply,
                    chunk: { json in json.withCString { onChunk?(callbackContext.raw, $0, json.utf8.count) ?? 0 } == 0 },
                    end: { status, body in body.withCString { onEnd?(callbackContext.raw, Int32(status), $0, body.utf8.count) } })
            },
            cancel_chat: { context, call in
                PluginTestHost.from(context).endCall(call, status: 499, body: "", cancelled: true)
            },
            register_response_hook: { context, hook in
                guard let hook else { return -1 }
                return PluginTestHost.from(context).register(hook)
            }
        )
        return UnsafePointer(table)
    }
}

extension PluginTestHostAPI {
    /// Without `supportsReplies`, the table of a host before replies written later (it ends
    /// before send_delta): a StreamingAgent is called through its `handle` then. Without
    /// `supportsResponseHooks`, the table of a host before response hooks.
    static func tableSize(for host: PluginTestHost) -> UInt32 {
        guard host.supportsReplies else { return UInt32(MemoryLayout<lsp_host_api>.offset(of: \lsp_host_api.send_delta)!) }
        guard host.supportsResponseHooks else {
            return UInt32(MemoryLayout<lsp_host_api>.offset(of: \lsp_host_api.register_response_hook)!)
        }
        return UInt32(MemoryLayout<lsp_host_api>.size)
    }
}

/// The plugin's opaque callback context, carried to the answering thread untouched.
struct PluginPointer: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer?
}

extension PluginTestHost {
    static func from(_ pointer: UnsafeMutableRawPointer?) -> PluginTestHost {
        Unmanaged<PluginTestHost>.fromOpaque(pointer!).takeUnretainedValue()
    }

    /// A plugin's (pointer, length) text, copied.
    static func string(_ text: UnsafePointer<CChar>?, _ length: Int) -> String {
        text.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    }

    /// What `copy_agent_list` returns, written as the proxy writes it: this plugin's agents and
    /// `otherAgents`, sorted by command.
    var agentListJSON: String {
        let (name, agents) = state.withLock { ($0.pluginName, $0.agents) }
        return AgentListJSON.text(agents.map { AgentListJSON.Entry(command: $0.command, summary: $0.summary, usage: $0.usage, plugin: name) }
            + otherAgents.map { AgentListJSON.Entry(command: String($0.command.drop(while: { $0 == "/" })), summary: $0.summary, usage: $0.usage, plugin: $0.plugin) })
    }
}
