import Foundation
import Glibc
import Synchronization

@testable import ProxyHTTP

/// Polls, on the proxy's loop, how many bytes wait in one client connection's output queue.
final class OutputQueueSampler: Sendable {
    private let peak = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    init(responder: HTTPResponder) {
        Thread { [self] in
            while !stopped.load(ordering: .relaxed) {
                responder.loop.execute { [self] in
                    peak.max(responder.pendingOutputBytes, ordering: .relaxed)
                }
                usleep(500)
            }
            done.signal()
        }.start()
    }

    var maximum: Int { peak.load(ordering: .relaxed) }

    func stop() {
        stopped.store(true, ordering: .relaxed)
        done.wait()
    }
}
