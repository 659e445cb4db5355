import Foundation
import Glibc

/// Line-oriented log to stderr. `log` only stamps the line and hands it to a writer thread
/// (`LogWriter`): a slow or full stderr never stalls the caller (an event loop, say). Each line
/// leaves in one piece and in order; lines beyond the writer's buffer are dropped and counted.
/// With a `LogStore`, each line is also kept there, as the proxy's (for `GET /logs`).
public struct Logger: Sendable {
    let writer: LogWriter
    let store: LogStore?

    public init() { self.init(writer: .standardError) }

    init(writer: LogWriter, store: LogStore? = nil) {
        self.writer = writer
        self.store = store
    }

    /// The same log, its lines kept in `store` too.
    func keeping(in store: LogStore) -> Logger {
        Logger(writer: writer, store: store)
    }

    public func log(_ message: String) {
        let time = Self.timestamp()
        writer.enqueue(Array("\(time) \(message)\n".utf8))
        store?.appendProxy(message, time: time)
    }

    /// Waits until every line logged so far has been written (or `timeout` seconds passed, so an
    /// exit is not held up forever by a stderr nobody reads).
    public func flush(timeout: Double = 2) {
        writer.flush(timeout: timeout)
    }

    /// For `atexit`: flushes the process-wide stderr writer.
    public static func flushStandardError() {
        LogWriter.standardError.flush(timeout: 2)
    }

    /// UTC, millisecond precision: `2026-01-31T12:00:00.123Z`.
    static func timestamp() -> String {
        var now = timeval()
        gettimeofday(&now, nil)
        var seconds = now.tv_sec
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        let fields: [(value: Int32, width: Int, separator: UInt8)] = [
            (parts.tm_year + 1900, 4, UInt8(ascii: "-")), (parts.tm_mon + 1, 2, UInt8(ascii: "-")),
            (parts.tm_mday, 2, UInt8(ascii: "T")), (parts.tm_hour, 2, UInt8(ascii: ":")),
            (parts.tm_min, 2, UInt8(ascii: ":")), (parts.tm_sec, 2, UInt8(ascii: ".")),
            (Int32(now.tv_usec / 1000), 3, UInt8(ascii: "Z")),
        ]
        for field in fields {
            DecimalDigits.append(Int(field.value), width: field.width, to: &bytes)
            bytes.append(field.separator)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
