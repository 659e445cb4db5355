import Glibc
import Synchronization

/// Deadlines on a thread of their own: safety timers (queue and load timeouts, SIGKILL
/// escalation, agent deadlines) fire on time however busy GCD's shared pool or the event loops
/// are. Work handed to it must be short: it runs on this one thread, in deadline order.
public final class TimerThread: Sendable {
    /// Cancels a scheduled deadline; cancelling one that already fired does nothing.
    public struct Token: Sendable, Hashable {
        let id: UInt64
    }

    private struct State {
        /// Deadline order of the ids in `work`; an id missing from `work` was cancelled.
        var heap = DeadlineHeap<(deadline: UInt64, id: UInt64)>()
        var work: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 1
        var stopped = false
    }

    /// The process-wide timer thread, started on first use.
    public static let shared = TimerThread()

    private let state = Mutex(State())
    private let wakeUp = Condition()

    public init() {
        DedicatedThread.start(name: "lsp-timers") { [self] in run() }
    }

    /// Runs `work` on the timer thread once `seconds` have passed.
    @discardableResult
    public func schedule(after seconds: Double, _ work: @escaping @Sendable () -> Void) -> Token {
        let delay = seconds > 0 ? UInt64(min(seconds, 1e9) * 1_000_000_000) : 0
        return schedule(at: MonotonicClock.now() &+ delay, work)
    }

    /// Runs `work` on the timer thread at the monotonic time `deadline` (nanoseconds).
    @discardableResult
    public func schedule(at deadline: UInt64, _ work: @escaping @Sendable () -> Void) -> Token {
        let (token, isEarliest) = state.withLock { state -> (Token, Bool) in
            let id = state.nextID
            state.nextID += 1
            state.heap.insert((deadline, id), key: deadline)
            state.work[id] = work
            return (Token(id: id), state.heap.minimum?.id == id)
        }
        if isEarliest { wakeUp.signal() }
        return token
    }

    /// The deadline's work is dropped at once; its heap entry goes when it comes up, or sooner:
    /// once cancelled entries outnumber live ones (plus some slack) the heap is rebuilt without
    /// them, so cancelling many far deadlines (queue timeouts of requests served in
    /// milliseconds) keeps memory proportional to the deadlines still pending.
    public func cancel(_ token: Token) {
        state.withLock { state in
            guard state.work.removeValue(forKey: token.id) != nil else { return }
            if state.heap.count > 2 * state.work.count + Self.cancelledSlack {
                let work = state.work
                state.heap.removeAll { work[$0.id] == nil }
            }
        }
    }

    static let cancelledSlack = 256

    /// Entries in the deadline heap, cancelled ones included (for tests).
    var heapCount: Int {
        state.withLock { $0.heap.count }
    }

    /// Deadlines not yet fired or cancelled (for tests and diagnostics).
    public var pendingCount: Int {
        state.withLock { $0.work.count }
    }

    /// Stops the thread after the current work; deadlines not yet due never fire.
    public func stop() {
        state.withLock { $0.stopped = true }
        wakeUp.signal()
    }

    private func run() {
        while true {
            enum Step {
                case fire(@Sendable () -> Void)
                case wait(until: UInt64?)
                case skip
                case exit
            }
            let step = state.withLock { state -> Step in
                if state.stopped { return .exit }
                guard let first = state.heap.minimum else { return .wait(until: nil) }
                guard let work = state.work[first.id] else {
                    _ = state.heap.removeMinimum()  // cancelled
                    return .skip
                }
                guard first.deadline <= MonotonicClock.now() else { return .wait(until: first.deadline) }
                _ = state.heap.removeMinimum()
                state.work[first.id] = nil
                return .fire(work)
            }
            switch step {
            case .fire(let work): work()
            case .wait(let deadline): wakeUp.wait(until: deadline)
            case .skip: continue
            case .exit: return
            }
        }
    }
}
