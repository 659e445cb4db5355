import ProxyTime
import Glibc

extension ChildProcess {
    /// SIGTERM, then SIGKILL (on the timer thread) if it is still there after the stop timeout.
    /// Before the spawn has happened, the spawn kills it instead.
    func terminate() {
        guard signal(SIGTERM) else { return }
        let timeout = settings.stopTimeout
        guard timeout > 0 else {
            signal(SIGKILL)
            return
        }
        let token = TimerThread.shared.schedule(after: timeout) { [self] in signal(SIGKILL) }
        let alreadyReaped = status.withLock { status in
            status.killTimer = token
            return status.reaped
        }
        if alreadyReaped { TimerThread.shared.cancel(token) }
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

    /// The child is reaped: a pending SIGKILL escalation has nothing left to do.
    func cancelKillTimer() {
        if let token = status.withLock({ $0.killTimer }) { TimerThread.shared.cancel(token) }
    }
}
