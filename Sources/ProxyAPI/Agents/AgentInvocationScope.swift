import Glibc
import Synchronization

/// One agent invocation as its host calls see it: once its deadline passes, the loopback sockets
/// it has open are shut down (so the proxy sees their client leave and abandons the upstream
/// request, freeing the model slot) and every further host call from it fails at once.
///
/// The invocation's thread carries it (`current`), since the plugin ABI identifies only the
/// plugin, not the invocation, in a host call.
final class AgentInvocationScope: Sendable {
    private struct State {
        var expired = false
        var sockets: Set<Int32> = []
    }

    private let state = Mutex(State())

    var isExpired: Bool { state.withLock { $0.expired } }

    /// The deadline passed: cuts every open sub-call; later ones are refused.
    func expire() {
        state.withLock { state in
            state.expired = true
            for socket in state.sockets { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    /// Registers an open sub-call's socket; false when the deadline has already passed.
    func adopt(_ socket: Int32) -> Bool {
        state.withLock { state in
            guard !state.expired else { return false }
            state.sockets.insert(socket)
            return true
        }
    }

    /// Called before the socket is closed, so a reused descriptor number is never shut down.
    func relinquish(_ socket: Int32) {
        _ = state.withLock { $0.sockets.remove(socket) }
    }

    /// The scope of the invocation running on this thread, if any.
    static var current: AgentInvocationScope? {
        pthread_getspecific(key).map { Unmanaged<AgentInvocationScope>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs `body` with `self` as this thread's current scope.
    func makeCurrent<Result>(during body: () -> Result) -> Result {
        let previous = pthread_getspecific(Self.key)
        pthread_setspecific(Self.key, Unmanaged.passUnretained(self).toOpaque())
        defer { pthread_setspecific(Self.key, previous) }
        return body()
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        precondition(pthread_key_create(&key, nil) == 0, "cannot create the agent scope key")
        return key
    }()
}
