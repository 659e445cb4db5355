import HTTPCodec
import Testing

@testable import ProxyAPI

/// llama-swap's log paths, plus one model's, read from the target alone.
@Suite struct LogRequestTests {
    private func parse(_ target: String) -> Result<LogRequest, OpenAIError> {
        LogRequest.parse(HTTPRequestHead(method: "GET", target: target))
    }

    private func request(_ target: String) throws -> LogRequest {
        let parsed = parse(target)
        guard case .success(let request) = parsed else {
            Issue.record("\(target) was refused: \(parsed)")
            throw TestFailure()
        }
        return request
    }

    private func refusal(_ target: String) throws -> OpenAIError {
        let parsed = parse(target)
        guard case .failure(let error) = parsed else {
            Issue.record("\(target) was accepted: \(parsed)")
            throw TestFailure()
        }
        return error
    }

    struct TestFailure: Error {}

    @Test func llamaSwapsPathsPickTheirSources() throws {
        #expect(try request("/logs") == LogRequest(selector: .all, live: false))
        #expect(try request("/logs/stream") == LogRequest(selector: .all, live: true))
        #expect(try request("/logs/stream/proxy") == LogRequest(selector: .proxy, live: true))
        #expect(try request("/logs/stream/upstream") == LogRequest(selector: .upstream, live: true))
        #expect(try request("/logs/stream?no-history") == LogRequest(selector: .all, live: true, history: false))
    }

    @Test func oneModelByPathOrQuery() throws {
        #expect(try request("/logs/stream/tiny-a") == LogRequest(selector: .model("tiny-a"), live: true))
        #expect(try request("/logs/stream/org%2Fmodel") == LogRequest(selector: .model("org/model"), live: true))
        #expect(try request("/logs?model=tiny-a&lines=5") == LogRequest(selector: .model("tiny-a"), live: false, last: 5))
        #expect(try request("/logs/stream?model=proxy") == LogRequest(selector: .model("proxy"), live: true))
        #expect(try request("/logs?source=upstream") == LogRequest(selector: .upstream, live: false))
        #expect(try request("/logs?source=proxy&no-history=1") == LogRequest(selector: .proxy, live: false, history: false))
    }

    @Test func otherPathsAreNotLogPaths() throws {
        #expect(LogRequest.isLogPath("/logs") && LogRequest.isLogPath("/logs/stream") && LogRequest.isLogPath("/logs/stream/x"))
        for path: Substring in ["/logs/other", "/logsx", "/v1/logs", "/logs/streamx"] {
            #expect(!LogRequest.isLogPath(path), "\(path)")
        }
        #expect(try refusal("/logs/other").status == 404)
    }

    @Test func badRequestsAreRefusedTheOpenAIWay() throws {
        for target in ["/logs/stream/a/b", "/logs/stream/", "/logs/stream/%ZZ", "/logs/stream/a?model=b",
                       "/logs?model=a&source=proxy", "/logs?source=everything", "/logs?lines=-1", "/logs?lines=many"] {
            let error = try refusal(target)
            #expect(error.status == 400, "\(target)")
            #expect(error.code == "invalid_request", "\(target)")
        }
        #expect(try refusal("/logs?model=").code == "invalid_model_name")
        #expect(try refusal("/logs?model=%FF").code == "invalid_model_name")
    }
}
