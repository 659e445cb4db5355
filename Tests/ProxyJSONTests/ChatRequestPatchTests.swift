import Testing
import ProxyJSON

@Suite struct ChatRequestPatchTests {
    func patched(_ body: String, _ patch: String) throws -> String {
        String(decoding: try ChatRequestPatch.apply(Array(patch.utf8), to: Array(body.utf8)), as: UTF8.self)
    }

    @Test(arguments: [
        // Only the last user message's string changes, wherever it is and however it is spelled.
        (#"{"messages":[{"role":"user","content":"old"},{"role":"assistant","content":"a"},{ "content" : "/t hi\u00e9" , "role" : "user" }]}"#,
         #"{"$last_user_text":"hi\u00e9"}"#,
         #"{"messages":[{"role":"user","content":"old"},{"role":"assistant","content":"a"},{ "content" : "hi\u00e9" , "role" : "user" }]}"#),
        (#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u"}},{"type":"text","text":"/x a"}]}]}"#,
         #"{"$last_user_text":"a"}"#,
         #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u"}},{"type":"text","text":"a"}]}]}"#),
        (#"{"model":"a","messages":[{"role":"us\u0065r","content":"/m b q"}],"x":1}"#,
         #"{"model":"b","$last_user_text":"q","x":null}"#,
         #"{"model":"b","messages":[{"role":"us\u0065r","content":"q"}]}"#),
    ])
    func replacesTheLastUserTextInPlace(_ body: String, _ patch: String, _ expected: String) throws {
        #expect(try patched(body, patch) == expected)
    }

    /// Found while fuzzing (the harness's reading, not the patcher, was wrong): the old text is read
    /// as the scanner reads it, a lone surrogate escape as U+FFFD, so a new text equal to that
    /// reading minus the command keeps the client's own escape rather than writing U+FFFD.
    @Test func aLoneSurrogateTheClientSentIsKeptAsWritten() throws {
        let result = try patched(#"{"messages":[{"role":"user","content":"/c \ud800abc"}]}"#, #"{"$last_user_text":"\ufffdabc"}"#)
        #expect(result == #"{"messages":[{"role":"user","content":"\ud800abc"}]}"#)
    }

    @Test func theReservedKeyIsNeverWrittenIntoTheRequest() throws {
        let result = try patched(#"{"messages":[{"role":"user","content":"x"}]}"#, #"{"$last_user_text":"y","t":1}"#)
        #expect(!result.contains("$last_user_text"))
        #expect(result == #"{"messages":[{"role":"user","content":"y"}],"t":1}"#)
    }

    @Test(arguments: [
        (#"{"messages":[{"role":"assistant","content":"x"}]}"#, #"{"$last_user_text":"y"}"#),
        (#"{"messages":[{"role":"user","content":"x"}]}"#, #"{"$last_user_text":3}"#),
        (#"{"messages":[{"role":"user","content":"x"}]}"#, #"{"$last_user_text":null}"#),
        (#"{"prompt":"x"}"#, #"{"$last_user_text":"y"}"#),
    ])
    func refusesATextItCannotPlace(_ body: String, _ patch: String) {
        #expect(throws: TopLevelPatchError.self) { try patched(body, patch) }
    }
}

@Suite struct ChatRequestPatchSpellingTests {
    @Test(arguments: [
        // The new text is the end of the old one: only the command's bytes go.
        (#""/t 0.5 caf\u00e9 \"q\" \ud83d\ude00""#, #""café \"q\" 😀""#, #""caf\u00e9 \"q\" \ud83d\ude00""#),
        (#""\/t\tx\/y""#, #""x/y""#, #""x\/y""#),
        (#""/same""#, #""/same""#, #""/same""#),
        // Anything else is written as the agent spelled it.
        (#""/t caf\u00e9""#, #""other \u00e9""#, #""other \u00e9""#),
        (#""/t x""#, #""""#, #""""#),
    ])
    func keepsTheClientsSpellingOfWhatRemains(_ old: String, _ new: String, _ expected: String) throws {
        let body = #"{"messages":[{"role":"user","content":"# + old + "}]}"
        let result = try ChatRequestPatch.apply(Array(("{\"$last_user_text\":" + new + "}").utf8), to: Array(body.utf8))
        #expect(String(decoding: result, as: UTF8.self) == #"{"messages":[{"role":"user","content":"# + expected + "}]}")
    }
}
