import Testing
import ProxyJSON

/// `ChatRequestPatch.conversationStartRange`: the bytes every turn of a conversation shares.
@Suite struct ConversationStartTests {
    func start(_ body: String) -> String? {
        let bytes = Array(body.utf8)
        return ChatRequestPatch.conversationStartRange(in: bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func isTheSystemPromptAndTheFirstUserMessage() {
        let first = #"{"model":"m","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}]}"#
        #expect(start(first) == #"[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}"#)
        let third = #"{"model":"m","stream":true,"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"},"#
            + #"{"role":"assistant","content":"hello"},{"role":"user","content":"more"}],"max_tokens":9}"#
        #expect(start(third) == start(first))
    }

    @Test func differsBetweenConversations() {
        let one = #"{"messages":[{"role":"user","content":"about cats"}]}"#
        let other = #"{"messages":[{"role":"user","content":"about dogs"}]}"#
        #expect(start(one) != nil)
        #expect(start(one) != start(other))
    }

    @Test func isAPromptsFirstBytes() {
        let prompt = String(repeating: "x", count: 3000)
        #expect(start(#"{"prompt":"short"}"#) == #""short""#)
        #expect(start(#"{"prompt":"\#(prompt)"}"#)?.utf8.count == ChatRequestPatch.promptStartBytes)
    }

    @Test(arguments: [
        #"{"input":"embed me"}"#,
        #"{"messages":[{"role":"system","content":"only a system prompt"}]}"#,
        #"{"messages":[]}"#,
        #"{"prompt":["a","b"]}"#,
        "not json",
        "",
    ])
    func isNothingWithoutAConversation(body: String) {
        #expect(start(body) == nil)
    }
}
