extension JSONScanner {
    /// Validates `bytes` as one JSON document, as `scanRequestBody` does, and says where each
    /// entry of its top-level object or array sits. Offsets are relative to `bytes`.
    public static func scanLayout(_ bytes: UnsafeRawBufferPointer) throws(JSONScanError) -> TopLevelLayout {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw .invalid(offset: 0, reason: "empty document")
        }
        var scan = DocumentScan(base: base, end: bytes.count)
        scan.collectsEntries = true
        let findings = try scan.run()
        let opening = base.load(fromByteOffset: findings.rootFirst, as: UInt8.self)
        guard opening == UInt8(ascii: "{") || opening == UInt8(ascii: "[") else { throw .notAnObject }
        let entries = try findings.entries.map { span throws(JSONScanError) in
            TopLevelLayout.Entry(
                name: findings.topLevelIsObject
                    ? JSONStringDecoding.decode(try scan.scanString(at: span.nameStart), in: base) : nil,
                start: span.nameStart, valueRange: span.valueStart..<span.valueEnd)
        }
        return TopLevelLayout(isObject: findings.topLevelIsObject, openingBracket: findings.rootFirst,
                              closingBracket: findings.rootLast, entries: entries)
    }

    /// Convenience for callers holding an array.
    public static func scanLayout(_ bytes: [UInt8]) throws(JSONScanError) -> TopLevelLayout {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(JSONScanError) -> TopLevelLayout in try scanLayout(raw) }
        }
        return try result.get()
    }

    /// The layout of the container at `range` of `bytes` (a member's value, say), with offsets
    /// relative to the whole of `bytes`; nil when that value is not an object or array.
    public static func scanLayout(_ bytes: [UInt8], in range: Range<Int>) -> TopLevelLayout? {
        // Scanned in place: copying a member's bytes would copy a large image part each time.
        let scanned = bytes.withUnsafeBytes { raw in try? scanLayout(UnsafeRawBufferPointer(rebasing: raw[range])) }
        guard var layout = scanned else { return nil }
        let shift = range.lowerBound
        layout.openingBracket += shift
        layout.closingBracket += shift
        for index in layout.entries.indices {
            layout.entries[index].start += shift
            let value = layout.entries[index].valueRange
            layout.entries[index].valueRange = (value.lowerBound + shift)..<(value.upperBound + shift)
        }
        return layout
    }
}
