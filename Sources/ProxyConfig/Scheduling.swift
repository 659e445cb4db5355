/// How the pool shares memory among models that wait for it (`scheduling` in `config.json`).
public struct Scheduling: Sendable, Equatable {
    /// A loaded model keeps serving its own queue while other models wait for its room, until the
    /// oldest request of a waiting model has waited this long; then the loaded model takes no new
    /// requests, finishes those it has, and makes room. Zero: no bound (a busy model keeps its room).
    public var maxWait: Double

    public init(maxWait: Double = 30) {
        self.maxWait = maxWait
    }
}

extension Scheduling {
    static func decode(_ section: ConfigObjectReader) throws(ConfigError) -> Scheduling {
        try section.requireOnlyKeys(["max_wait_seconds"])
        return Scheduling(
            maxWait: try section.number(
                "max_wait_seconds", in: 0...Timeouts.maximumSeconds, expected: "a number of seconds from 0 to 31536000")
                ?? Scheduling().maxWait)
    }
}
