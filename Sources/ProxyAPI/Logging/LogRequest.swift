import Foundation
import HTTPCodec
import ProxyHTTP

/// What a `GET` under `/logs` asks for, read from its target alone (pure):
/// - `/logs`: the kept lines; `/logs/stream`: those, then new lines as they come.
/// - Which source: `/logs/stream/proxy`, `/logs/stream/upstream` (every model), or
///   `/logs/stream/<model>` (one path segment, percent-decoded), as llama-swap spells them; on
///   either path `?source=proxy|upstream|all` or `?model=<model>` (reaches a model named
///   `proxy` too). Nothing named: all sources.
/// - `?no-history`: no kept lines first (llama-swap's); `?lines=N`: only the last N of them.
/// - A stream asked for with `Accept: text/event-stream` comes as server-sent events.
struct LogRequest: Sendable, Equatable {
    var selector: LogSelector
    var live: Bool
    var history = true
    var last: Int?
    var eventStream = false

    static let path: Substring = "/logs"
    static let streamPath: Substring = "/logs/stream"

    /// `/logs`, `/logs/stream` and below it (another path under `/logs/` is no route: a 404).
    static func isLogPath(_ path: Substring) -> Bool {
        path == Self.path || path == Self.streamPath || path.hasPrefix(Self.streamPath + "/")
    }

    /// For a target whose path `isLogPath`.
    static func parse(_ head: HTTPRequestHead) -> Result<LogRequest, OpenAIError> {
        let path = head.path
        var request: LogRequest
        var fromPath = false
        if path == Self.path || path == Self.streamPath {
            request = LogRequest(selector: .all, live: path == Self.streamPath)
        } else if path.hasPrefix(Self.streamPath + "/") {
            let segment = path.dropFirst(Self.streamPath.count + 1)
            guard !segment.isEmpty, !segment.contains("/"), let name = PercentDecoding.decode(segment), !name.isEmpty else {
                return .failure(invalid("name one source: /logs/stream/proxy, /logs/stream/upstream or /logs/stream/<model>"))
            }
            request = LogRequest(selector: name == "proxy" ? .proxy : name == "upstream" ? .upstream : .model(name), live: true)
            fromPath = true
        } else {
            return .failure(OpenAIError(status: 404, message: "no route for GET \(path)", type: "invalid_request_error", code: "not_found"))
        }
        let model = head.rawQueryValue(named: "model")
        let source = head.rawQueryValue(named: "source")
        if (model != nil && source != nil) || (fromPath && (model != nil || source != nil)) {
            return .failure(invalid("name one source: a path segment, ?source= or ?model="))
        }
        if let model {
            guard let name = PercentDecoding.decode(model, plusIsSpace: true), !name.isEmpty else {
                return .failure(.invalidRequest("the ?model= parameter is empty or not valid percent-encoded UTF-8", code: "invalid_model_name"))
            }
            request.selector = .model(name)
        }
        if let source {
            switch source {
            case "all": request.selector = .all
            case "proxy": request.selector = .proxy
            case "upstream": request.selector = .upstream
            default: return .failure(invalid("?source= is all, proxy or upstream"))
            }
        }
        request.history = head.rawQueryValue(named: "no-history") == nil
        request.eventStream = request.live && (head.headers["accept"] ?? "").split(separator: ",").contains {
            ServerSentEventStream.isEventStream(contentType: String($0).trimmingCharacters(in: .whitespaces))
        }
        if let lines = head.rawQueryValue(named: "lines") {
            guard let count = Int(lines), count >= 0 else { return .failure(invalid("?lines= is a count of lines (0 or more)")) }
            request.last = count
        }
        return .success(request)
    }

    private static func invalid(_ message: String) -> OpenAIError {
        .invalidRequest(message, code: "invalid_request")
    }
}
