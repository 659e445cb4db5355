import ProxyTime
import Dispatch
import Synchronization

/// A fixed number of dedicated threads taking jobs from one FIFO queue of bounded length. A job
/// beyond the bound is refused at once (`submit` returns false), never queued without limit, and
/// the threads are the proxy's own, so whatever they run cannot delay GCD's shared pool or the
/// timer thread.
final class BoundedExecutor: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job?] = []
        var head = 0
        var busyThreads = 0

        var pending: Int { jobs.count - head }

        mutating func popFirst() -> Job? {
            guard head < jobs.count else { return nil }
            let job = jobs[head]
            jobs[head] = nil
            head += 1
            if head >= 1024 && head * 2 >= jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    let threadCount: Int
    /// Jobs that may wait while every thread is busy.
    let queueLimit: Int
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    init(name: String, threads: Int, queueLimit: Int) {
        precondition(threads > 0 && queueLimit >= 0)
        threadCount = threads
        self.queueLimit = queueLimit
        for index in 0..<threads {
            DedicatedThread.start(name: "\(name)-\(index)") { [self] in work() }
        }
    }

    /// Queues `job`; false (and `job` is dropped) when every thread is busy and the queue is full.
    func submit(_ job: @escaping Job) -> Bool {
        let accepted = state.withLock { state -> Bool in
            let idleThreads = threadCount - state.busyThreads
            guard state.pending < queueLimit + idleThreads else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Jobs queued and not yet taken by a thread (for tests and diagnostics).
    var queuedCount: Int { state.withLock { $0.pending } }

    private func work() {
        while true {
            available.wait()
            guard let job = state.withLock({ state -> Job? in
                let job = state.popFirst()
                if job != nil { state.busyThreads += 1 }
                return job
            }) else { continue }
            job()
            state.withLock { $0.busyThreads -= 1 }
        }
    }
}
