import Endpoints
import Foundation
import Glibc
import Synchronization

@testable import ProxyHTTP

/// A hand-driven upstream on a blocking socket, for what our own server never does: garbage,
/// truncated bodies, closing at the worst moment. The n-th accepted connection runs the n-th
/// script on its own thread (the last script serves any further connections).
final class ScriptedUpstream: Sendable {
    typealias Script = @Sendable (ScriptedConnection) -> Void

    let port: Int
    let address: UpstreamEndpoint
    /// One line per request read, "<connection number> <method> <target> <body>", in order.
    let log = Mutex<[String]>([])
    private let listenFD: Int32
    private let accepted = Atomic<Int>(0)
    private let stopped = Atomic(false)

    var connectionCount: Int { accepted.load(ordering: .relaxed) }

    init(_ scripts: [Script]) throws {
        let listener = try TCPListener.bind(host: "127.0.0.1", port: 0)
        // The listener is made non-blocking for event loops; this server blocks in accept.
        _ = fcntl(listener.fd, F_SETFL, fcntl(listener.fd, F_GETFL, 0) & ~O_NONBLOCK)
        listenFD = listener.fd
        port = listener.port
        address = .tcp(host: "127.0.0.1", port: listener.port)
        let thread = Thread { [self] in acceptLoop(scripts) }
        thread.start()
    }

    /// Stops accepting (shutdown wakes the blocked accept, whose thread then closes the
    /// listener). Once only: a second shutdown could hit the number of a descriptor opened since
    /// (another test's socket, in a parallel test).
    func stop() {
        guard !stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
    }

    private func acceptLoop(_ scripts: [Script]) {
        while true {
            let fd = accept(listenFD, nil, nil)
            if fd < 0 {
                if errno == EINTR || !stopped.load(ordering: .acquiring) { continue }
                close(listenFD)
                return
            }
            let number = accepted.add(1, ordering: .relaxed).newValue
            let script = scripts[min(number, scripts.count) - 1]
            let connection = ScriptedConnection(fd: fd, number: number, log: self)
            Thread { script(connection) }.start()
        }
    }

    func record(_ line: String) { log.withLock { $0.append(line) } }
}

/// Runs `body` against a proxy in front of a scripted upstream, then stops both.
func withScriptedUpstream(
    _ scripts: [ScriptedUpstream.Script], upstreamIdleTimeout: Double = 0, reportUnreachable: Bool = false,
    _ body: (ScriptedUpstream, ProxyTestbed) throws -> Void
) throws {
    let upstream = try ScriptedUpstream(scripts)
    let testbed = try ProxyTestbed(
        upstream: .address(upstream.address), upstreamIdleTimeout: upstreamIdleTimeout, reportUnreachable: reportUnreachable)
    defer {
        testbed.stop()
        upstream.stop()
    }
    try body(upstream, testbed)
}
