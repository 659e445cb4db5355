import Testing
import ProxyJSON

@Suite struct TopLevelLayoutTests {
    func slices(_ text: String) throws -> [(String?, String, String)] {
        let bytes = Array(text.utf8)
        let layout = try JSONScanner.scanLayout(bytes)
        return layout.entries.map { entry in
            (entry.name, String(decoding: bytes[entry.start..<entry.valueRange.lowerBound], as: UTF8.self),
             String(decoding: bytes[entry.valueRange], as: UTF8.self))
        }
    }

    @Test func membersOfAnObjectWithTheirNameAndValueBytes() throws {
        let found = try slices(#" { "a" :1 ,"b\u0063":{"x":[1,{"y":2}]},"d":"s\"}", "e":[] } "#)
        #expect(found.map(\.0) == ["a", "bc", "d", "e"])
        #expect(found.map(\.1) == [#""a" :"#, #""b\u0063":"#, #""d":"#, #""e":"#])
        #expect(found.map(\.2) == ["1", #"{"x":[1,{"y":2}]}"#, #""s\"}""#, "[]"])
        let layout = try JSONScanner.scanLayout(Array(#" { "a" :1 } "#.utf8))
        #expect(layout.isObject && layout.openingBracket == 1 && layout.closingBracket == 10)
    }

    @Test func elementsOfAnArrayHaveNoName() throws {
        let found = try slices(#"[ 1, "two" ,{"three":3}, [] ]"#)
        #expect(found.map(\.0) == [nil, nil, nil, nil])
        #expect(found.map(\.2) == ["1", #""two""#, #"{"three":3}"#, "[]"])
        #expect(found.map(\.1) == ["", "", "", ""])
    }

    @Test func emptyContainersAndRefusedDocuments() throws {
        #expect(try JSONScanner.scanLayout(Array("{}".utf8)).entries.isEmpty)
        #expect(try JSONScanner.scanLayout(Array(" [ ] ".utf8)).closingBracket == 3)
        #expect(throws: JSONScanError.notAnObject) { try JSONScanner.scanLayout(Array("12".utf8)) }
        #expect(throws: JSONScanError.self) { try JSONScanner.scanLayout(Array(#"{"a":}"#.utf8)) }
    }

    @Test func aNestedRangeReportsOffsetsInTheWholeDocument() throws {
        let bytes = Array(#"{"m": [ {"r":"u"} ]}"#.utf8)
        let top = try JSONScanner.scanLayout(bytes)
        let inner = try #require(JSONScanner.scanLayout(bytes, in: top.entries[0].valueRange))
        #expect(!inner.isObject && inner.openingBracket == 6 && inner.closingBracket == 18)
        #expect(String(decoding: bytes[inner.entries[0].valueRange], as: UTF8.self) == #"{"r":"u"}"#)
        #expect(JSONScanner.scanLayout(bytes, in: 2..<3) == nil)
    }

    @Test func routingScanStillFindsModelAndStream() throws {
        let summary = try JSONScanner.scanRequestBody(Array(#"{"a":{"model":"x"},"model":"y","stream":true}"#.utf8))
        #expect(summary.model == "y" && summary.stream == true)
    }
}
