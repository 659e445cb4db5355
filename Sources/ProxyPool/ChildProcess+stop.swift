import Dispatch
import Glibc

extension ChildProcess {
    /// SIGTERM, then SIGKILL if it is still there after the stop timeout. Before the spawn
    /// has happened, the spawn kills it instead.
    func terminate() {
        guard signal(SIGTERM) else { return }
        let timeout = settings.stopTimeout
        guard timeout > 0 else {
            signal(SIGKILL)
            return
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [self] in signal(SIGKILL) }
    }

    func kill() {
        signal(SIGKILL)
    }

    /// Signals the child's whole process group; false if it is not running (yet or any more).
    @discardableResult
    func signal(_ number: Int32) -> Bool {
        status.withLock { status in
            status.stopRequested = true
            guard let pid = status.pid, !status.reaped else { return false }
            if Glibc.kill(-pid, number) != 0 { Glibc.kill(pid, number) }
            return true
        }
    }
}
