import ProxyJSON
import Testing

/// `$system_prompt`: the system message is set in place or inserted first; nothing else moves.
@Suite struct SystemPromptPatchTests {
    func patched(_ body: String, _ patch: String) throws -> String {
        String(decoding: try ChatRequestPatch.apply(Array(patch.utf8), to: Array(body.utf8)), as: UTF8.self)
    }

    @Test(arguments: [
        // A first system message gets its content replaced, spelling of the rest kept.
        (#"{"temperature": 0.70, "messages":[ {"role":"system","content":"old"}, {"role":"user","content":"/sys be brief\nhi\u00e9"} ]}"#,
         #"{"$last_user_text":"hi\u00e9","$system_prompt":"be brief"}"#,
         #"{"temperature": 0.70, "messages":[ {"role":"system","content":"be brief"}, {"role":"user","content":"hi\u00e9"} ]}"#),
        // No system message: one is inserted first.
        (#"{"messages":[{"role":"user","content":"/sys S\nq"}],"n":1e2}"#,
         #"{"$last_user_text":"q","$system_prompt":"S"}"#,
         #"{"messages":[{"role":"system","content":"S"},{"role":"user","content":"q"}],"n":1e2}"#),
        // An empty list gets just the system message.
        (#"{"messages":[]}"#, #"{"$system_prompt":"S"}"#, #"{"messages":[{"role":"system","content":"S"}]}"#),
        // A system message that is not first is left alone; the new one goes first.
        (#"{"messages":[{"role":"user","content":"a"},{"role":"system","content":"late"}]}"#,
         #"{"$system_prompt":"S"}"#,
         #"{"messages":[{"role":"system","content":"S"},{"role":"user","content":"a"},{"role":"system","content":"late"}]}"#),
    ])
    func setsTheSystemPromptInPlace(_ body: String, _ patch: String, _ expected: String) throws {
        #expect(try patched(body, patch) == expected)
    }

    @Test func withoutMessagesOrWithANonStringValueItIsRefused() {
        #expect(throws: TopLevelPatchError.self) { try patched(#"{"prompt":"x"}"#, #"{"$system_prompt":"S"}"#) }
        #expect(throws: TopLevelPatchError.self) { try patched(#"{"messages":[]}"#, #"{"$system_prompt":3}"#) }
    }
}
