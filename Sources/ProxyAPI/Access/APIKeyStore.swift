/// A set of secrets checked in constant time: every stored key is compared, each over the same
/// number of bytes, with no early exit, so neither the position of the first differing byte nor
/// which key matched shows in the time taken. (The time depends on the number of keys and on
/// the longest one, rounded up to 64 bytes: nothing a guess can learn from.)
struct APIKeyStore: Sendable {
    /// Each key zero-padded to `width` bytes.
    private let padded: [[UInt8]]
    private let lengths: [Int]
    private let width: Int

    init(_ keys: [String]) {
        let longest = keys.map(\.utf8.count).max() ?? 0
        let width = max(64, (longest + 63) / 64 * 64)
        self.width = width
        lengths = keys.map(\.utf8.count)
        padded = keys.map { key in Array(key.utf8) + [UInt8](repeating: 0, count: width - key.utf8.count) }
    }

    var isEmpty: Bool { padded.isEmpty }

    /// Whether `candidate` equals one of the keys.
    func contains(_ candidate: Substring) -> Bool {
        var candidate = candidate
        return candidate.withUTF8 { contains(bytes: $0) }
    }

    func contains(bytes candidate: UnsafeBufferPointer<UInt8>) -> Bool {
        // The candidate zero-padded (or cut) to `width` once; a longer one never equals a key,
        // as its length differs.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: width) { buffer in
            buffer.initialize(repeating: 0)
            _ = buffer.initialize(fromContentsOf: candidate.prefix(width))
            var found: UInt8 = 0
            for index in padded.indices {
                found |= Self.equal(UnsafeBufferPointer(buffer), padded[index], lengthDifference: candidate.count ^ lengths[index])
            }
            return found != 0
        }
    }

    /// 1 if both `width`-byte buffers are equal and the lengths were, else 0; reads every byte.
    @inline(never)
    private static func equal(_ candidate: UnsafeBufferPointer<UInt8>, _ key: [UInt8], lengthDifference: Int) -> UInt8 {
        var difference = UInt(bitPattern: lengthDifference)
        key.withUnsafeBufferPointer { key in
            for index in 0..<key.count { difference |= UInt(candidate[index] ^ key[index]) }
        }
        return difference == 0 ? 1 : 0
    }
}
