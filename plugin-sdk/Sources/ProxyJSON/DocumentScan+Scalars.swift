extension DocumentScan {
    /// Checks the number at `start` against RFC 8259's grammar,
    /// `-? (0 | [1-9][0-9]*) (.[0-9]+)? ([eE][+-]?[0-9]+)?`, and returns the position after it.
    @inline(__always) func scanNumber(at start: Int) throws(JSONScanError) -> Int {
        var position = start
        if byte(at: position) == UInt8(ascii: "-") { position += 1 }
        guard position < end else { throw unexpectedEnd() }
        switch byte(at: position) {
        case UInt8(ascii: "0"): position += 1
        case UInt8(ascii: "1")...UInt8(ascii: "9"): position = skipDigits(from: position)
        default: throw .invalid(offset: position, reason: "expected a digit")
        }
        if position < end, byte(at: position) == UInt8(ascii: ".") {
            position = try expectDigits(from: position + 1)
        }
        if position < end, byte(at: position) | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < end, byte(at: position) == UInt8(ascii: "+") || byte(at: position) == UInt8(ascii: "-") {
                position += 1
            }
            position = try expectDigits(from: position)
        }
        return position
    }

    @inline(__always) private func expectDigits(from start: Int) throws(JSONScanError) -> Int {
        guard start < end else { throw unexpectedEnd() }
        guard isDigit(byte(at: start)) else {
            throw .invalid(offset: start, reason: "expected a digit")
        }
        return skipDigits(from: start)
    }

    @inline(__always) private func skipDigits(from start: Int) -> Int {
        var position = start
        while position < end, isDigit(byte(at: position)) { position += 1 }
        return position
    }

    @inline(__always) private func isDigit(_ value: UInt8) -> Bool {
        value &- UInt8(ascii: "0") < 10
    }

    /// Checks for `literal` (`true`, `false` or `null`) at `start`; returns the position after it.
    func expectLiteral(_ literal: StaticString, at start: Int) throws(JSONScanError) -> Int {
        let expected = literal.utf8Start
        for offset in 0..<literal.utf8CodeUnitCount {
            let position = start + offset
            guard position < end else { throw unexpectedEnd() }
            guard byte(at: position) == expected[offset] else {
                throw .invalid(offset: position, reason: "invalid literal, expected \(literal)")
            }
        }
        return start + literal.utf8CodeUnitCount
    }
}
