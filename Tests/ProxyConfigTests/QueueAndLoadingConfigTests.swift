import Testing
@testable import ProxyConfig

/// `queue_max`, `loading_comment_seconds` and `send_loading_state`: top-level defaults, per-model
/// overrides, and clear refusals.
@Suite struct QueueAndLoadingConfigTests {
    let fileSystem = FakeFileSystem()

    @Test func defaultsAreDocumented() throws {
        let config = try fileSystem.parse(#"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}}"#)
        #expect(config.queueMax == 1000)
        #expect(config.loadingCommentSeconds == 5)
        #expect(config.sendLoadingState == false)
        #expect(config.models[0].queueMax == nil)
        #expect(config.models[0].sendLoadingState == nil)
    }

    @Test func topLevelAndPerModelValuesAreRead() throws {
        let config = try fileSystem.parse("""
            {
              "llama_server": "bin/llama-server",
              "queue_max": 0, "loading_comment_seconds": 0.5, "send_loading_state": true,
              "models": {
                "a": {"path": "models/tiny-a.gguf", "queue_max": 3, "send_loading_state": false},
                "b": {"path": "models/tiny-b.gguf"}
              }
            }
            """)
        #expect(config.queueMax == 0)
        #expect(config.loadingCommentSeconds == 0.5)
        #expect(config.sendLoadingState == true)
        #expect(config.models == [
            ConfiguredModel(id: "a", path: "/etc/proxy/models/tiny-a.gguf", queueMax: 3, sendLoadingState: false),
            ConfiguredModel(id: "b", path: "/etc/proxy/models/tiny-b.gguf"),
        ])
    }

    static func config(_ members: String) -> String {
        #"{"llama_server": "bin/llama-server", \#(members)}"#
    }

    @Test(arguments: [
        (config(#""queue_max": -1"#), "queue_max: expected an integer >= 0 (0: no limit), got -1"),
        (config(#""queue_max": 2.5"#), "queue_max: expected an integer >= 0 (0: no limit), got 2.5"),
        (config(#""queue_max": "10""#), #"queue_max: expected an integer >= 0 (0: no limit), got "10""#),
        (config(#""loading_comment_seconds": -1"#),
         "loading_comment_seconds: expected a number of seconds from 0 to 31536000 (0: no comments), got -1"),
        (config(#""loading_comment_seconds": true"#),
         "loading_comment_seconds: expected a number of seconds from 0 to 31536000 (0: no comments), got true"),
        (config(#""send_loading_state": "reasoning""#), #"send_loading_state: expected true or false, got "reasoning""#),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "queue_max": -2}}"#),
         "models.a.queue_max: expected an integer >= 0 (0: no limit), got -2"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "send_loading_state": 1}}"#),
         "models.a.send_loading_state: expected true or false, got 1"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "queue_mx": 1}}"#),
         "models.a.queue_mx: unknown key (did you mean queue_max?)"),
        (config(#""sendLoadingState": true"#), "sendLoadingState: unknown key (did you mean send_loading_state?)"),
    ])
    func refusesWithAClearMessage(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == expected)
    }
}
