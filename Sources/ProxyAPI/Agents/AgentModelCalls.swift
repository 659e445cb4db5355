import Dispatch
import ProxyAgents
import ProxyHTTP
import ProxyJSON
import Synchronization

/// The streamed model calls agents have under way, by id (`stream_chat`, `cancel_chat`), sent
/// through the router in this process (`InProcessRoute`).
final class AgentModelCalls: Sendable {
    private let calls = Mutex<[UInt64: AgentModelCall]>([:])
    private let lastID = Atomic<UInt64>(0)
    private let route: InProcessRoute
    private let replies: AgentReplies

    init(route: InProcessRoute, replies: AgentReplies) {
        self.route = route
        self.replies = replies
    }

    /// Starts a call; `events` hears of it on a queue of the call's own, even when it fails at once.
    func start(reply: UInt64, requestJSON: String, events: StreamedCallEvents) -> UInt64 {
        let id = lastID.wrappingAdd(1, ordering: .relaxed).newValue
        guard let (handler, group) = route.current, let loop = (reply == 0 ? nil : replies.channel(reply))?.loop ?? Optional(group.next()) else {
            let body = String(decoding: OpenAIError(
                status: 503, message: "the proxy is not serving yet", type: "server_error", code: "agent_model_call_failed").body, as: UTF8.self)
            DispatchQueue.global().async { events.end(503, body) }
            return id
        }
        let call = AgentModelCall(id: id, loop: loop, events: events, otherBodyLimit: route.maxAnswerBytes) { [self] id in
            _ = calls.withLock { $0.removeValue(forKey: id) }
            if reply != 0, let channel = replies.channel(reply) { channel.loop.executeSoon { channel.callEnded(id) } }
        }
        calls.withLock { $0[id] = call }
        let body: [UInt8]
        do {
            body = try TopLevelPatch.apply([("stream", Array("true".utf8))], to: Array(requestJSON.utf8))
        } catch {
            call.refuse(OpenAIError.invalidRequest("stream_chat: \(error)", code: "invalid_request"))
            return id
        }
        let token = route.credentialToken
        loop.execute { [replies] in
            // A reply that ended meanwhile takes no new call: it begins stopped, and ends with 499.
            if reply != 0, replies.channel(reply)?.adopt(call: id) != true { call.stop() }
            call.begin(body, handler: handler, credentialToken: token)
        }
        return id
    }

    func cancel(_ id: UInt64) {
        calls.withLock { $0[id] }?.stop()
    }
}
