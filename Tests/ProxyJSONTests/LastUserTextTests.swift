import Testing
import ProxyJSON

/// `ChatRequestPatch.lastUserText`: the decoded text agents are matched against, read by the
/// same code that patches it.
@Suite struct LastUserTextTests {
    @Test(arguments: [
        // String content, and the last user message wins over earlier ones and later assistants.
        (#"{"messages":[{"role":"user","content":"/a"},{"role":"user","content":"/help me"},{"role":"assistant","content":"x"}]}"#, "/help me"),
        // Array content: the first text part, after an image.
        (#"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,ab/cd"}},{"type":"text","text":"/sys terse"},{"type":"text","text":"/other"}]}]}"#, "/sys terse"),
        // Escapes in the command and its arguments decode.
        (#"{"messages":[{"role":"user","content":"\/sys \u00e9t\u00E9\n\"q\" \ud83d\ude00 \\ \t"}]}"#, "/sys \u{e9}t\u{e9}\n\"q\" \u{1F600} \\ \t"),
        // An escaped role still reads as "user"; member order and spacing do not matter.
        (#"{ "messages" : [ { "content" : "/x" , "role" : "us\u0065r" } ] }"#, "/x"),
        // A lone surrogate decodes as U+FFFD instead of hiding the command.
        (#"{"messages":[{"role":"user","content":"/x \ud800"}]}"#, "/x \u{FFFD}"),
        // The last of duplicate members, as for routing.
        (#"{"messages":[{"role":"user","content":"/first"}],"messages":[{"role":"user","content":"/second"}]}"#, "/second"),
    ])
    func findsTheText(body: String, expected: String) {
        #expect(ChatRequestPatch.lastUserText(in: Array(body.utf8)) == expected)
    }

    @Test(arguments: [
        #"{"messages":[{"role":"assistant","content":"/help"}]}"#,  // no user message
        #"{"messages":[]}"#,
        #"{"prompt":"/help"}"#,
        #"{"messages":{"role":"user","content":"/help"}}"#,  // not an array
        #"{"messages":[{"role":"user"}]}"#,  // no content
        #"{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"/x"}}]}]}"#,  // no text part
        #"{"messages":[{"role":"user","content":[{"type":"text","text":7}]}]}"#,
        #"{"messages":[{"role":"user","content":null}]}"#,
        #"[{"role":"user","content":"/help"}]"#,  // not an object
        #""/help""#,
        "/help",
        "",
        #"{"messages":[{"role":"user","content":"/help"}]"#,  // truncated
        #"{"messages":[{"role":"user","content":"/help"}]} x"#,  // trailing garbage
    ])
    func findsNothing(body: String) {
        #expect(ChatRequestPatch.lastUserText(in: Array(body.utf8)) == nil)
    }

    @Test func aHugeBodyWithABase64ImageOnlyDecodesTheText() {
        let image = String(repeating: "iVBORw0KGgo/AAAA+bb/", count: 400_000)  // 8 MB
        let body = #"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,"#
            + image + #""}},{"type":"text","text":"/describe it"}]}],"stream":true}"#
        #expect(ChatRequestPatch.lastUserText(in: Array(body.utf8)) == "/describe it")
    }
}
