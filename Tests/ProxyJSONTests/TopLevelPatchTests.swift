import Testing
import ProxyJSON

@Suite struct TopLevelPatchTests {
    func patched(_ document: String, _ patch: String) throws -> String {
        String(decoding: try TopLevelPatch.apply(Array(patch.utf8), to: Array(document.utf8)), as: UTF8.self)
    }

    @Test(arguments: [
        // Replacing a value touches only its bytes: spacing, order, numbers and escapes stay.
        (#"{ "model" : "a" ,"t":1.50E+1,"s":"\u00e9"}"#, #"{"model":"b"}"#, #"{ "model" : "b" ,"t":1.50E+1,"s":"\u00e9"}"#),
        (#"{"a":{"deep":[1,2]},"b":2}"#, #"{"a":0}"#, #"{"a":0,"b":2}"#),
        (#"{"a":1,"b":2}"#, #"{"b":{"x" : [ 1 ]}}"#, #"{"a":1,"b":{"x" : [ 1 ]}}"#),
        // Removing the first, a middle, the last or the only member leaves no dangling comma.
        (#"{"a":1, "b":2, "c":3}"#, #"{"a":null}"#, #"{"b":2, "c":3}"#),
        (#"{"a":1, "b":2, "c":3}"#, #"{"b":null}"#, #"{"a":1, "c":3}"#),
        (#"{"a":1, "b":2, "c":3}"#, #"{"c":null}"#, #"{"a":1, "b":2}"#),
        (#"{ "a" : 1 }"#, #"{"a":null}"#, #"{  }"#),
        (#"{"a":1,"b":2,"c":3,"d":4}"#, #"{"c":null,"d":null}"#, #"{"a":1,"b":2}"#),
        (#"{"a":1,"b":2,"c":3,"d":4}"#, #"{"a":null,"b":null,"d":null}"#, #"{"c":3}"#),
        (#"{"a":1,"b":2}"#, #"{"a":null,"b":null}"#, "{}"),
        (#"{"a":1}"#, #"{"zz":null}"#, #"{"a":1}"#),
        // New members go after the last member kept, or first in an empty object.
        ("{\n  \"a\": 1\n}", #"{"n":true,"m":"é"}"#, "{\n  \"a\": 1,\"n\":true,\"m\":\"é\"\n}"),
        ("{ }", #"{"n":[1]}"#, #"{"n":[1] }"#),
        (#"{"a":1,"b":2}"#, #"{"b":null,"n":3}"#, #"{"a":1,"n":3}"#),
        (#"{"a":1}"#, #"{"a":null,"n":3}"#, #"{"n":3}"#),
        // A name is matched by value, and every duplicate is set or removed.
        (#"{"mod\u0065l":"a","x":0}"#, #"{"model":"b"}"#, #"{"mod\u0065l":"b","x":0}"#),
        (#"{"a":1,"b":0,"a":2}"#, #"{"a":3}"#, #"{"a":3,"b":0,"a":3}"#),
        (#"{"a":1,"b":0,"a":2}"#, #"{"a":null}"#, #"{"b":0}"#),
        // A name given twice in the patch: the last wins; an empty patch changes nothing.
        (#"{"a":1}"#, #"{"a":2,"a":null}"#, "{}"),
        ("\u{FEFF}{\"a\" :\t1}", "{}", "\u{FEFF}{\"a\" :\t1}"),
    ])
    func appliesToTheBytes(_ document: String, _ patch: String, _ expected: String) throws {
        #expect(try patched(document, patch) == expected)
    }

    @Test(arguments: [(#"{"a":1}"#, "[1]"), (#"{"a":1}"#, #"{"a":}"#), ("[1]", #"{"a":1}"#), ("{", #"{"a":1}"#)])
    func refusesWhatIsNotAnObject(_ document: String, _ patch: String) {
        #expect(throws: TopLevelPatchError.self) { try patched(document, patch) }
    }

    @Test func everyResultIsValidJSONThatParsesToTheMergedValue() throws {
        let document = #"{ "model":"a", "n" : 1.0, "messages":[{"role":"user","content":"x"}], "stream":false }"#
        let result = try patched(document, #"{"stream":null,"temperature":0.5,"model":"b"}"#)
        #expect(try JSONDocumentParser.parse(Array(result.utf8)) == .object([
            ("model", .string("b")), ("n", .number("1.0")),
            ("messages", .array([.object([("role", .string("user")), ("content", .string("x"))])])),
            ("temperature", .number("0.5")),
        ]))
    }
}
