import LlamaSmartProxyPluginABI

/// One part of an answer as the host shows it to a hook.
public struct AnswerCall: Sendable, Equatable {
    public var exchange: UInt64
    public var round: Int
    public var part: AnswerPart
    /// The body (whole), one event's JSON (chunk), or empty.
    public var data: [UInt8]
    /// The request this round's answer is for.
    public var requestJSON: [UInt8]
    public var model: String

    public init(exchange: UInt64, round: Int, part: AnswerPart, data: [UInt8] = [], requestJSON: [UInt8], model: String) {
        self.exchange = exchange
        self.round = round
        self.part = part
        self.data = data
        self.requestJSON = requestJSON
        self.model = model
    }
}

extension ResponseHookEntry {
    /// Calls the hook through the C ABI, copies its verdict and hands the plugin's buffer back
    /// to the plugin's own `release`.
    public func invoke(_ call: AnswerCall) -> HookVerdict {
        var verdict = lsp_verdict()
        // Both buffers end with a NUL the lengths leave out, so `data` is never NULL.
        let data = call.data + [0]
        let request = call.requestJSON + [0]
        data.withUnsafeBufferPointer { data in
            request.withUnsafeBufferPointer { request in
                call.model.withCString { model in
                    data.baseAddress!.withMemoryRebound(to: CChar.self, capacity: data.count) { dataChars in
                        request.baseAddress!.withMemoryRebound(to: CChar.self, capacity: request.count) { requestChars in
                            var answer = lsp_answer(
                                exchange: call.exchange, round: UInt32(clamping: call.round), part: call.part.rawValue,
                                data: dataChars, data_length: call.data.count,
                                request_json: requestChars, request_json_length: call.requestJSON.count, model: model)
                            onAnswer(context, &answer, &verdict)
                        }
                    }
                }
            }
        }
        let text = verdict.text.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: verdict.text_length), as: UTF8.self)
        } ?? ""
        if let buffer = verdict.text { release(context, buffer) }
        return HookVerdict.decoded(kind: verdict.kind, status: verdict.status, text: text, hook: name)
    }
}
