import Testing

@testable import ProxyAPI

/// Client-controlled values in log lines: nothing can end the line, drive the terminal or
/// close a quoted field, and every byte is still visible.
@Suite struct LogEscapingTests {
    @Test(arguments: 0...255)
    func everySingleByteComesOutPrintable(byte: Int) {
        let escaped = LogEscaping.escape(bytes: [UInt8(byte)])
        let expected: String
        switch byte {
        case 0x0A: expected = "\\n"
        case 0x0D: expected = "\\r"
        case 0x09: expected = "\\t"
        case 0x5C: expected = "\\\\"
        case 0x22: expected = "\\\""
        case 0x20...0x7E: expected = String(UnicodeScalar(UInt8(byte)))
        default: expected = "\\x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
        }
        #expect(escaped == expected)
        #expect(escaped.utf8.allSatisfy { (0x20...0x7E).contains($0) })
    }

    @Test(arguments: [
        ([0xC3, 0xA9], "é"),  // valid two-byte
        ([0xE2, 0x82, 0xAC], "€"),
        ([0xF0, 0x9F, 0x98, 0x80], "😀"),
        ([0xC2, 0x85], "\\xC2\\x85"),  // NEL, a C1 control
        ([0xC2, 0x9B], "\\xC2\\x9B"),  // CSI
        ([0xC2, 0xA0], "\u{A0}"),  // the first character after C1
        ([0xC0, 0x8A], "\\xC0\\x8A"),  // overlong newline
        ([0xE0, 0x80, 0x8A], "\\xE0\\x80\\x8A"),  // overlong, three bytes
        ([0xED, 0xA0, 0x80], "\\xED\\xA0\\x80"),  // a UTF-16 surrogate
        ([0xF4, 0x90, 0x80, 0x80], "\\xF4\\x90\\x80\\x80"),  // above U+10FFFF
        ([0xE2, 0x82], "\\xE2\\x82"),  // truncated sequence
        ([0xE2, 0x0A], "\\xE2\\n"),  // a lead byte then a newline
        ([0x80], "\\x80"),  // stray continuation byte
        ([0x1B, 0x5B, 0x32, 0x4A], "\\x1B[2J"),  // ESC sequence
    ] as [([UInt8], String)])
    func utf8SequencesAreKeptOnlyWhenWellFormed(bytes: [UInt8], expected: String) {
        #expect(LogEscaping.escape(bytes: bytes) == expected)
    }

    @Test func aForgedLogLineStaysOnItsOwnLine() {
        let model = "tiny-a status=200\n2026-01-01T00:00:00.000Z request GET /admin status=200"
        let escaped = LogEscaping.escape(model)
        #expect(!escaped.contains("\n"))
        #expect(escaped.hasPrefix("tiny-a status=200\\n2026"))
    }

    @Test func longValuesAreCutAtACharacterBoundaryWithAMarker() {
        let value = String(repeating: "a", count: 255) + "é" + String(repeating: "b", count: 100)
        let escaped = LogEscaping.escape(value, limit: 256)
        #expect(escaped == String(repeating: "a", count: 255) + "...(102 more bytes)")
        #expect(LogEscaping.escape(String(repeating: "z", count: 256), limit: 256) == String(repeating: "z", count: 256))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
