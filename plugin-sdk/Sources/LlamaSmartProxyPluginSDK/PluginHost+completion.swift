import LlamaSmartProxyPluginABI

extension PluginHost {
    /// Sends a (non-streaming) chat completion request through the host's pool; `completion`
    /// runs once, possibly on another thread, with the HTTP status (0: no response) and body.
    public func completeChat(requestJSON: String, completion: @escaping @Sendable (Int, String) -> Void) {
        let box = Unmanaged.passRetained(CompletionBox(completion)).toOpaque()
        var request = requestJSON
        request.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                api.pointee.complete_chat(
                    api.pointee.host_context, chars.baseAddress, chars.count,
                    { context, status, response, length in
                        let box = Unmanaged<CompletionBox>.fromOpaque(context!).takeRetainedValue()
                        let body = response.map {
                            String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
                        } ?? ""
                        box.completion(Int(status), body)
                    },
                    box
                )
            }
        }
    }
}

/// Carries the Swift closure through the C callback's context pointer.
private final class CompletionBox: Sendable {
    let completion: @Sendable (Int, String) -> Void
    init(_ completion: @escaping @Sendable (Int, String) -> Void) { self.completion = completion }
}
