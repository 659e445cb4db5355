import TestSupport
import Foundation
import Testing
import ProxyJSON

/// Replays thousands of generated documents, and random corruptions of them, against Foundation's
/// JSONSerialization as an independent judge of well-formedness.
@Suite struct ScannerDifferentialTests {
    static func randomValue(_ random: inout SeededGenerator, depth: Int = 0) -> JSONValue {
        let pick = Int.random(in: 0..<(depth > 3 ? 5 : 7), using: &random)
        switch pick {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .int(Int.random(in: -1_000_000...1_000_000, using: &random))
        case 3: return .number(Double.random(in: -1e6...1e6, using: &random))
        case 4: return .string(randomText(&random))
        case 5:
            return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in randomValue(&random, depth: depth + 1) })
        default:
            return .object((0..<Int.random(in: 0...4, using: &random)).map { _ in
                (randomText(&random), randomValue(&random, depth: depth + 1))
            })
        }
    }

    static func randomText(_ random: inout SeededGenerator) -> String {
        let alphabet = Array("abcXYZ 019\"\\/\n\t\u{1}é日😀")
        return String((0..<Int.random(in: 0...12, using: &random)).map { _ in alphabet.randomElement(using: &random)! })
    }

    /// Insert, delete or replace one byte with something JSON-significant.
    static func corrupt(_ bytes: [UInt8], _ random: inout SeededGenerator) -> [UInt8] {
        let significant = Array(#"{}[],:"\ -+.eE0123456789tfnul ab"#.utf8) + [0x0A, 0x00, 0x1F]
        var result = bytes
        let index = Int.random(in: 0...result.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: result.insert(significant.randomElement(using: &random)!, at: index)
        case 1 where index < result.count: result.remove(at: index)
        default:
            if index < result.count { result[index] = significant.randomElement(using: &random)! }
        }
        return result
    }

    static func foundationAccepts(_ bytes: [UInt8]) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed)) != nil
    }

    /// Whether some exponent has three or more digits: RFC 8259 allows any size, but Foundation
    /// refuses numbers beyond Double's range, so such documents prove nothing either way.
    static func hasHugeExponent(_ bytes: [UInt8]) -> Bool {
        for (index, byte) in bytes.enumerated() where byte | 0x20 == UInt8(ascii: "e") {
            let digits = bytes[(index + 1)...].drop { $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
                .prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            if digits.count >= 3 { return true }
        }
        return false
    }

    /// Whether our scanner stopped on a trailing comma (`[1,]`, `{"a":1,}`): RFC 8259 forbids it,
    /// but Foundation's parser tolerates it.
    static func stoppedOnTrailingComma(_ bytes: [UInt8]) -> Bool {
        guard case .failure(.invalid(let offset, _)) = scanResult(bytes), offset < bytes.count,
            bytes[offset] == UInt8(ascii: "}") || bytes[offset] == UInt8(ascii: "]")
        else { return false }
        let before = bytes[..<offset].last { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }
        return before == UInt8(ascii: ",")
    }

    @Test func generatedDocumentsAreAcceptedAndSummarised() throws {
        var random = SeededGenerator(seed: 1)
        for _ in 0..<2_000 {
            let model = Self.randomText(&random)
            let value = JSONValue.object([("x", Self.randomValue(&random)), ("model", .string(model)),
                                          ("stream", .bool(true))])
            let summary = try JSONScanner.scanRequestBody(value.serialized())
            #expect(summary.model == model)
            #expect(summary.stream == true)
        }
    }

    @Test func corruptedDocumentsAreJudgedLikeFoundation() {
        var random = SeededGenerator(seed: 2)
        var disagreements: [String] = []
        var rejected = 0
        for _ in 0..<20_000 {
            var bytes = JSONValue.object([("k", Self.randomValue(&random))]).serialized()
            for _ in 0..<Int.random(in: 1...3, using: &random) { bytes = Self.corrupt(bytes, &random) }
            if Self.hasHugeExponent(bytes) || Self.stoppedOnTrailingComma(bytes) { continue }
            let ours = isWellFormed(bytes)
            if !ours { rejected += 1 }
            if ours != Self.foundationAccepts(bytes), disagreements.count < 10 {
                disagreements.append("\(ours ? "accepted" : "rejected"): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        // Most corruptions must break the document, or this test checks little.
        #expect(rejected > 10_000)
    }
}
