#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import HTTPCodec
import Testing

/// Run by hand, in release: `HTTPCODEC_BENCH=1 swift test -c release --filter ThroughputCheck`.
/// Prints timings rather than asserting them (shared CI machines are too noisy for a threshold).
@Suite("Throughput check", .enabled(if: Environment.benchmarkRequested))
struct ThroughputCheck {
    static let chatRequest = Array(ascii: """
        POST /v1/chat/completions HTTP/1.1\r
        Host: 127.0.0.1:8080\r
        User-Agent: python-requests/2.31.0\r
        Accept-Encoding: gzip, deflate\r
        Accept: */*\r
        Connection: keep-alive\r
        Content-Type: application/json\r
        Content-Length: 79\r
        \r
        {"model":"qwen2.5-7b-instruct","messages":[{"role":"user","content":"Hello!"}]}
        """)

    @Test func typicalChatRequest() throws {
        let iterations = Int(String(cString: getenv("HTTPCODEC_BENCH"))) ?? 100_000
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(capacity: 16 * 1024)
        var bodyBytes = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<iterations {
                buffer.append(Self.chatRequest)
                while let part = try parser.next(&buffer) {
                    if case .body(let bytes) = part { bodyBytes += bytes.count }
                    if part == .end { break }
                }
            }
        }
        #expect(bodyBytes == 79 * iterations)
        print("request of \(Self.chatRequest.count) bytes: \(nanoseconds(elapsed) / iterations) ns per request")
    }

    /// Linear scanning shows as a constant cost per byte whatever the head size.
    @Test(arguments: [15_000, 30_000, 60_000])
    func largeHeadByteByByte(padding: Int) throws {
        let head = Array(ascii: "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: padding) + "\r\n\r\n")
        var parser = HTTPRequestParser()
        var buffer = ByteBuffer(capacity: 64 * 1024)
        var parts = 0
        let elapsed = try ContinuousClock().measure {
            for index in head.indices {
                buffer.append(head[index...index])
                while try parser.next(&buffer) != nil { parts += 1 }
            }
        }
        #expect(parts == 2)
        print("\(head.count)-byte head fed byte by byte: \(nanoseconds(elapsed) / head.count) ns per byte")
    }

    private func nanoseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds) * 1_000_000_000 + Int(duration.components.attoseconds / 1_000_000_000)
    }
}

enum Environment {
    static var benchmarkRequested: Bool { getenv("HTTPCODEC_BENCH") != nil }
}
