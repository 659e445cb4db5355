import ProxyTime
import Glibc

extension ChildProcess {
    /// Its stop signal (SIGTERM unless its command names another) or its stop command, then
    /// SIGKILL (on the timer thread) if it is still there after the stop grace. Before the spawn
    /// has happened, the spawn kills it instead.
    func terminate() {
        if let stopCommand = spec.command?.stopCommand {
            guard let pid = requestStop() else { return }
            runStopCommand(stopCommand, pid: pid)
        } else {
            guard signal(spec.command?.stopSignal ?? SIGTERM) else { return }
        }
        let timeout = spec.stopSeconds ?? settings.stopTimeout
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

    /// Marks the stop; the pid if the child is running.
    private func requestStop() -> Int32? {
        status.withLock { status in
            status.stopRequested = true
            guard let pid = status.pid, !status.reaped else { return nil }
            return pid
        }
    }

    /// The child is reaped: a pending SIGKILL escalation has nothing left to do.
    func cancelKillTimer() {
        if let token = status.withLock({ $0.killTimer }) { TimerThread.shared.cancel(token) }
    }
}
