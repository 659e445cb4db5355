import CSystem
import Glibc
import HTTPCodec
import Synchronization

/// The HTTP/1.1 server: one listener per event loop, connections that stay on the loop that
/// accepted them, and a request handler supplied by the application.
public final class HTTPServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var limits: HTTPParserLimits
        public var timeouts: ServerConnectionStateMachine.Timeouts
        public init(host: String, port: Int, limits: HTTPParserLimits, timeouts: ServerConnectionStateMachine.Timeouts) {
            self.host = host
            self.port = port
            self.limits = limits
            self.timeouts = timeouts
        }
    }

    public let tracker = ConnectionTracker()
    public let port: Int
    private let group: EventLoopGroup
    private let acceptors: [Acceptor]

    public init(configuration: Configuration, group: EventLoopGroup, handler: HTTPRequestHandler) throws {
        self.group = group
        let first = try TCPListener.bind(host: configuration.host, port: configuration.port)
        var listeners = [first]
        for _ in 1..<group.loops.count {
            listeners.append(try TCPListener.bind(host: configuration.host, port: first.port))
        }
        port = first.port
        let tracker = self.tracker
        acceptors = zip(listeners, group.loops).map { listener, loop in
            Acceptor(listener: listener, loop: loop) { fd in
                ServerConnection(fd: fd, loop: loop, handler: handler, tracker: tracker,
                                 limits: configuration.limits, timeouts: configuration.timeouts)
            }
        }
        for acceptor in acceptors {
            acceptor.loop.execute { acceptor.start() }
        }
    }

    /// Stops accepting new connections; existing ones carry on.
    public func stopAccepting() {
        for acceptor in acceptors {
            acceptor.loop.execute { acceptor.stop() }
        }
    }
}

/// Accepts connections on one loop's listener.
final class Acceptor: EventLoopHandler, DeadlineSweepable, @unchecked Sendable {
    let listener: TCPListener
    let loop: EventLoop
    private let makeConnection: (Int32) -> ServerConnection
    private var stopped = false
    private var paused = false

    init(listener: TCPListener, loop: EventLoop, makeConnection: @escaping (Int32) -> ServerConnection) {
        self.listener = listener
        self.loop = loop
        self.makeConnection = makeConnection
    }

    func start() {
        loop.register(listener.fd, interest: .read, handler: self)
        loop.addSweepable(self)
    }

    /// Out of descriptors: the pending connection stays ready, so a level-triggered loop would
    /// spin. Stop listening until the next sweep (at most a second), when some may have closed.
    private func pauseUntilNextSweep() {
        paused = true
        loop.setInterest(listener.fd, [])
    }

    func sweep(now: UInt64) {
        guard paused, !stopped else { return }
        paused = false
        loop.setInterest(listener.fd, .read)
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        loop.removeSweepable(self)
        loop.deregister(listener.fd)
        close(listener.fd)
    }

    func handleEvents(readable: Bool, writable: Bool, hangup: Bool) {
        // Take a bounded batch so one busy listener cannot starve the loop's other sockets.
        for _ in 0..<64 {
            let fd = csystem_accept(listener.fd)
            if fd < 0 {
                if errno == EMFILE || errno == ENFILE { pauseUntilNextSweep() }
                return
            }
            SocketIO.setNoDelay(fd)
            makeConnection(fd).start()
        }
    }
}
