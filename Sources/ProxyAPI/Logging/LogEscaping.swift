import ProxyJSON

/// Makes a client-controlled value safe to put in a log line: it cannot start a new line, move
/// the cursor, forge a field or grow the line without bound.
///
/// - `\n`, `\r`, `\t` become those two-character escapes; every other C0 control, DEL, the C1
///   controls (U+0080-U+009F) and every byte that is not part of valid UTF-8 become `\xNN`
///   (one per byte); `\` and `"` are escaped too, so a quoted field cannot be closed early.
/// - Other valid UTF-8 passes unchanged.
/// - `escapingQuotes: false` leaves `\` and `"` as they are, for text that fills the rest of a
///   line rather than a quoted field (a child's output line, say): it still cannot break the line.
/// - Values longer than `limit` bytes are cut at a character boundary and end with
///   `...(N more bytes)`.
enum LogEscaping {
    static let defaultLimit = 256

    static func escape(_ value: String, limit: Int = defaultLimit, escapingQuotes: Bool = true) -> String {
        if value.utf8.count <= limit && value.utf8.allSatisfy({ passesUnchanged($0, escapingQuotes: escapingQuotes) }) {
            return value  // the common case, without a copy: a line is written per request
        }
        return escape(bytes: Array(value.utf8), limit: limit, escapingQuotes: escapingQuotes)
    }

    static func escape(bytes: [UInt8], limit: Int = defaultLimit, escapingQuotes: Bool = true) -> String {
        if bytes.count <= limit && bytes.allSatisfy({ passesUnchanged($0, escapingQuotes: escapingQuotes) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var output: [UInt8] = []
        output.reserveCapacity(min(bytes.count, limit) + 16)
        var index = 0
        while index < bytes.count {
            let length = validSequenceLength(bytes, at: index)
            guard index + max(length, 1) <= limit else {
                output += Array("...(\(bytes.count - index) more bytes)".utf8)
                break
            }
            if length == 0 {
                appendHex(bytes[index], to: &output)
                index += 1
            } else if length == 2 && bytes[index] == 0xC2 && bytes[index + 1] < 0xA0 {
                appendHex(bytes[index], to: &output)  // a C1 control
                appendHex(bytes[index + 1], to: &output)
                index += 2
            } else if length == 1 {
                appendASCII(bytes[index], to: &output, escapingQuotes: escapingQuotes)
                index += 1
            } else {
                output += bytes[index..<(index + length)]
                index += length
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Printable ASCII that needs no escape.
    @inline(__always)
    private static func passesUnchanged(_ byte: UInt8, escapingQuotes: Bool) -> Bool {
        byte >= 0x20 && byte < 0x7F && !(escapingQuotes && (byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\"")))
    }

    private static func appendASCII(_ byte: UInt8, to output: inout [UInt8], escapingQuotes: Bool) {
        switch byte {
        case UInt8(ascii: "\n"): output += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case UInt8(ascii: "\r"): output += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case UInt8(ascii: "\t"): output += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case UInt8(ascii: "\\") where escapingQuotes, UInt8(ascii: "\"") where escapingQuotes:
            output += [UInt8(ascii: "\\"), byte]
        case 0x00..<0x20, 0x7F: appendHex(byte, to: &output)
        default: output.append(byte)
        }
    }

    private static func appendHex(_ byte: UInt8, to output: inout [UInt8]) {
        let digits = Array("0123456789ABCDEF".utf8)
        output += [UInt8(ascii: "\\"), UInt8(ascii: "x"), digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]]
    }

    /// The length of the well-formed UTF-8 sequence starting at `index` (RFC 3629: no overlong
    /// forms, no surrogates, nothing above U+10FFFF), or 0 when the byte there does not start one.
    static func validSequenceLength(_ bytes: [UInt8], at index: Int) -> Int {
        if bytes[index] < 0x80 { return 1 }
        guard let (length, secondRange) = UTF8LeadByte.multiByteShape(bytes[index]) else { return 0 }
        guard index + length <= bytes.count, secondRange.contains(bytes[index + 1]) else { return 0 }
        for offset in 2..<length where !UTF8LeadByte.continuation.contains(bytes[index + offset]) { return 0 }
        return length
    }
}
