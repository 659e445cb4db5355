import LlamaSmartProxyPluginABI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a Swift `Agent` into an `lsp_agent`: C callbacks that find the agent again through
/// their context pointer (a Swift closure cannot be a C function pointer).
enum AgentBridge {
    static func register(_ agent: any Agent, with host: PluginHost) -> Int32 {
        // Retained for good if the host accepts it: the host may call it until the process ends.
        let box = Unmanaged.passRetained(AgentBox(agent: agent, host: host))
        let result = agent.command.withCString { command in
            agent.summary.withCString { summary in
                agent.usage.withCString { usage in
                    withOptionalCString(agent.responseHook) { responseHook in
                        var entry = lsp_agent(
                            size: MemoryLayout<lsp_agent>.size,
                            command: command, summary: summary, usage: usage,
                            handle: { context, invocation, outcome in
                                guard let context, let invocation, let outcome else { return }
                                let box = Unmanaged<AgentBox>.fromOpaque(context).takeUnretainedValue()
                                outcome.pointee = box.handle(invocation)
                            },
                            release: { _, buffer in free(buffer) },
                            context: box.toOpaque(),
                            response_hook: responseHook
                        )
                        return host.api.pointee.register_agent(host.api.pointee.host_context, &entry)
                    }
                }
            }
        }
        if result != 0 { box.release() }
        return result
    }
}

final class AgentBox: Sendable {
    let agent: any Agent
    let host: PluginHost

    init(agent: any Agent, host: PluginHost) {
        self.agent = agent
        self.host = host
    }

    /// Reads the invocation field by field through the pointer (`pointee.field` projects the
    /// field's address; the struct is never copied whole): an older host's struct ends before
    /// `reply`, which is read only when the host has the reply functions.
    func handle(_ call: UnsafePointer<lsp_invocation>) -> lsp_outcome {
        let invocation = AgentInvocation(
            command: String(cString: call.pointee.command),
            arguments: String(cString: call.pointee.arguments),
            requestJSON: String(
                decoding: UnsafeRawBufferPointer(start: call.pointee.request_json, count: call.pointee.request_json_length),
                as: UTF8.self
            ),
            model: call.pointee.model.map { String(cString: $0) } ?? "",
            host: host
        )
        if let streaming = agent as? any StreamingAgent, host.supportsReplies, call.pointee.reply != 0 {
            let reply = AgentReplyWriter(host: host, id: call.pointee.reply)
            Task {
                do {
                    try await streaming.stream(invocation, to: reply)
                    reply.finish(.reply(""))
                } catch let failure as AgentFailure {
                    reply.finish(.fail(status: failure.status, message: failure.message))
                } catch {
                    reply.finish(.fail(status: 500, message: "agent /\(streaming.command) failed: \(error)"))
                }
            }
            return lsp_outcome(kind: Int32(LSP_OUTCOME_PENDING.rawValue), status: 0, text: nil, text_length: 0)
        }
        let decided: AgentOutcome
        do {
            decided = try agent.handle(invocation)
        } catch {
            decided = .fail(status: 500, message: "agent /\(agent.command) failed: \(error)")
        }
        return Self.encode(decided)
    }

    /// The C form of an outcome; its text is malloc'd here and freed by `release` above.
    static func encode(_ outcome: AgentOutcome) -> lsp_outcome {
        switch outcome {
        case .continueWith(let json):
            return lsp_outcome(kind: Int32(LSP_OUTCOME_CONTINUE.rawValue), status: 0,
                               text: strdupOrEmpty(json), text_length: json.utf8.count)
        case .patch(let patch):
            let json = patch.json
            return lsp_outcome(kind: Int32(LSP_OUTCOME_PATCH.rawValue), status: 0,
                               text: strdupOrEmpty(json), text_length: json.utf8.count)
        case .reply(let text):
            return lsp_outcome(kind: Int32(LSP_OUTCOME_REPLY.rawValue), status: 0,
                               text: strdupOrEmpty(text), text_length: text.utf8.count)
        case .fail(let status, let message):
            return lsp_outcome(kind: Int32(LSP_OUTCOME_FAIL.rawValue), status: Int32(clamping: status),
                               text: strdupOrEmpty(message), text_length: message.utf8.count)
        }
    }
}

/// `body` with `text` as a C string valid during the call, or with NULL for nil.
func withOptionalCString<Result>(_ text: String?, _ body: (UnsafePointer<CChar>?) -> Result) -> Result {
    guard let text else { return body(nil) }
    return text.withCString { body($0) }
}

/// A malloc'd NUL-terminated copy (NUL bytes inside `text` would end the C string early,
/// which is why the length travels alongside).
func strdupOrEmpty(_ text: String) -> UnsafeMutablePointer<CChar> {
    var text = text
    return text.withUTF8 { bytes in
        let copy = malloc(bytes.count + 1)!.assumingMemoryBound(to: CChar.self)
        if let base = bytes.baseAddress {
            copy.update(from: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), count: bytes.count)
        }
        copy[bytes.count] = 0
        return copy
    }
}
