import ProxyJSON
import ProxyPool

/// When a streaming request that waits for its model hears about it, and what it hears. A value:
/// ticks go in with the time and the model's state, steps come out (no clock, no I/O), so every
/// rule is tested directly.
///
/// Nothing happens before the first tick, one interval after the wait began, so a request served
/// sooner (a ready model, a short load) is never touched. At a tick the event stream starts only
/// if the model must be loaded (loading, or waiting for room to load it); a request waiting for
/// a free slot on a loaded model waits as any other. Once started, every tick sends a notice
/// until the request is served: a comment (`: loading tiny-a 5 s`) or, for chat completions of a
/// model with `send_loading_state`, a chunk whose delta is `reasoning_content`, so chat UIs show
/// the progress as the model's thinking.
struct LoadingProgress: Sendable {
    enum Style: Sendable, Equatable {
        case comments
        /// `chat.completion.chunk` events; `id` and `created` are the stream's own.
        case reasoning(id: String, created: Int)
    }

    enum Step: Sendable, Equatable {
        /// Send the event stream's head.
        case startStream
        case comment(String)
        /// One event's data.
        case event([UInt8])
    }

    let modelID: String
    let style: Style
    /// Nanoseconds between ticks (and before the first).
    let interval: UInt64
    /// When the wait began (monotonic nanoseconds).
    let waitingSince: UInt64
    /// The stream's head went out (maybe by an earlier wait of the same request).
    private(set) var isStreaming: Bool
    private(set) var ticks = 0
    private var sentChunks = 0

    init(modelID: String, style: Style, intervalSeconds: Double, waitingSince: UInt64, isStreaming: Bool = false) {
        self.modelID = modelID
        self.style = style
        interval = max(1_000_000, UInt64(min(intervalSeconds, 1e9) * 1_000_000_000))
        self.waitingSince = waitingSince
        self.isStreaming = isStreaming
    }

    /// When the next tick is due.
    var nextTick: UInt64 { waitingSince &+ UInt64(ticks + 1) &* interval }

    /// A tick while the request still waits; `model` is its model's state now (nil: unknown to
    /// the pool, so about to be started).
    mutating func tick(now: UInt64, model: ModelState?) -> [Step] {
        ticks += 1
        let waiting: String
        switch model {
        case .starting: waiting = "loading \(modelID)"
        case .stopped, .stopping, nil: waiting = "waiting for room to load \(modelID)"
        case .ready:
            guard isStreaming else { return [] }  // a slot wait, not a load: nothing to tell
            waiting = "waiting for a free slot on \(modelID)"
        }
        var steps: [Step] = []
        if !isStreaming {
            isStreaming = true
            steps.append(.startStream)
        }
        steps.append(notice("\(waiting) \(Self.seconds(from: waitingSince, to: now)) s"))
        return steps
    }

    /// The wait is over, the model's answer follows: a reasoning stream says so on a line of its own.
    mutating func served(now: UInt64) -> [Step] {
        guard isStreaming, case .reasoning = style else { return [] }
        return [notice("\(modelID) ready after \(Self.seconds(from: waitingSince, to: now)) s\n")]
    }

    private mutating func notice(_ text: String) -> Step {
        switch style {
        case .comments:
            return .comment(text)
        case .reasoning(let id, let created):
            var delta: [(String, JSONValue)] = []
            if sentChunks == 0 { delta.append(("role", .string("assistant"))) }
            delta.append(("reasoning_content", .string(text + "\n")))
            sentChunks += 1
            return .event(JSONValue.object([
                ("id", .string(id)), ("object", .string("chat.completion.chunk")), ("created", .int(created)),
                ("model", .string(modelID)),
                ("choices", .array([.object([("index", .int(0)), ("delta", .object(delta)), ("finish_reason", .null)])])),
            ]).serialized())
        }
    }

    static func seconds(from start: UInt64, to end: UInt64) -> Int {
        end > start ? Int((end - start) / 1_000_000_000) : 0
    }
}
