/// One splice of a byte buffer: `range` (empty for an insertion) becomes `replacement`.
struct ByteEdit {
    var range: Range<Int>
    var replacement: [UInt8]

    /// Applies non-overlapping edits; every byte outside their ranges is copied unchanged.
    /// An insertion and a removal starting at the same offset apply in that order.
    static func apply(_ edits: [ByteEdit], to bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + edits.reduce(0) { $0 + $1.replacement.count })
        var copied = 0
        for edit in edits.sorted(by: { ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound) }) {
            output += bytes[copied..<edit.range.lowerBound]
            output += edit.replacement
            copied = edit.range.upperBound
        }
        output += bytes[copied...]
        return output
    }
}
