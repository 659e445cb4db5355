import Endpoints
import Dispatch
import Foundation
import ProxyTime
import Synchronization

/// What a child tells the pool, from the child's own threads.
enum ChildEvent: Sendable {
    /// With the slot-cache key its `--slot-save-path` was made for (nil: the cache is off).
    case spawned(pid: Int32, cacheKey: SlotCacheKey?)
    case ready
    /// The resident memory of its process tree, right after `ready` (on devices that measure it).
    case measured(bytes: UInt64)
    /// What it said it allocated (its `ChildMemoryReader` finished a report), while it loads.
    case reported(bytes: UInt64)
    case loadTimedOut(logTail: [String])
    /// Always the last event, after the process is reaped and its socket removed.
    case exited(ChildExit)
}

/// One llama-server (or command upstream) process: spawn, output, readiness, exit, stop. It holds no policy; it
/// reports `ChildEvent`s and does what it is told. Two threads per child: one that forked it
/// and then reads its output and probes it, one blocked in waitid until it exits.
final class ChildProcess: Sendable {
    struct Settings: Sendable {
        var loadTimeout: Double
        var stopTimeout: Double
        var probe: any ReadinessProbe
        /// Set in (or added to) the proxy's environment for the child: its device's.
        var environment: [String: String] = [:]
        /// After the spec's arguments (and before `--host`): its device's.
        var extraArguments: [String] = []
        var measureResidentMemory = false
        /// Where the slot-cache folders are (one per key); nil: the cache is off.
        var slotCacheRoot: String?
        /// Reads its output for what it says it allocated (nil: nothing is read).
        var memoryReader: (any ChildMemoryReader)?
        /// The llama.cpp RPC servers it will use: each must accept a TCP connection within
        /// `rpcConnectTimeout` (0: the kernel's limit) before the child is started.
        var rpcServers: [UpstreamEndpoint] = []
        var rpcConnectTimeout: Double = 10
    }

    struct Status: Sendable {
        var pid: Int32?
        /// Set, under the lock, before the pid is reaped: no signal can then reach a recycled pid.
        var reaped = false
        var stopRequested = false
        /// The SIGKILL that follows a SIGTERM after the stop timeout.
        var killTimer: TimerThread.Token?
        var tail = LogTail()
    }

    let spec: LaunchSpec
    let instance: Int
    let endpoint: UpstreamEndpoint
    let settings: Settings
    let report: @Sendable (ChildEvent) -> Void
    /// Receives the lines it writes (kept ones, without line ends), on its output thread.
    let output: @Sendable ([[UInt8]]) -> Void
    let status = Mutex(Status())
    /// Touched only by the output thread; a lock of its own, so it never waits for `status`.
    let memoryFollower: Mutex<ChildMemoryFollower>
    let outputClosed = DispatchSemaphore(value: 0)
    let reapedSignal = DispatchSemaphore(value: 0)

    init(
        spec: LaunchSpec, instance: Int, endpoint: UpstreamEndpoint, settings: Settings,
        output: @escaping @Sendable ([[UInt8]]) -> Void = { _ in },
        report: @escaping @Sendable (ChildEvent) -> Void
    ) {
        self.output = output
        self.spec = spec
        self.instance = instance
        self.endpoint = endpoint
        self.settings = settings
        self.report = report
        memoryFollower = Mutex(ChildMemoryFollower(reader: settings.memoryReader))
    }

    /// The UNIX socket the child listens on, if it does not listen on TCP.
    var socketPath: String? {
        guard case .unixSocket(let path) = endpoint else { return nil }
        return path
    }

    /// Returns at once; the child's thread spawns it and follows it until it is gone.
    func launch() {
        Thread.detachNewThread { [self] in
            Thread.current.name = "llama-\(instance)"  // shows in gdb and top -H
            run()
        }
    }

    /// The forking thread must outlive the child: PR_SET_PDEATHSIG fires when the *thread* that
    /// forked exits, not the process. So this thread waits for the reap before it ends.
    private func run() {
        guard let (pid, outputFD) = spawn() else { return }
        Thread.detachNewThread { [self] in
            Thread.current.name = "llama-\(instance)-wait"
            watchExit(pid)
        }
        followOutput(outputFD)
        reapedSignal.wait()
    }
}
