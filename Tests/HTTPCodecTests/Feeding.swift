/// How test input reaches a parser: all at once, one byte at a time, or in pseudo-random pieces
/// (seeded, so a failure replays the same way).
enum Feeding: Sendable, CustomStringConvertible, CaseIterable {
    case whole
    case byteByByte
    case randomPieces(seed: UInt64)

    static let allCases: [Feeding] = [.whole, .byteByByte, .randomPieces(seed: 1), .randomPieces(seed: 7), .randomPieces(seed: 42)]

    var description: String {
        switch self {
        case .whole: "whole"
        case .byteByByte: "byte by byte"
        case .randomPieces(let seed): "random pieces (seed \(seed))"
        }
    }

    /// Splits `input` into the pieces this feeding delivers.
    func pieces(of input: [UInt8]) -> [ArraySlice<UInt8>] {
        switch self {
        case .whole:
            return [input[...]]
        case .byteByByte:
            return input.indices.map { input[$0...$0] }
        case .randomPieces(let seed):
            var generator = SplitMix64(seed: seed)
            var pieces: [ArraySlice<UInt8>] = []
            var start = 0
            while start < input.count {
                let end = min(input.count, start + Int.random(in: 1...23, using: &generator))
                pieces.append(input[start..<end])
                start = end
            }
            return pieces
        }
    }
}

/// A small deterministic generator (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

extension Array where Element == UInt8 {
    /// Test input written as a string.
    init(ascii string: String) {
        self = Array(string.utf8)
    }
}
