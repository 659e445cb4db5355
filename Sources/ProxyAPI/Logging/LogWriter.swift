import Dispatch
import Glibc
import ProxyTime
import Synchronization

/// Writes log lines to a descriptor from a thread of its own. Callers only append to a buffer
/// bounded in bytes (lines being written count too); when it is full a line is dropped and
/// counted, never waited for, and "N log lines dropped" takes its place in the order once there
/// is room again.
final class LogWriter: Sendable {
    /// The process-wide writer to stderr, 4 MiB of buffer.
    static let standardError = LogWriter(descriptor: 2, capacity: 4 << 20)

    private struct State {
        var pending: [UInt8] = []
        /// Bytes the writer thread has taken and not finished writing.
        var inFlight = 0
        /// Lines dropped since the last notice.
        var dropped = 0
    }

    private let descriptor: Int32
    private let capacity: Int
    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)

    init(descriptor: Int32, capacity: Int) {
        self.descriptor = descriptor
        self.capacity = capacity
        DedicatedThread.start(name: "lsp-log") { [self] in run() }
    }

    /// Appends one whole line (ending in a newline); never blocks on the descriptor.
    func enqueue(_ line: [UInt8]) {
        let wasIdle = state.withLock { state -> Bool in
            guard state.pending.count + state.inFlight + line.count <= capacity else {
                state.dropped += 1
                return false
            }
            let wasIdle = state.pending.isEmpty
            if state.dropped > 0 {
                state.pending += Self.droppedNotice(state.dropped)
                state.dropped = 0
            }
            state.pending += line
            return wasIdle
        }
        if wasIdle { wakeUp.signal() }
    }

    /// Returns once everything enqueued so far is written, or after `timeout` seconds.
    func flush(timeout: Double) {
        let deadline = MonotonicClock.now() &+ UInt64(max(0, timeout) * 1e9)
        wakeUp.signal()
        while state.withLock({ !$0.pending.isEmpty || $0.inFlight > 0 || $0.dropped > 0 }) {
            guard MonotonicClock.now() < deadline else { return }
            usleep(1_000)
        }
    }

    private func run() {
        while true {
            wakeUp.wait()
            while let batch = takeBatch() {
                writeAll(batch)
                state.withLock { $0.inFlight = 0 }
            }
        }
    }

    /// Everything pending, else the notice of lines dropped while the buffer was full.
    private func takeBatch() -> [UInt8]? {
        state.withLock { state -> [UInt8]? in
            var batch: [UInt8] = []
            swap(&batch, &state.pending)
            if batch.isEmpty && state.dropped > 0 {
                batch = Self.droppedNotice(state.dropped)
                state.dropped = 0
            }
            guard !batch.isEmpty else { return nil }
            state.inFlight = batch.count
            return batch
        }
    }

    private func writeAll(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else if written < 0 && errno == EAGAIN {
                    // A non-blocking descriptor (set so by whoever shares it): wait until writable.
                    var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&entry, 1, -1)
                } else {
                    return  // closed or broken: the lines are lost, the proxy keeps serving
                }
            }
        }
    }

    private static func droppedNotice(_ count: Int) -> [UInt8] {
        Array("\(Logger.timestamp()) \(count) log line\(count == 1 ? "" : "s") dropped (stderr too slow)\n".utf8)
    }
}
