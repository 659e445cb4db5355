import TestSupport
import Testing
@testable import ProxyJSON

/// The document parser against the request-body scanner and the serializer: both parsers must
/// judge the same bytes alike, and what is written must be read back unchanged.
@Suite struct DocumentParserDifferentialTests {
    /// The written value, with each number read back the way the serializer spells it.
    static func writtenValue(_ parsed: ParsedJSON) -> JSONValue? {
        switch parsed {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let text):
            if text.contains(where: { ".eE".contains($0) }) { return Double(text).map(JSONValue.number) }
            return Int(text).map(JSONValue.int)
        case .string(let text): return .string(text)
        case .array(let elements):
            let values = elements.compactMap(writtenValue)
            return values.count == elements.count ? .array(values) : nil
        case .object(let members):
            let values = members.compactMap { name, value in writtenValue(value).map { (name, $0) } }
            return values.count == members.count ? .object(values) : nil
        }
    }

    @Test func serializedDocumentsReadBackUnchanged() throws {
        var random = SeededGenerator(seed: 3)
        for _ in 0..<2_000 {
            let value = JSONValue.object([("x", ScannerDifferentialTests.randomValue(&random)), ("x", .null)])
            let parsed = try JSONDocumentParser.parse(value.serialized())
            #expect(Self.writtenValue(parsed) == value)
        }
    }

    @Test func corruptedDocumentsAreJudgedLikeTheScanner() {
        var random = SeededGenerator(seed: 4)
        var disagreements: [String] = []
        var rejected = 0
        for _ in 0..<20_000 {
            var bytes = JSONValue.object([("k", ScannerDifferentialTests.randomValue(&random))]).serialized()
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                bytes = ScannerDifferentialTests.corrupt(bytes, &random)
            }
            let parserAccepts = (try? JSONDocumentParser.parse(bytes)) != nil
            if !parserAccepts { rejected += 1 }
            if parserAccepts != isWellFormed(bytes), disagreements.count < 10 {
                disagreements.append("parser \(parserAccepts ? "accepted" : "rejected"): "
                    + String(decoding: bytes, as: UTF8.self).debugDescription)
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        #expect(rejected > 10_000)
    }
}
