import CSystem
import Glibc
import HTTPCodec
import Synchronization

/// The HTTP/1.1 server: one listening socket watched by every event loop, connections that stay
/// on the loop that accepted them, and a request handler supplied by the application.
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
        let listener = try TCPListener.bind(host: configuration.host, port: configuration.port)
        port = listener.port
        let tracker = self.tracker
        let sharing = ListenerSharing(listener: listener, loops: group.loops.count)
        acceptors = group.loops.map { loop in
            Acceptor(listener: listener, sharing: sharing, loop: loop) { fd in
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

/// The listening socket is closed once every loop has stopped watching it.
final class ListenerSharing: Sendable {
    private let listener: TCPListener
    private let watchers: Atomic<Int>

    init(listener: TCPListener, loops: Int) {
        self.listener = listener
        watchers = Atomic(loops)
    }

    func loopStopped() {
        if watchers.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { close(listener.fd) }
    }
}

/// Accepts connections from the shared listener on one loop.
final class Acceptor: EventLoopHandler, DeadlineSweepable, @unchecked Sendable {
    let listener: TCPListener
    let loop: EventLoop
    private let sharing: ListenerSharing
    private let makeConnection: (Int32) -> ServerConnection
    private var stopped = false
    private var paused = false

    init(listener: TCPListener, sharing: ListenerSharing, loop: EventLoop,
         makeConnection: @escaping (Int32) -> ServerConnection) {
        self.listener = listener
        self.sharing = sharing
        self.loop = loop
        self.makeConnection = makeConnection
    }

    func start() {
        loop.register(listener.fd, interest: .acceptExclusively, handler: self)
        loop.addSweepable(self)
    }

    /// Out of descriptors: the pending connection stays ready, so a level-triggered loop would
    /// spin. Stop listening until the next sweep (at most a second), when some may have closed.
    private func pauseUntilNextSweep() {
        paused = true
        loop.deregister(listener.fd)
    }

    func sweep(now: UInt64) {
        guard paused, !stopped else { return }
        paused = false
        loop.register(listener.fd, interest: .acceptExclusively, handler: self)
    }

    func stop() {
        guard !stopped else { return }
        stopped = true
        loop.removeSweepable(self)
        if !paused { loop.deregister(listener.fd) }
        sharing.loopStopped()
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
            SocketIO.limitUnsentOutput(fd)
            makeConnection(fd).start()
        }
    }
}
