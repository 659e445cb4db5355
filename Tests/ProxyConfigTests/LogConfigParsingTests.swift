import Testing
@testable import ProxyConfig

/// `limits.log_lines` and `limits.log_stream_buffer_bytes`: generous defaults, checked ranges.
@Suite struct LogConfigParsingTests {
    let fileSystem = FakeFileSystem()

    static func config(_ limits: String) -> String {
        #"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}, "limits": {\#(limits)}}"#
    }

    @Test func readsBothKeys() throws {
        let config = try fileSystem.parse(Self.config(#""log_lines": 50, "log_stream_buffer_bytes": 65536"#))
        #expect(config.limits.logLines == 50)
        #expect(config.limits.logStreamBufferBytes == 65536)
    }

    @Test func defaultsAreGenerous() throws {
        let config = try fileSystem.parse(Self.config(""))
        #expect(config.limits.logLines == 1000)
        #expect(config.limits.logStreamBufferBytes == 4 << 20)
    }

    static let errors: [(String, String)] = [
        (config(#""log_lines": 0"#), "limits.log_lines: expected an integer from 1 to 1000000, got 0"),
        (config(#""log_stream_buffer_bytes": 100"#), "limits.log_stream_buffer_bytes: expected an integer >= 4096, got 100"),
        (config(#""log_line": 5"#), "limits.log_line: unknown key (did you mean log_lines?)"),
    ]

    @Test(arguments: errors)
    func refusesWithAClearMessage(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == expected)
    }

    static func topLevel(_ members: String) -> String {
        #"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}\#(members)}"#
    }

    @Test func patchedRequestsAreLoggedOnlyWhenAsked() throws {
        #expect(try fileSystem.parse(Self.topLevel("")).logPatchedRequests == false)
        #expect(try fileSystem.parse(Self.topLevel(#", "log_patched_requests": true"#)).logPatchedRequests == true)
        #expect(fileSystem.error(Self.topLevel(#", "log_patched_requests": "yes""#)) == #"log_patched_requests: expected true or false, got "yes""#)
    }
}
