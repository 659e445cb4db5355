/// A response hook: it sees a model's answer before the client does, part by part, and decides
/// what the client gets (`Verdict`). A plugin lists its hooks in its export
/// (`PluginExport.descriptor(name:agents:hooks:)`); a model is tied to one by the proxy's
/// config (`models.ID.response_hook`), an agent's forwarded requests by `Agent.responseHook`.
///
/// The host calls `answer(_:)` for the parts of one exchange (one client request) in order, one
/// at a time; different exchanges run at once, on any thread. A non-streamed answer is one
/// `.whole` part; a stream is `.chunk` parts, then `.end` when it ended whole. `.closed` comes
/// last, always and exactly once per exchange (also after an error, a timeout or a client that
/// left): free what you kept for the exchange there; its verdict is ignored.
///
/// State for one exchange (the text of the chunks held so far, say) is the hook's own: keep it
/// keyed by `answer.exchange`, behind a lock, and drop it at `.closed`:
///
///     final class Collect: ResponseHook {
///         let name = "collect"
///         let summary = "Holds a stream until its end."
///         let texts = Mutex<[UInt64: String]>([:])   // import Synchronization
///
///         func answer(_ answer: Answer) -> Verdict {
///             switch answer.part {
///             case .chunk:
///                 texts.withLock { $0[answer.exchange, default: ""] += answer.content ?? "" }
///                 return .hold
///             case .closed:
///                 texts.withLock { $0[answer.exchange] = nil }
///                 return .pass
///             case .whole, .end:
///                 return .pass
///             }
///         }
///     }
public protocol ResponseHook: Sendable {
    /// Lowercase letters, digits, `-`, `_`; unique among the loaded plugins, e.g. "json-check".
    var name: String { get }
    /// One line, shown in `GET /v1/agents`.
    var summary: String { get }
    /// What the client gets for this part of the answer (see `Verdict` for which fit which part).
    func answer(_ answer: Answer) -> Verdict
}
