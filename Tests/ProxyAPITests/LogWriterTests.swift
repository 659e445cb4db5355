import Dispatch
import Glibc
import Testing

@testable import ProxyAPI

/// The log writer's promises: the caller never waits for the descriptor, lines stay whole and in
/// order, and what had to be dropped is counted and reported.
@Suite struct LogWriterTests {
    @Test func aPipeNobodyReadsDoesNotBlockTheCallerAndDropsAreReported() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let (readEnd, writeEnd) = (ends[0], ends[1])
        defer { close(readEnd) }
        let logger = Logger(writer: LogWriter(descriptor: writeEnd, capacity: 16 << 10))
        let total = 20_000
        // Far more than the pipe (64 KiB) and the buffer (16 KiB) hold, with nobody reading: a
        // blocking logger would never return from this loop.
        let returned = DispatchSemaphore(value: 0)
        DispatchQueue(label: "logging").async {
            for number in 0..<total { logger.log("line \(number) " + String(repeating: "x", count: 80)) }
            returned.signal()
        }
        // A deadlock guard only (the loop takes milliseconds); nothing has been read yet.
        try #require(returned.wait(timeout: .now() + 60) == .success, "log() blocked on a full pipe")

        let lines = readAll(readEnd, whileFlushing: logger, thenClosing: writeEnd)
        var expected = 0
        var dropped = 0
        var notices = 0
        for line in lines {
            if line.hasSuffix("log lines dropped (stderr too slow)") || line.hasSuffix("log line dropped (stderr too slow)") {
                let count = try #require(Int(line.split(separator: " ")[1]))
                dropped += count
                notices += 1
                expected += count  // the dropped ones come next in the numbering
                continue
            }
            let fields = line.split(separator: " ")
            try #require(fields.count == 4, "a torn or merged line: \(line)")
            #expect(fields[1] == "line")
            #expect(Int(fields[2]) == expected, "lines out of order")
            #expect(fields[3].count == 80)
            expected += 1
        }
        #expect(notices > 0)
        #expect(dropped > 0)
        #expect(expected == total, "every line is either written or counted as dropped")
    }

    @Test func linesAreWrittenInOrderWhenThereIsRoom() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let logger = Logger(writer: LogWriter(descriptor: ends[1], capacity: 4 << 20))
        for number in 0..<100 { logger.log("entry \(number)") }
        let lines = readAll(ends[0], whileFlushing: logger, thenClosing: ends[1])
        #expect(lines.map { $0.split(separator: " ").dropFirst().joined(separator: " ") } == (0..<100).map { "entry \($0)" })
    }

    /// Reads `readEnd` on another thread until end of file, while the writer drains and is closed.
    private func readAll(_ readEnd: Int32, whileFlushing logger: Logger, thenClosing writeEnd: Int32) -> [String] {
        final class Collected: @unchecked Sendable { var bytes: [UInt8] = [] }
        let collected = Collected()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue(label: "reader").async {
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                collected.bytes += chunk[0..<count]
            }
            done.signal()
        }
        logger.flush(timeout: 60)
        close(writeEnd)
        done.wait()
        return String(decoding: collected.bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
