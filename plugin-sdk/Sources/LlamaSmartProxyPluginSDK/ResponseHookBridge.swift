import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a Swift `ResponseHook` into an `lsp_response_hook`: C callbacks that find the hook
/// again through their context pointer, as `AgentBridge` does for agents.
enum ResponseHookBridge {
    /// `register_response_hook`'s code, or nil when the host predates response hooks (its table
    /// ends before the function): the hook is then skipped with a warning, not registered.
    static func register(_ hook: any ResponseHook, with host: PluginHost) -> Int32? {
        guard host.supportsResponseHooks, let register = host.api.pointee.register_response_hook else {
            host.log("response hook \(hook.name) skipped: this proxy predates response hooks", level: .warning)
            return nil
        }
        // Retained for good if the host accepts it: the host may call it until the process ends.
        let box = Unmanaged.passRetained(ResponseHookBox(hook, host: host))
        let result = hook.name.withCString { name in
            hook.summary.withCString { summary in
                var entry = lsp_response_hook(
                    size: MemoryLayout<lsp_response_hook>.size,
                    name: name, summary: summary,
                    on_answer: { context, answer, verdict in
                        guard let context, let answer, let verdict else { return }
                        let box = Unmanaged<ResponseHookBox>.fromOpaque(context).takeUnretainedValue()
                        verdict.pointee = box.answer(answer)
                    },
                    release: { _, buffer in free(buffer) },
                    context: box.toOpaque()
                )
                return register(host.api.pointee.host_context, &entry)
            }
        }
        if result != 0 { box.release() }
        return result
    }
}

final class ResponseHookBox: Sendable {
    let hook: any ResponseHook
    let host: PluginHost

    init(_ hook: any ResponseHook, host: PluginHost) {
        self.hook = hook
        self.host = host
    }

    /// Copies the host's answer into Swift values, asks the hook, and encodes its verdict.
    func answer(_ call: UnsafePointer<lsp_answer>) -> lsp_verdict {
        let answer = Answer(
            exchange: call.pointee.exchange,
            round: Int(call.pointee.round),
            part: AnswerPart(rawValue: call.pointee.part) ?? .closed,
            data: Self.text(call.pointee.data, call.pointee.data_length),
            requestJSON: Self.text(call.pointee.request_json, call.pointee.request_json_length),
            model: call.pointee.model.map { String(cString: $0) } ?? "",
            host: host
        )
        return Self.encode(hook.answer(answer))
    }

    static func text(_ bytes: UnsafePointer<CChar>?, _ length: Int) -> String {
        bytes.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
    }

    /// The C form of a verdict; its text is malloc'd here and freed by `release` above.
    static func encode(_ verdict: Verdict) -> lsp_verdict {
        func with(_ kind: lsp_verdict_kind, status: Int = 0, _ text: String?) -> lsp_verdict {
            lsp_verdict(kind: Int32(kind.rawValue), status: Int32(clamping: status),
                        text: text.map(strdupOrEmpty), text_length: text?.utf8.count ?? 0)
        }
        switch verdict {
        case .pass: return with(LSP_VERDICT_PASS, nil)
        case .replace(let text): return with(LSP_VERDICT_REPLACE, text)
        case .drop: return with(LSP_VERDICT_DROP, nil)
        case .hold: return with(LSP_VERDICT_HOLD, nil)
        case .retry(let request): return with(LSP_VERDICT_RETRY, request)
        case .fail(let status, let message): return with(LSP_VERDICT_FAIL, status: status, message)
        }
    }
}

extension PluginHost {
    /// The host has `register_response_hook` (and calls hooks): an older proxy's table ends before it.
    public var supportsResponseHooks: Bool {
        let end = MemoryLayout<lsp_host_api>.offset(of: \lsp_host_api.register_response_hook)! + MemoryLayout<UnsafeRawPointer>.size
        return Int(api.pointee.size) >= end
    }
}
