/// Little-endian reads from a byte source, buffered, with the file offset kept for errors.
/// Every read is bounded: by what the source holds (`truncated`) and by
/// `GGUFLimits.maximumHeaderBytes`.
struct GGUFByteReader<Source: GGUFByteSource> {
    private var source: Source
    private var buffer: [UInt8] = []
    private var position = 0
    private let maximumOffset: UInt64
    private static var chunkSize: Int { 64 << 10 }

    /// Offset in the file of the next byte.
    private(set) var offset: UInt64 = 0

    init(source: Source, maximumOffset: UInt64) {
        self.source = source
        self.maximumOffset = maximumOffset
    }

    mutating func bytes(_ count: UInt64) throws -> ArraySlice<UInt8> {
        try fill(count)
        let start = position
        position += Int(count)
        offset += count
        return buffer[start..<position]
    }

    /// Passes over `count` bytes without keeping them.
    mutating func skip(_ count: UInt64) throws {
        var left = count
        while left > 0 {
            let step = min(left, UInt64(Self.chunkSize))
            _ = try bytes(step)
            left -= step
        }
    }

    mutating func uint8() throws -> UInt8 { try bytes(1).first! }
    mutating func uint16() throws -> UInt16 { UInt16(truncatingIfNeeded: try little(2)) }
    mutating func uint32() throws -> UInt32 { UInt32(truncatingIfNeeded: try little(4)) }
    mutating func uint64() throws -> UInt64 { try little(8) }

    private mutating func little(_ count: UInt64) throws -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in try bytes(count).enumerated() {
            value |= UInt64(byte) << (8 * UInt64(shift))
        }
        return value
    }

    /// Makes sure `count` bytes after `position` are in the buffer.
    private mutating func fill(_ count: UInt64) throws {
        let (end, overflow) = offset.addingReportingOverflow(count)
        guard !overflow, end <= maximumOffset else {
            throw GGUFError.overLimit(what: "header size", value: overflow ? .max : end, limit: maximumOffset, offset: offset)
        }
        let wanted = Int(count)
        if buffer.count - position >= wanted { return }
        buffer.removeFirst(position)
        position = 0
        while buffer.count < wanted {
            let chunk = try source.read(upTo: max(Self.chunkSize, wanted - buffer.count))
            guard !chunk.isEmpty else {
                throw GGUFError.truncated(offset: offset, needed: UInt64(wanted - buffer.count))
            }
            buffer.append(contentsOf: chunk)
        }
    }
}
