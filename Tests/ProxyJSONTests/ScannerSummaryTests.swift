import Testing
import ProxyJSON

@Suite struct ScannerSummaryTests {
    /// The bytes that `modelValueRange` points at.
    func modelToken(in text: String) throws -> String {
        let bytes = Array(text.utf8)
        let range = try #require(try JSONScanner.scanRequestBody(bytes).modelValueRange)
        return String(decoding: bytes[range], as: UTF8.self)
    }

    @Test func findsModelAndStream() throws {
        let text = #"{"model":"tiny-a","messages":[{"role":"user","content":"hi"}],"stream":true}"#
        let summary = try JSONScanner.scanRequestBody(Array(text.utf8))
        #expect(summary.model == "tiny-a")
        #expect(summary.stream == true)
        #expect(summary.modelValueRange == 9..<17)
        #expect(try modelToken(in: text) == #""tiny-a""#)
    }

    @Test func absentMembersAreNil() throws {
        let summary = try JSONScanner.scanRequestBody(Array(#"{"messages":[]}"#.utf8))
        #expect(summary == RequestBodySummary())
    }

    @Test(arguments: [
        (#"{"model":5}"#, "number"), (#"{"model":null}"#, "null"), (#"{"model":["a"]}"#, "array"),
        (#"{"model":{"id":"a"}}"#, "object"), (#"{"model":true}"#, "bool"),
    ])
    func modelThatIsNotAStringIsNil(_ text: String, _ kind: String) throws {
        let summary = try JSONScanner.scanRequestBody(Array(text.utf8))
        #expect(summary.model == nil, "model given as \(kind)")
        #expect(summary.modelValueRange == nil)
    }

    @Test(arguments: [#"{"stream":"true"}"#, #"{"stream":1}"#, #"{"stream":null}"#, #"{"stream":[true]}"#])
    func streamThatIsNotABoolIsNil(_ text: String) throws {
        #expect(try JSONScanner.scanRequestBody(Array(text.utf8)).stream == nil)
    }

    @Test func streamFalseIsReported() throws {
        #expect(try JSONScanner.scanRequestBody(Array(#"{"stream":false}"#.utf8)).stream == false)
    }

    @Test func nestedMembersAreIgnored() throws {
        let text = #"{"options":{"model":"inner","stream":true},"list":[{"model":"x"}],"model":"outer"}"#
        let summary = try JSONScanner.scanRequestBody(Array(text.utf8))
        #expect(summary.model == "outer")
        #expect(summary.stream == nil)
        #expect(try modelToken(in: text) == #""outer""#)
    }

    @Test func nestedMembersAloneGiveNothing() throws {
        let text = #"{"a":{"model":"inner"},"b":[["model"]],"c":{"x":{"stream":true}}}"#
        #expect(try JSONScanner.scanRequestBody(Array(text.utf8)) == RequestBodySummary())
    }

    @Test func stringValuesThatLookLikeNamesAreNotMembers() throws {
        let text = #"{"prompt":"model","x":["stream",true],"model":"m"}"#
        let summary = try JSONScanner.scanRequestBody(Array(text.utf8))
        #expect(summary.model == "m")
        #expect(summary.stream == nil)
    }

    @Test func lastDuplicateWinsLikeLlamaServer() throws {
        #expect(try JSONScanner.scanRequestBody(Array(#"{"model":"a","model":"b"}"#.utf8)).model == "b")
        let replacedByNumber = try JSONScanner.scanRequestBody(Array(#"{"model":"a","model":1}"#.utf8))
        #expect(replacedByNumber.model == nil && replacedByNumber.modelValueRange == nil)
        #expect(try JSONScanner.scanRequestBody(Array(#"{"stream":true,"stream":false}"#.utf8)).stream == false)
        #expect(try JSONScanner.scanRequestBody(Array(#"{"stream":true,"stream":0}"#.utf8)).stream == nil)
    }

    @Test func decodesEveryEscapeInTheModel() throws {
        let text = #"{"model":"a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u65e5\uD83D\uDE00"}"#
        let summary = try JSONScanner.scanRequestBody(Array(text.utf8))
        #expect(summary.model == "a\"b\\c/d\u{8}e\u{C}f\ng\rh\tiAé日😀")
        #expect(try modelToken(in: text) == #""a\"b\\c\/d\be\ff\ng\rh\ti\u0041\u00e9\u65e5\uD83D\uDE00""#)
    }

    @Test func loneSurrogatesDecodeToReplacementCharacters() throws {
        let text = #"{"model":"x\uD800y\uDC00z\uD800\u0041"}"#
        #expect(try JSONScanner.scanRequestBody(Array(text.utf8)).model == "x\u{FFFD}y\u{FFFD}z\u{FFFD}A")
    }

    @Test func rawUTF8ModelPassesThrough() throws {
        #expect(try JSONScanner.scanRequestBody(Array(#"{"model":"qwen-日本-😀"}"#.utf8)).model == "qwen-日本-😀")
    }

    @Test func escapedMemberNamesStillCount() throws {
        let text = #"{"mod\u0065l":"m","\u0073tream":true}"#
        let summary = try JSONScanner.scanRequestBody(Array(text.utf8))
        #expect(summary.model == "m")
        #expect(summary.stream == true)
        // Escaped names that decode to something else do not count.
        #expect(try JSONScanner.scanRequestBody(Array(#"{"model\u0000":"m","Model":"n","models":"o"}"#.utf8)).model == nil)
    }

    @Test func rangeIsRelativeToTheBufferEvenWithWhitespaceAndByteOrderMark() throws {
        let text = "\u{FEFF}\n  {\n  \"model\" :\t\"é\" }\n"
        let bytes = Array(text.utf8)
        let summary = try JSONScanner.scanRequestBody(bytes)
        let range = try #require(summary.modelValueRange)
        #expect(Array(bytes[range]) == Array("\"é\"".utf8))
        #expect(summary.model == "é")
    }

    @Test func longModelNameCrossesTheEightByteSkip() throws {
        let name = String(repeating: "abcdefghij", count: 50) + "-Q4_K_M"
        let summary = try JSONScanner.scanRequestBody(Array("{\"model\":\"\(name)\"}".utf8))
        #expect(summary.model == name)
        #expect(summary.modelValueRange == 9..<(9 + name.utf8.count + 2))
    }

    @Test func worksOnASliceOfALargerBuffer() throws {
        let bytes = Array("xx{\"model\":\"m\"}yy".utf8)
        let summary = try bytes.withUnsafeBytes { raw in
            try JSONScanner.scanRequestBody(UnsafeRawBufferPointer(rebasing: raw[2..<15]))
        }
        #expect(summary.model == "m")
        #expect(summary.modelValueRange == 9..<12)
    }
}
