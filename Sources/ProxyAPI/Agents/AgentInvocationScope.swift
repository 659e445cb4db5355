import Glibc
import Synchronization

/// One agent invocation as its host calls see it: once its deadline passes, the model calls it
/// has under way are stopped (their client leaves, so the upstream request is abandoned and the
/// model slot freed) and every further host call from it fails at once.
///
/// The invocation's thread carries it (`current`), since the plugin ABI identifies only the
/// plugin, not the invocation, in a host call.
final class AgentInvocationScope: Sendable {
    private struct State {
        var expired = false
        var lastCut: UInt64 = 0
        var cuts: [UInt64: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    var isExpired: Bool { state.withLock { $0.expired } }

    /// The deadline passed: stops every call under way; later ones are refused.
    func expire() {
        let cuts = state.withLock { state in
            state.expired = true
            defer { state.cuts = [:] }
            return Array(state.cuts.values)
        }
        for cut in cuts { cut() }
    }

    /// Registers how to stop a call under way; nil when the deadline has already passed.
    func adopt(_ cut: @escaping @Sendable () -> Void) -> UInt64? {
        state.withLock { state in
            guard !state.expired else { return nil }
            state.lastCut += 1
            state.cuts[state.lastCut] = cut
            return state.lastCut
        }
    }

    /// The call ended: nothing to stop any more.
    func relinquish(_ id: UInt64) {
        _ = state.withLock { $0.cuts.removeValue(forKey: id) }
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
