/// Who wrote a kept log line: the proxy itself, or one model's children (all its processes,
/// restarts included, under its id).
enum LogSource: Sendable, Hashable {
    case proxy
    case model(String)

    /// As a line shows it, in brackets: `proxy`, or the model id (escaped).
    var label: String {
        switch self {
        case .proxy: "proxy"
        case .model(let id): LogEscaping.escape(id, escapingQuotes: false)
        }
    }
}

/// Which kept lines a reader asks for: every source, the proxy's, every model's, or one model's.
enum LogSelector: Sendable, Hashable {
    case all
    case proxy
    case upstream
    case model(String)

    func matches(_ source: LogSource) -> Bool {
        switch (self, source) {
        case (.all, _), (.proxy, .proxy), (.upstream, .model): true
        case (.model(let wanted), .model(let id)): wanted == id
        default: false
        }
    }
}
