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

    @Test func anEventSourceGetsEventsOnStreamsOnly() {
        func parsed(_ target: String, accept: String) -> LogRequest? {
            let head = HTTPRequestHead(method: "GET", target: target, headers: HTTPHeaders([("Accept", accept)]))
            guard case .success(let request) = LogRequest.parse(head) else { return nil }
            return request
        }
        #expect(parsed("/logs/stream", accept: "text/event-stream")?.eventStream == true)
        #expect(parsed("/logs/stream/proxy", accept: "text/plain, Text/Event-Stream; q=0.9")?.eventStream == true)
        #expect(parsed("/logs/stream", accept: "*/*")?.eventStream == false)
        #expect(parsed("/logs", accept: "text/event-stream")?.eventStream == false)  // the kept lines are one text
    }

    @Test func eachKeptLineBecomesOneEvent() {
        let lines = Array("t [proxy] one\nt [m] two \\n\n".utf8)
        #expect(String(decoding: LogEventStream.events(lines), as: UTF8.self) == "data: t [proxy] one\n\ndata: t [m] two \\n\n\n")
        #expect(LogEventStream.events([]).isEmpty)
    }
}
