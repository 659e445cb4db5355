import TestSupport

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
            var generator = SeededGenerator(seed: seed)
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

extension Array where Element == UInt8 {
    /// Test input written as a string.
    init(ascii string: String) {
        self = Array(string.utf8)
    }
}
