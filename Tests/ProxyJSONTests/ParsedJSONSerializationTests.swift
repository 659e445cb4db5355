import Testing
import ProxyJSON

/// ParsedJSON written back as compact text: what was read comes out the same, minus whitespace.
@Suite struct ParsedJSONSerializationTests {
    @Test(arguments: [
        (#" { "b" : 1 , "a" : [ true , false , null ] } "#, #"{"b":1,"a":[true,false,null]}"#),
        ("[2.0, 2.50, -12.5e3, 1E+2, 1e-07, -0]", "[2.0,2.50,-12.5e3,1E+2,1e-07,-0]"),
        ("123456789012345678901234567890", "123456789012345678901234567890"),
        ("1e400", "1e400"),
        (#"{"dup": 1, "dup": 2}"#, #"{"dup":1,"dup":2}"#),
        ("[ [ ], { } ]", "[[],{}]"),
        (#""\u00e9\uD83D\uDE00 日本""#, "\"é😀 日本\""),
        (#""a\"b\\c\/d\n\t\u0001""#, #""a\"b\\c/d\n\t\u0001""#),
        (#"{"k\"ey": "v"}"#, #"{"k\"ey":"v"}"#),
    ])
    func writesCompactTextKeepingNumbersAsWritten(_ input: String, _ expected: String) throws {
        let parsed = try JSONDocumentParser.parse(Array(input.utf8))
        #expect(parsed.serializedString == expected)
        #expect(parsed.serialized() == Array(expected.utf8))
    }

    @Test func roundTripGivesTheSameValue() throws {
        let text = #"{"system": "Be brief.\n", "temps": [0, 0.7, 1e-3], "nested": {"on": true, "off": null}}"#
        let parsed = try JSONDocumentParser.parse(Array(text.utf8))
        #expect(try JSONDocumentParser.parse(parsed.serialized()) == parsed)
    }

    @Test func serializeAppendsToExistingOutput() {
        var output = Array("x=".utf8)
        ParsedJSON.array([.number("1"), .string("a")]).serialize(into: &output)
        #expect(String(decoding: output, as: UTF8.self) == #"x=[1,"a"]"#)
    }
}
