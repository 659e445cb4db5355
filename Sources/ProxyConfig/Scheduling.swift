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
    /// ε of the replicas' bounded load (`replica_load_slack`): a replica already holding
    /// ⌈(1 + ε) × the mean⌉ of its model's requests is skipped for the next on the ring.
    public var replicaLoadSlack: Double
    /// `affinity` (a conversation goes to the replica that holds its prefix) or `round_robin`.
    public var replicaRouting: String

    public static let replicaRoutings = ["affinity", "round_robin"]

    public init(maxWait: Double = 30, swapHold: Double = 1, replicaLoadSlack: Double = 0.5, replicaRouting: String = "affinity") {
        self.maxWait = maxWait
        self.swapHold = swapHold
        self.replicaLoadSlack = replicaLoadSlack
        self.replicaRouting = replicaRouting
    }
}

extension Scheduling {
    static func decode(_ section: ConfigObjectReader) throws(ConfigError) -> Scheduling {
        try section.requireOnlyKeys(["max_wait_seconds", "swap_hold_seconds", "replica_load_slack", "replica_routing"])
        let defaults = Scheduling()
        let routing = try section.string("replica_routing", expected: "\"affinity\" or \"round_robin\"") ?? defaults.replicaRouting
        guard replicaRoutings.contains(routing) else {
            throw ConfigError(keyPath: section.keyPath("replica_routing"), message: "expected \"affinity\" or \"round_robin\", got \"\(routing)\"")
        }
        return Scheduling(
            maxWait: try section.number(
                "max_wait_seconds", in: 0...Timeouts.maximumSeconds, expected: "a number of seconds from 0 to 31536000")
                ?? defaults.maxWait,
            swapHold: try section.number(
                "swap_hold_seconds", in: 0...Timeouts.maximumSeconds, expected: "a number of seconds from 0 to 31536000")
                ?? defaults.swapHold,
            replicaLoadSlack: try section.number("replica_load_slack", in: 0...1000, expected: "a number from 0 to 1000")
                ?? defaults.replicaLoadSlack,
            replicaRouting: routing)
    }
}
