import Testing
import ProxyJSON

@Suite struct JSONValueSerializationTests {
    @Test(arguments: [
        (JSONValue.null, "null"),
        (true, "true"),
        (false, "false"),
        (0, "0"),
        (-42, "-42"),
        (.int(Int.max), "9223372036854775807"),
        (.int(Int.min), "-9223372036854775808"),
        (1.5, "1.5"),
        (-0.25, "-0.25"),
        (.number(1e21), "1e+21"),
        (.number(.leastNonzeroMagnitude), "5e-324"),
        (.number(.nan), "null"),
        (.number(.infinity), "null"),
        (.number(-.infinity), "null"),
        ("", #""""#),
        ("plain", #""plain""#),
        ("quote \" backslash \\ slash /", #""quote \" backslash \\ slash /""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\u{0}\u{1}\u{1F}\u{7F}", #""\u0000\u0001\u001f"# + "\u{7F}\""),
        ("é日本😀", "\"é日本😀\""),
        ([], "[]"),
        ([1, "a", nil, [true]], #"[1,"a",null,[true]]"#),
        ([:], "{}"),
        (["b": 1, "a": 2, "c": ["z": nil]], #"{"b":1,"a":2,"c":{"z":null}}"#),
        (.object([("dup", 1), ("dup", 2)]), #"{"dup":1,"dup":2}"#),
        (["key\"\n": "v"], #"{"key\"\n":"v"}"#),
    ] as [(JSONValue, String)])
    func serializesCompactly(_ value: JSONValue, _ expected: String) {
        #expect(value.serializedString == expected)
        #expect(value.serialized() == Array(expected.utf8))
    }

    @Test func openAIErrorBodyReadsAsWritten() {
        let body: JSONValue = [
            "error": ["message": "model 'x' not found", "type": "invalid_request_error", "code": "model_not_found"],
        ]
        #expect(body.serializedString
            == #"{"error":{"message":"model 'x' not found","type":"invalid_request_error","code":"model_not_found"}}"#)
    }

    @Test func serializeIntoAppends() {
        var output = Array("prefix:".utf8)
        JSONValue.array([1, 2]).serialize(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == "prefix:[1,2]")
    }

    @Test func equalityIsStructuralAndOrdered() {
        #expect(JSONValue.object([("a", 1), ("b", 2)]) == ["a": 1, "b": 2])
        #expect(JSONValue.object([("a", 1), ("b", 2)]) != ["b": 2, "a": 1])
        #expect(JSONValue.object([("a", 1)]) != ["a": 1, "b": 2])
        #expect(JSONValue.object([("a", 1)]) != ["b": 1])
        #expect(JSONValue.int(1) != .number(1))
        #expect(JSONValue.array([1, [nil]]) == [1, [nil]])
        #expect(JSONValue.array([1]) != [2])
        #expect(JSONValue.string("a") != .null)
    }

    @Test func everyControlCharacterIsEscapedAndScansBack() throws {
        let all = String(decoding: (0..<0x20).map { UInt8($0) }, as: UTF8.self)
        let bytes = JSONValue.object([("model", .string(all))]).serialized()
        #expect(!bytes.contains { $0 < 0x20 })
        #expect(try JSONScanner.scanRequestBody(bytes).model == all)
    }
}
