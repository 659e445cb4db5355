import Foundation
import ProxyHTTP
import ProxyTime
import Testing

@testable import ProxyAPI

/// What reading `timings` adds to a proxied answer: the tap's copy of each piece's tail, then
/// one look-back over the kept bytes and the record. Run by hand on a release build:
/// `PROXYAPI_BENCH=20000 <release test binary> --testing-library swift-testing --filter TimingsReadingBenchmark`
/// (prints nanoseconds; on a loaded machine count instructions instead: the README's figures are
/// callgrind's, for 60 rounds less 10).
@Suite struct TimingsReadingBenchmark {
    static let rounds = ProcessInfo.processInfo.environment["PROXYAPI_BENCH"].flatMap { Int($0) }

    /// A stream of `events` small chunks (one per piece, as llama-server writes them), the last with timings.
    static func stream(events: Int) -> [ArraySlice<UInt8>] {
        let chunk = Array(#"data: {"choices":[{"finish_reason":null,"index":0,"delta":{"content":" word"}}],"created":1733000000,"id":"chatcmpl-abcdefghijklmnop","model":"tiny-a","system_fingerprint":"b1-abc","object":"chat.completion.chunk"}"#.utf8) + [13, 10, 13, 10]
        let last = Array(("data: " + #"{"choices":[{"finish_reason":"length","index":0,"delta":{}}],"object":"chat.completion.chunk","usage":{"completion_tokens":7},"timings":"#
            + LlamaTimingsTests.timingsJSON + "}\r\n\r\ndata: [DONE]\r\n\r\n").utf8)
        return Array(repeating: chunk[...], count: events - 1) + [last[...]]
    }

    /// A JSON body of `bytes` (its content padded), in pieces of 16 KiB as the upstream reads them.
    static func json(bytes: Int) -> [ArraySlice<UInt8>] {
        let body = Array(LlamaTimingsTests.jsonBody.utf8)
        let padded = Array(body[..<40]) + [UInt8](repeating: UInt8(ascii: "x"), count: max(0, bytes - body.count)) + body[40...]
        return stride(from: 0, to: padded.count, by: 16 * 1024).map { padded[$0..<min(padded.count, $0 + 16 * 1024)] }
    }

    @Test(.enabled(if: rounds != nil))
    func nanosecondsPerAnswer() {
        let rounds = Self.rounds ?? 0
        for (name, pieces, type) in [
            ("stream of 100 events", Self.stream(events: 100), "text/event-stream"),
            ("stream of 1000 events", Self.stream(events: 1000), "text/event-stream"),
            ("4 KiB JSON", Self.json(bytes: 4096), "application/json"),
            ("1 MiB JSON", Self.json(bytes: 1 << 20), "application/json"),
        ] {
            var metrics = RequestMetrics()
            var found = 0
            func pass(tapped: Bool) -> Double {
                let start = MonotonicClock.now()
                for _ in 0..<rounds {
                    let tap = tapped ? ResponseBodyTap() : nil
                    tap?.head(status: 200, contentType: type)
                    for piece in pieces { tap?.body(piece) }
                    if let tap {
                        let timings = LlamaTimings.find(in: tap.tail)
                        if timings != nil { found += 1 }
                        metrics.record(timings, model: "tiny-a")
                    }
                }
                return Double(MonotonicClock.now() - start) / Double(rounds)
            }
            let tapped = pass(tapped: true)
            let untapped = pass(tapped: false)
            #expect(found == rounds)
            print("timings reading, \(name): \(String(format: "%.0f", tapped - untapped)) ns per answer (\(String(format: "%.0f", tapped)) with, \(String(format: "%.0f", untapped)) without)")
        }
    }
}
