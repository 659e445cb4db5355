import Dispatch
import Glibc

extension ChildProcess {
    /// Blocks until the child exits, so an unexpected exit is noticed at once, not at the next
    /// request. waitid(WNOWAIT) sees the exit without reaping; the reap then happens under the
    /// status lock, after marking `reaped`, so `signal` never hits a recycled pid.
    func watchExit(_ pid: Int32) {
        var info = siginfo_t()
        var waited: Int32
        repeat { waited = waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) } while waited != 0 && errno == EINTR
        let waitStatus: Int32? = status.withLock { status in
            status.reaped = true
            guard waited == 0 else { return nil }  // not ours to wait for (ECHILD): touch nothing
            // The leader is a zombie, so its group id is still ours to use: take down anything
            // it started, or a grandchild could keep the output socket (and a GPU) busy.
            Glibc.kill(-pid, SIGKILL)
            var raw: Int32 = 0
            while true {
                if waitpid(pid, &raw, 0) == pid { return raw }
                if errno != EINTR { return nil }
            }
        }
        reapedSignal.signal()
        cancelKillTimer()
        _ = outputClosed.wait(timeout: .now() + .milliseconds(500))  // let its last words in
        if let socketPath { unlink(socketPath) }
        let tail = status.withLock { $0.tail.lines }
        report(.exited(ChildExit(description: waitStatus.map(Self.describe) ?? "exited (status unknown)", logTail: tail)))
    }

    static func describe(_ waitStatus: Int32) -> String {
        let signal = waitStatus & 0x7f
        if signal == 0 { return "exited with status \((waitStatus >> 8) & 0xff)" }
        return "killed by signal \(signal) (\(String(cString: strsignal(signal))))"
    }
}
