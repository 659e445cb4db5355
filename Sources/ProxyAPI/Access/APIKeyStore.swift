import ProxyConfig

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
        var found: UInt8 = 0
        for index in padded.indices {
            found |= Self.equal(candidate, padded[index], length: lengths[index], width: width)
        }
        return found != 0
    }

    /// 1 if equal, else 0; always reads `width` bytes of each side (the candidate zero-padded,
    /// a longer candidate never equal).
    @inline(never)
    private static func equal(_ candidate: UnsafeBufferPointer<UInt8>, _ key: [UInt8], length: Int, width: Int) -> UInt8 {
        var difference = UInt(bitPattern: candidate.count ^ length)
        key.withUnsafeBufferPointer { key in
            let count = min(candidate.count, width)
            for index in 0..<width {
                // The mask keeps the loop free of a branch on the candidate's length.
                let inCandidate = UInt8(truncatingIfNeeded: (index &- count) >> (Int.bitWidth - 1))
                let byte = candidate.isEmpty ? 0 : candidate[min(index, candidate.count - 1)] & inCandidate
                difference |= UInt(byte ^ key[index])
            }
        }
        return difference == 0 ? 1 : 0
    }
}
