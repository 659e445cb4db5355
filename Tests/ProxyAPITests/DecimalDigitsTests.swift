import Foundation
@testable import ProxyAPI
import Testing

@Suite struct DecimalDigitsTests {
    @Test(arguments: [
        (0, 1, "0"), (7, 2, "07"), (42, 2, "42"), (123, 2, "123"), (5, 4, "0005"), (2026, 4, "2026"),
        (-5, 3, "-005"), (Int.max, 1, "9223372036854775807"), (Int.min, 1, "-9223372036854775808"),
        (1_000_000, 1, "1000000"), (9, 1, "9"), (10, 1, "10"),
    ])
    func integersAreWrittenZeroPadded(_ value: Int, _ width: Int, _ expected: String) {
        var bytes: [UInt8] = []
        DecimalDigits.append(value, width: width, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        (UInt64(0), "0.00"), (4_999, "0.00"), (5_000, "0.01"), (1_234_567, "1.23"), (1_235_000, "1.24"),
        (999_995_000, "1000.00"), (12_000_000_000, "12000.00"), (UInt64.max, "18446744073709.55"),
    ])
    func millisecondsHaveTwoDecimalsRoundedHalfUp(_ nanoseconds: UInt64, _ expected: String) {
        #expect(DecimalDigits.milliseconds(fromNanoseconds: nanoseconds) == expected)
    }

    /// The same text `String(format:)` gave for every value it could be asked for in a log line.
    @Test func millisecondsMatchFoundationsFormattingAwayFromTies() {
        for nanoseconds: UInt64 in stride(from: 1_234, to: 50_000_000, by: 98_761) where nanoseconds % 10_000 != 5_000 {
            #expect(DecimalDigits.milliseconds(fromNanoseconds: nanoseconds) == String(format: "%.2f", Double(nanoseconds) / 1e6))
        }
    }

    @Test func timestampsAreUTCWithMilliseconds() throws {
        let stamp = Logger.timestamp()
        #expect(stamp.utf8.count == 24)
        #expect(stamp.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z/) != nil)
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: stamp))
        #expect(abs(parsed.timeIntervalSinceNow) < 60)
    }
}
