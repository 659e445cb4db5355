import Glibc

/// A byte stream where every 64 KB block starts with its own index, so a lost, repeated or
/// reordered block is caught, and can be checked cheaply wherever a read happens to split it.
enum BulkPattern {
    static let blockSize = 64 * 1024
    private static let filler: [UInt8] = (0..<blockSize).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    static func block(_ index: Int) -> [UInt8] {
        var block = filler
        withUnsafeBytes(of: UInt64(index).littleEndian) { block.replaceSubrange(0..<8, with: $0) }
        return block
    }

    /// Checks a stream piece by piece as it arrives.
    struct Verifier {
        private(set) var offset = 0
        private(set) var mismatchAt: Int?
        private var current: (index: Int, bytes: [UInt8]) = (0, BulkPattern.block(0))

        mutating func check(_ piece: ArraySlice<UInt8>) {
            var piece = piece
            while !piece.isEmpty, mismatchAt == nil {
                let index = offset / blockSize
                if current.index != index { current = (index, BulkPattern.block(index)) }
                let start = offset % blockSize
                let count = min(piece.count, blockSize - start)
                let same = piece.prefix(count).withUnsafeBytes { got in
                    current.bytes[start..<(start + count)].withUnsafeBytes { want in
                        // Both are non-empty here; memcmp keeps a 20 MB check fast in debug builds.
                        memcmp(got.baseAddress!, want.baseAddress!, count) == 0
                    }
                }
                if !same { mismatchAt = offset }
                offset += count
                piece = piece.dropFirst(count)
            }
        }
    }
}
