/// How long a model that keeps failing must wait before it is started again. One failure is
/// retried at once (a single crash costs the next request nothing); from the second failure in
/// a row the model waits 1 s, doubling with each further one, up to a maximum. A failure is a
/// child that exits while loading or within `maximum` of becoming ready; a child that stays up
/// that long clears the record. A changed launch spec (a fixed configuration) is tried at once.
struct RestartBackoff: Sendable, Equatable {
    static let firstDelay: UInt64 = 1_000_000_000

    /// Nanoseconds; nil means no backoff at all.
    let maximum: UInt64?
    private(set) var failuresInARow = 0
    private(set) var retryAt: UInt64 = 0
    private(set) var failedSpec: LaunchSpec?
    private(set) var lastError: PoolError?

    init(maximum: UInt64?) {
        self.maximum = maximum
    }

    mutating func recordFailure(_ error: PoolError, spec: LaunchSpec, now: UInt64) {
        guard let maximum else { return }
        failuresInARow += 1
        if failuresInARow == 1 {
            retryAt = now
        } else {
            let doublings = UInt64(min(failuresInARow - 2, 40))
            retryAt = now + min(Self.firstDelay << doublings, maximum)
        }
        failedSpec = spec
        lastError = error
    }

    /// A child ended after `uptime` nanoseconds of being ready: long enough clears the record.
    mutating func childEnded(afterReadyFor uptime: UInt64) -> Bool {
        guard let maximum, uptime < maximum else {
            self = RestartBackoff(maximum: maximum)
            return false
        }
        return true
    }

    func blocks(_ spec: LaunchSpec, now: UInt64) -> Bool {
        failuresInARow > 0 && now < retryAt && spec == failedSpec
    }

    /// The error for an acquire refused during the backoff: when it will be retried, and the
    /// last failure's reason and log lines.
    func refusal(modelID: String, now: UInt64) -> PoolError {
        let seconds = Int((retryAt - min(now, retryAt) + 999_999_999) / 1_000_000_000)
        let times = failuresInARow == 1 ? "" : " (\(failuresInARow) times in a row)"
        let reason = lastError?.message ?? "llama-server for model '\(modelID)' failed"
        return PoolError(
            kind: .startFailed, modelID: modelID,
            message: "\(reason)\(times); it will be started again in \(seconds) s",
            logTail: lastError?.logTail ?? [], retryAfterSeconds: max(1, seconds))
    }
}
