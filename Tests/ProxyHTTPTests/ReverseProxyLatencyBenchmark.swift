import ProxyTime
import Foundation
import Testing

@testable import ProxyHTTP

/// What the proxy adds to a small keep-alive request: the same requests straight to the
/// in-process upstream and through the proxy, one at a time. Run by hand on a release build:
/// `PROXYHTTP_BENCH=20000 <release test binary> --testing-library swift-testing --filter Latency`.
@Suite struct ReverseProxyLatencyBenchmark {
    static let requests = ProcessInfo.processInfo.environment["PROXYHTTP_BENCH"].flatMap { Int($0) }

    @Test(.enabled(if: requests != nil))
    func proxiedVersusDirectSmallRequests() throws {
        let count = Self.requests ?? 0
        let testbed = try ProxyTestbed()
        defer { testbed.stop() }
        guard let upstreamPort = testbed.upstreamServer?.port else { throw TestFailure("no upstream") }
        let direct = try BlockingTestClient(port: upstreamPort)
        let proxied = try testbed.client()
        let body = "{\"model\":\"qwen\",\"stream\":false}"
        let request = Array("POST /echo HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)".utf8)

        func microsecondsPerRequest(_ client: BlockingTestClient, _ rounds: Int) throws -> Double {
            let start = MonotonicClock.now()
            for _ in 0..<rounds {
                client.send(request)
                guard try client.response().body.count == body.utf8.count else { throw TestFailure("bad echo") }
            }
            return Double(MonotonicClock.now() - start) / Double(rounds) / 1000
        }

        _ = try microsecondsPerRequest(direct, 1000)
        _ = try microsecondsPerRequest(proxied, 1000)
        // Interleaved batches, best of each: the machine is shared, so the minimum is the signal.
        var bestDirect = Double.infinity, bestProxied = Double.infinity
        for _ in 0..<5 {
            bestDirect = min(bestDirect, try microsecondsPerRequest(direct, count / 5))
            bestProxied = min(bestProxied, try microsecondsPerRequest(proxied, count / 5))
        }
        print(String(format: "latency: direct %.1f µs, through proxy %.1f µs, added %.1f µs per request",
                     bestDirect, bestProxied, bestProxied - bestDirect))
    }
}
