import Testing
@testable import ModelMemory

/// Random damage to a valid header: every outcome is a parse or a GGUFError, and an estimate
/// from whatever parses is a number (saturated when absurd), never a trap.
@Suite struct CorruptHeaderTests {
    /// xorshift64*, so a failure can be replayed from its seed.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    @Test func damagedHeadersGiveErrorsOrEstimates() throws {
        let original = GGUFBuilder.llama().bytes
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var parsed = 0, refused = 0
        for _ in 0..<3000 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = [0x00, 0xFF, 0x7F, 0x80, UInt8.random(in: 0...255, using: &generator)].randomElement(using: &generator)!
            }
            do {
                let file = try GGUFParser.parse(GGUFMemorySource(bytes))
                parsed += 1
                guard let model = try? ModelHyperparameters(file: file, path: "m.gguf") else { continue }
                let estimate = ModelMemoryEstimator.estimate(model: model, weights: file.tensorBytes,
                                                             arguments: try LlamaServerMemoryArguments(parsing: ["-fa", "off"]))
                #expect(estimate.total >= estimate.weights)
            } catch is GGUFError {
                refused += 1
            }
        }
        // Both outcomes happen, so the damage reaches past the first checks.
        #expect(parsed > 100 && refused > 100, "parsed \(parsed), refused \(refused)")
    }

    @Test func absurdFiguresSaturate() throws {
        let model = ModelHyperparameters(architecture: "llama", layerCount: 2, trainingContext: 1 << 40, embeddingLength: 1 << 40,
                                         headCounts: [1 << 40, 1 << 40], headCountsKV: [1 << 40, 1 << 40],
                                         keyLength: 1 << 40, valueLength: 1 << 40, feedForwardLength: .max, vocabularySize: .max)
        let estimate = ModelMemoryEstimator.estimate(model: model, weights: .max - 1,
                                                     arguments: try LlamaServerMemoryArguments(parsing: ["-fa", "off"]))
        #expect(estimate.kvCache == .max && estimate.compute == .max && estimate.total == .max)
    }
}
