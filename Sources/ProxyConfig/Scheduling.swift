/// How the pool shares memory among models that wait for it (`scheduling` in `config.json`).
public struct Scheduling: Sendable, Equatable {
    /// A loaded model keeps serving its own queue while other models wait for its room, until the
    /// oldest request of a waiting model has waited this long; then the loaded model takes no new
    /// requests, finishes those it has, and makes room. Zero: no bound (a busy model keeps its room).
    public var maxWait: Double
    /// An idle model used within its last load's duration, at most this many seconds, is not
    /// swapped out for a model whose oldest request waited less (rent or buy: a burst over more
    /// models than fit swaps once, not at every gap between two requests). Zero: no hold.
    public var swapHold: Double

    public init(maxWait: Double = 30, swapHold: Double = 1) {
        self.maxWait = maxWait
        self.swapHold = swapHold
    }
}

extension Scheduling {
    static func decode(_ section: ConfigObjectReader) throws(ConfigError) -> Scheduling {
        try section.requireOnlyKeys(["max_wait_seconds", "swap_hold_seconds"])
        return Scheduling(
            maxWait: try section.number(
                "max_wait_seconds", in: 0...Timeouts.maximumSeconds, expected: "a number of seconds from 0 to 31536000")
                ?? Scheduling().maxWait,
            swapHold: try section.number(
                "swap_hold_seconds", in: 0...Timeouts.maximumSeconds, expected: "a number of seconds from 0 to 31536000")
                ?? Scheduling().swapHold)
    }
}
