import ProxyTime
import Glibc

extension ChildProcess {
    /// Reads the child's output into the log tail until EOF, handing each finished line to
    /// `output` (outside the status lock). While it loads, it also probes:
    /// right after the spawn, soon after the child writes something (llama-server logs as it
    /// finishes loading), and on a backing-off timer (`ProbeSchedule`).
    func followOutput(_ fd: Int32) {
        defer {
            if let last = status.withLock({ $0.tail.finishUnfinished() }) {
                output([last])
                followMemoryReports([last], loading: true)
            }
            for bytes in memoryFollower.withLock({ $0.finish() }) { report(.reported(bytes: bytes)) }
            close(fd)
            outputClosed.signal()
        }
        var schedule = ProbeSchedule(
            start: MonotonicClock.now(),
            loadTimeout: settings.loadTimeout > 0 ? UInt64(settings.loadTimeout * 1e9) : nil)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if schedule.isLoading && schedule.probeIsDue(now: MonotonicClock.now()) {
                if !probeOnce(schedule: &schedule) { schedule.isLoading = false }
            }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pollFD, 1, schedule.isLoading ? schedule.pollTimeout(now: MonotonicClock.now()) : -1)
            if ready < 0 && errno != EINTR { return }
            guard ready > 0 else { continue }
            let count = read(fd, &buffer, buffer.count)
            if count == 0 { return }  // every writer is gone: the child (and its group) exited
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return
            }
            var finished: [[UInt8]] = []
            if status.withLock({ $0.tail.append(buffer[0..<count], finished: &finished) }) {
                schedule.outputArrived(now: MonotonicClock.now())
            }
            if !finished.isEmpty {
                output(finished)
                followMemoryReports(finished, loading: schedule.isLoading)
            }
            // Once loaded, llama-server logs ~10 lines per request; waking for each costs the proxy
            // ~100 µs of CPU per request. Let them gather in the pipe (64 KiB) and read in batches.
            if !schedule.isLoading { usleep(Self.readyOutputBatchMicroseconds) }
        }
    }

    static let readyOutputBatchMicroseconds: UInt32 = 20_000

    /// Hands the lines to the memory reader while it follows, and each report it finishes to the pool.
    private func followMemoryReports(_ lines: [[UInt8]], loading: Bool) {
        let figures = memoryFollower.withLock { follower in
            follower.isFollowing ? follower.read(lines, loading: loading) : []
        }
        for bytes in figures { report(.reported(bytes: bytes)) }
    }

    /// One readiness check; returns whether the child is still loading.
    private func probeOnce(schedule: inout ProbeSchedule) -> Bool {
        if status.withLock({ $0.stopRequested }) { return false }
        let ready = settings.probe.isReady(endpoint)
        let now = MonotonicClock.now()
        schedule.probed(now: now)
        if ready {
            report(.ready)
            if settings.measureResidentMemory, let pid = status.withLock({ $0.pid }),
               let bytes = ProcessMemory.residentBytes(ofTree: pid) {
                report(.measured(bytes: bytes))
            }
            return false
        }
        if schedule.isPastDeadline(now: now) {
            report(.loadTimedOut(logTail: status.withLock { $0.tail.lines }))
            return false
        }
        return true
    }
}
