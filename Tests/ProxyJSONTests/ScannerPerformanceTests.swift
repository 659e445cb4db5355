import Glibc
import Testing
import ProxyJSON

/// The scanner sits on the hot path of every request: a 1 MB body must take under a millisecond
/// in a release build. Debug builds are unoptimised, so they only get a loose bound. Time is the
/// thread's CPU time, so other work on a busy machine does not make the test flaky.
/// A benchmark, not a test (timings depend on the machine): run it by hand with
/// `PROXYJSON_BENCH=1 swift test -c release --filter ScannerPerformanceTests`.
@Suite(.enabled(if: getenv("PROXYJSON_BENCH") != nil)) struct ScannerPerformanceTests {
    #if DEBUG
    static let budgetPerMegabyte = 0.060
    #else
    static let budgetPerMegabyte = 0.001
    #endif

    /// A chat request of about 1 MB of plain English prose, the common case.
    static func proseBody() -> [UInt8] {
        let sentence = "The quick brown fox jumps over the lazy dog while the proxy forwards every byte. "
        let content = String(repeating: sentence, count: 1_000_000 / sentence.utf8.count) + "\\n"
        return Array(#"{"model":"tiny-a","messages":[{"role":"user","content":"\#(content)"}]}"#.utf8)
    }

    /// A chat request of about 1 MB dense with escapes and non-ASCII text (a special byte every
    /// ten or so), the hard case for the string fast path.
    static func chatBody(megabytes: Int = 1) -> [UInt8] {
        let paragraph = "The quick brown fox jumps over the lazy dog; \\\"quoted\\\" text, tabs\\t, "
            + "newlines\\n and unicode \\u00e9 é 日本語. "
        var messages: [String] = []
        var size = 0
        while size < megabytes * 1_000_000 {
            let content = String(repeating: paragraph, count: 40)
            messages.append(#"{"role":"user","content":"\#(content)"}"#)
            size += content.utf8.count + 30
        }
        let body = #"{"model":"tiny-a","stream":true,"temperature":0.7,"messages":["#
            + messages.joined(separator: ",") + "]}"
        return Array(body.utf8)
    }

    /// An embeddings request of about 1 MB made of numbers: the opposite shape, many short tokens.
    static func numbersBody() -> [UInt8] {
        var body = #"{"model":"tiny-a","input":["#
        var first = true
        while body.utf8.count < 1_000_000 {
            body += first ? "" : ","
            body += "[-0.0123456,1.5e-3,42,0.333333,-7]"
            first = false
        }
        return Array((body + "]}").utf8)
    }

    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Best of several runs, in seconds per megabyte (10^6 bytes).
    static func secondsPerMegabyte(_ body: [UInt8]) throws -> Double {
        var best = Double.infinity
        for _ in 0..<20 {
            let start = threadCPUSeconds()
            let summary = try JSONScanner.scanRequestBody(body)
            best = min(best, threadCPUSeconds() - start)
            #expect(summary.model == "tiny-a")
        }
        return best / (Double(body.count) / 1e6)
    }

    @Test func proseBodyScansWithinBudget() throws {
        let body = Self.proseBody()
        let seconds = try Self.secondsPerMegabyte(body)
        print("JSONScanner prose body: \(Int(1 / seconds)) MB/s (\(body.count) bytes)")
        #expect(seconds < Self.budgetPerMegabyte)
    }

    @Test func chatBodyScansWithinBudget() throws {
        let body = Self.chatBody()
        let seconds = try Self.secondsPerMegabyte(body)
        print("JSONScanner chat body: \(Int(1 / seconds)) MB/s (\(body.count) bytes)")
        #expect(seconds < Self.budgetPerMegabyte)
    }

    @Test func numbersBodyScansWithinBudget() throws {
        let body = Self.numbersBody()
        let seconds = try Self.secondsPerMegabyte(body)
        print("JSONScanner numbers body: \(Int(1 / seconds)) MB/s (\(body.count) bytes)")
        // Short tokens cost more per byte than long strings; allow three times the budget.
        #expect(seconds < 3 * Self.budgetPerMegabyte)
    }
}
