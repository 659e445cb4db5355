extension JSONDocumentParser {
    /// Checks the number at the cursor against RFC 8259's grammar and returns it as written.
    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = index
        if peek() == UInt8(ascii: "-") { index += 1 }
        if peek() == UInt8(ascii: "0") {
            index += 1
        } else {
            try expectDigits()
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            try expectDigits()
        }
        if let marker = peek(), marker | 0x20 == UInt8(ascii: "e") {
            index += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { index += 1 }
            try expectDigits()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func expectDigits() throws(JSONSyntaxError) {
        guard let first = peek(), Self.isDigit(first) else { throw error("expected a digit") }
        while let next = peek(), Self.isDigit(next) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// Reads `true`, `false` or `null` at the cursor.
    mutating func expectWord(_ word: String) throws(JSONSyntaxError) {
        for expected in word.utf8 {
            guard peek() == expected else { throw error("invalid literal, expected \(word)") }
            index += 1
        }
    }

    func peek() -> UInt8? {
        index < bytes.count ? bytes[index] : nil
    }

    mutating func skipWhitespace() {
        while let current = peek(), [0x20, 0x0A, 0x0D, 0x09].contains(current) { index += 1 }
    }

    /// A syntax error at the cursor.
    func error(_ reason: String) -> JSONSyntaxError {
        JSONSyntaxError(reason, at: index, in: bytes)
    }
}
