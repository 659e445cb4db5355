import Foundation
import LlamaSmartProxyPluginABI
import Synchronization

/// One event of a streamed chat completion: a `chat.completion.chunk` object.
public struct ChatChunk: Sendable, Equatable {
    /// The event's JSON, as the model's server sent it.
    public let json: String

    /// The text the chunk adds to the first choice's message (`choices[0].delta.content`).
    public var contentDelta: String? {
        let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let choices = object?["choices"] as? [[String: Any]]
        return (choices?.first?["delta"] as? [String: Any])?["content"] as? String
    }
}

/// A streamed call that did not end with a whole stream: its HTTP status and body.
public struct ChatCallError: Error, Sendable, Equatable, CustomStringConvertible {
    public let status: Int
    public let body: String
    public var description: String { "model call failed with \(status): \(body)" }
}

extension PluginHost {
    /// A chat completion through the host's pool, as it streams (`"stream": true` is set for
    /// you): `for try await chunk in host.streamChat(requestJSON: ..., reply: reply.id)`.
    /// Leaving the loop early (or cancelling the task) stops the call and frees its model slot;
    /// a call tied to `reply` also stops when the reply ends. Needs `supportsReplies`.
    public func streamChat(requestJSON: String, reply: UInt64 = 0) -> AsyncThrowingStream<ChatChunk, any Error> {
        AsyncThrowingStream { continuation in
            guard supportsReplies else {
                continuation.finish(throwing: ChatCallError(status: 501, body: "this host cannot stream model calls"))
                return
            }
            let box = StreamBox(continuation)
            let context = Unmanaged.passRetained(box).toOpaque()
            var request = requestJSON
            let call = request.withUTF8 { bytes in
                bytes.withMemoryRebound(to: CChar.self) { chars in
                    api.pointee.stream_chat(
                        api.pointee.host_context, reply, chars.baseAddress, chars.count,
                        { context, json, length in
                            let box = Unmanaged<StreamBox>.fromOpaque(context!).takeUnretainedValue()
                            let text = json.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
                            return box.yield(ChatChunk(json: text)) ? 0 : 1
                        },
                        { context, status, body, length in
                            let box = Unmanaged<StreamBox>.fromOpaque(context!).takeRetainedValue()
                            let text = body.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self) } ?? ""
                            box.end(status: Int(status), body: text)
                        },
                        context)
                }
            }
            let host = self
            continuation.onTermination = { termination in
                if case .cancelled = termination { host.api.pointee.cancel_chat(host.api.pointee.host_context, call) }
            }
        }
    }
}

/// Carries a stream's continuation through the C callbacks' context pointer.
private final class StreamBox: Sendable {
    let continuation: AsyncThrowingStream<ChatChunk, any Error>.Continuation
    private let stopped = Atomic(false)

    init(_ continuation: AsyncThrowingStream<ChatChunk, any Error>.Continuation) {
        self.continuation = continuation
    }

    /// False once the consumer is gone: the host then stops the call.
    func yield(_ chunk: ChatChunk) -> Bool {
        guard !stopped.load(ordering: .acquiring) else { return false }
        if case .terminated = continuation.yield(chunk) {
            stopped.store(true, ordering: .releasing)
            return false
        }
        return true
    }

    func end(status: Int, body: String) {
        if status == 200 || status == 499 {
            continuation.finish()
        } else {
            continuation.finish(throwing: ChatCallError(status: status, body: body))
        }
    }
}
