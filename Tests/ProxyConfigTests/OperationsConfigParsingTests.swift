import Testing
@testable import ProxyConfig

/// The keys of the management API and the event stream: `limits.recent_requests`,
/// `limits.event_buffer`, `timeouts.events_heartbeat_seconds`.
@Suite struct OperationsConfigParsingTests {
    let fileSystem = FakeFileSystem()

    static func config(_ members: String) -> String {
        #"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}, \#(members)}"#
    }

    @Test func readsTheKeys() throws {
        let config = try fileSystem.parse(Self.config(
            #""limits": {"recent_requests": 5, "event_buffer": 12}, "timeouts": {"events_heartbeat_seconds": 0.5}"#))
        #expect(config.limits.recentRequests == 5)
        #expect(config.limits.eventBuffer == 12)
        #expect(config.timeouts.eventsHeartbeat == 0.5)
    }

    @Test func hasGenerousDefaults() throws {
        let config = try fileSystem.parse(#"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}}"#)
        #expect(config.limits.recentRequests == 100)
        #expect(config.limits.eventBuffer == 1024)
        #expect(config.timeouts.eventsHeartbeat == 15)
    }

    static let errors: [(String, String)] = [
        (config(#""limits": {"recent_requests": -1}"#), "limits.recent_requests: expected an integer from 0 to 1000000, got -1"),
        (config(#""limits": {"event_buffer": 0}"#), "limits.event_buffer: expected an integer from 1 to 1000000, got 0"),
        (config(#""timeouts": {"events_heartbeat_seconds": 0}"#),
         "timeouts.events_heartbeat_seconds: expected a number of seconds from 0.01 to 31536000, got 0"),
        (config(#""limits": {"event_buffers": 3}"#), "limits.event_buffers: unknown key (did you mean event_buffer?)"),
    ]

    @Test(arguments: errors)
    func refusesWithAClearMessage(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == expected)
    }
}
