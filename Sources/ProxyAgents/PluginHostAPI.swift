import Glibc
import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract

/// The `lsp_host_api` table given to one plugin: C functions that find their
/// `PluginHostContext` through `host_context`. Allocated once per load and never freed.
enum PluginHostAPI {
    static func make(for context: PluginHostContext) -> UnsafePointer<lsp_host_api> {
        // Sized and stored with this header's layout, fixed at compile time, not through generic
        // code and the runtime's type metadata, which is shared by name with every plugin (one
        // built against an older header could have registered a shorter lsp_host_api first).
        let table = UnsafeMutableRawPointer.allocate(
            byteCount: MemoryLayout<lsp_host_api>.size, alignment: MemoryLayout<lsp_host_api>.alignment
        ).assumingMemoryBound(to: lsp_host_api.self)
        table.pointee = lsp_host_api(
            size: UInt32(MemoryLayout<lsp_host_api>.size),
            version: LSP_PLUGIN_ABI_VERSION,
            host_context: Unmanaged.passRetained(context).toOpaque(),
            log: { host, level, text in
                let context = PluginHostContext.from(host)
                let label = ["debug", "info", "warning", "error"][Int(max(0, min(3, level)))]
                context.services.log("plugin \(context.pluginName) \(label): \(text.map { String(cString: $0) } ?? "")")
            },
            copy_config: { host, length in
                let json = PluginHostContext.from(host).configJSON
                length?.pointee = json.utf8.count
                return strdup(json)
            },
            release: { _, buffer in free(buffer) },
            register_agent: { host, agent in
                guard let agent else { return -1 }
                return PluginHostContext.from(host).register(agent)
            },
            complete_chat: { host, request, length, callback, callbackContext in
                let context = PluginHostContext.from(host)
                guard let callback else { return }
                let requestJSON = request.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
                } ?? ""
                // The context pointer belongs to the plugin and is only handed back to it.
                let callbackContext = UncheckedPointer(raw: callbackContext)
                context.services.completeChat(requestJSON) { status, body in
                    body.withCString { callback(callbackContext.raw, Int32(status), $0, body.utf8.count) }
                }
            },
            copy_agent_list: { host, length in
                let json = PluginHostContext.from(host).services.agentListJSON()
                length?.pointee = json.utf8.count
                return strdup(json)
            },
            send_delta: { host, reply, text, length in
                let replies = PluginHostContext.from(host).services.replies
                return replies.sendDelta(reply, Self.string(text, length)) ? 0 : 1
            },
            finish_reply: { host, reply, kind, status, text, length in
                let context = PluginHostContext.from(host)
                let result = AgentResult.decoded(kind: kind, status: status, text: Self.string(text, length), command: "reply")
                context.services.replies.finish(reply, result == .pending
                    ? .fail(status: 500, message: "finish_reply was given LSP_OUTCOME_PENDING") : result)
            },
            stream_chat: { host, reply, request, length, onChunk, onEnd, callbackContext in
                let context = PluginHostContext.from(host)
                let requestJSON = Self.string(request, length)
                let callbackContext = UncheckedPointer(raw: callbackContext)
                let events = StreamedCallEvents(
                    chunk: { json in
                        guard let onChunk else { return true }
                        return json.withCString { onChunk(callbackContext.raw, $0, json.utf8.count) } == 0
                    },
                    end: { status, body in
                        body.withCString { onEnd?(callbackContext.raw, Int32(status), $0, body.utf8.count) }
                    })
                return context.services.replies.streamChat(reply, requestJSON, events)
            },
            cancel_chat: { host, call in
                PluginHostContext.from(host).services.replies.cancelChat(call)
            },
            register_response_hook: { host, hook in
                guard let hook else { return -1 }
                return PluginHostContext.from(host).register(hook)
            }
        )
        return UnsafePointer(table)
    }
}

extension PluginHostAPI {
    /// A plugin's (pointer, length) text, copied.
    static func string(_ text: UnsafePointer<CChar>?, _ length: Int) -> String {
        text.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    }
}

/// A plugin's opaque pointer carried across threads untouched.
struct UncheckedPointer: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer?
}
