import Dispatch
import HTTPCodec
import ProxyHTTP
import ProxyJSON
import Synchronization

/// `complete_chat`: a chat completion an agent asks for, sent through the router in this process
/// (`InProcessModelCall`), so it is resolved, queued, loaded and logged exactly like a client's,
/// as the proxy's own request (no agent, no hook, no API key check). The calling agent thread
/// waits for the answer and gets it before `complete` returns (the ABI lets the callback run on
/// any thread, this one included), so sub-calls are bounded by the agent threads that make them;
/// no event loop ever waits. An agent past its deadline has its sub-calls stopped (the model slot
/// is freed) and any further one refused at once (`AgentInvocationScope`).
final class InProcessChatCompletion: Sendable {
    private let route: InProcessRoute

    init(route: InProcessRoute) {
        self.route = route
    }

    func complete(_ requestJSON: String, completion: @escaping @Sendable (Int, String) -> Void) {
        let scope = AgentInvocationScope.current
        let (status, body) = answer(requestJSON, scope: scope)
        completion(status, String(decoding: body, as: UTF8.self))
    }

    private func answer(_ requestJSON: String, scope: AgentInvocationScope?) -> (Int, [UInt8]) {
        guard let (handler, group) = route.current else {
            return Self.failure(503, "the proxy is not serving yet", code: "agent_model_call_failed")
        }
        let request: [UInt8]
        do {
            request = try TopLevelPatch.apply([("stream", Array("false".utf8))], to: Array(requestJSON.utf8))
        } catch {
            return (400, OpenAIError.invalidRequest("complete_chat: \(error)", code: "invalid_request").body)
        }
        let loop = group.next()
        let call = CallHolder()
        var cut: UInt64?
        if let scope {
            cut = scope.adopt { loop.execute { call.value?.cancel() } }
            if cut == nil { return Self.deadlinePassed }
        }
        let answered = DispatchSemaphore(value: 0)
        let result = Mutex<(status: Int, body: [UInt8], complete: Bool, tooLarge: Bool)>((0, [], false, false))
        let token = route.credentialToken
        let limit = route.maxAnswerBytes
        // Past the limit the call is stopped: the agent gets a 502 saying so.
        @Sendable func collect(_ piece: ArraySlice<UInt8>) {
            let over = result.withLock { result in
                guard result.body.count + piece.count <= limit else { return true }
                result.body += piece
                return false
            }
            if over {
                result.withLock { $0.tooLarge = true }
                call.value?.cancel()
            }
        }
        loop.execute {
            let modelCall = InProcessModelCall(loop: loop)
            call.value = modelCall
            modelCall.begin(request, handler: handler, credentialToken: token, events: InProcessModelCall.Events(
                head: { head, _ in result.withLock { $0.status = head.status } },
                event: { data in collect(data[...]) },
                body: { piece in collect(piece) },
                end: { complete in
                    call.value = nil
                    result.withLock { $0.complete = complete }
                    answered.signal()
                }))
        }
        answered.wait()
        if let scope, let cut { scope.relinquish(cut) }
        let (status, body, complete, tooLarge) = result.withLock { ($0.status, $0.body, $0.complete, $0.tooLarge) }
        if tooLarge {
            return Self.failure(502, "the model's answer is larger than limits.max_body_bytes (\(limit) bytes)", code: "answer_too_large")
        }
        if complete && status > 0 { return (status, body) }
        if scope?.isExpired == true { return Self.deadlinePassed }
        return Self.failure(502, "the model's answer ended before its end", code: "agent_model_call_failed")
    }

    private static var deadlinePassed: (Int, [UInt8]) {
        failure(504, "agent model call cut off: the agent's deadline passed", type: "agent_error", code: "agent_timeout")
    }

    private static func failure(_ status: Int, _ message: String, type: String = "server_error", code: String) -> (Int, [UInt8]) {
        (status, ErrorResponseBody.json(message: "agent model call failed: \(message)", type: type, code: code))
    }
}

/// The call of one `complete_chat`, touched on its loop only.
private final class CallHolder: @unchecked Sendable {
    var value: InProcessModelCall?
}
