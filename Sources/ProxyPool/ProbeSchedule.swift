/// When to probe a loading child: right away, then with gaps that grow with the time the load
/// has taken so far, a tenth of it (at least 2 ms; at most 500 ms between timer probes). So a
/// ready child is seen within about a tenth of its load time, however long the load: a 30 ms
/// load within 3 ms, a minute-long one within half a second, and the probes of a load of length
/// T number about 10·ln(T / 20 ms) plus two a second past the first 5 s.
/// - Output brings the next probe forward (llama-server logs as it finishes loading), to no
///   sooner than the same growing gap after the last probe, at most 50 ms: a chatty child is so
///   probed at most 20 times a second, and a talkative one's readiness is seen soon after its
///   last lines. More output before that probe changes nothing.
/// Times are CLOCK_MONOTONIC nanoseconds.
struct ProbeSchedule: Sendable {
    static let shortestGap: UInt64 = 2_000_000
    static let longestTimerGap: UInt64 = 500_000_000
    static let longestOutputGap: UInt64 = 50_000_000
    /// Gaps are this fraction of the load time so far.
    static let elapsedDivisor: UInt64 = 10

    var isLoading = true
    let start: UInt64
    let deadline: UInt64?
    private(set) var nextProbe: UInt64
    private var lastProbe: UInt64?

    init(start: UInt64, loadTimeout: UInt64?) {
        self.start = start
        deadline = loadTimeout.map { start + $0 }
        nextProbe = start
    }

    func probeIsDue(now: UInt64) -> Bool {
        now >= nextProbe || isPastDeadline(now: now)
    }

    func isPastDeadline(now: UInt64) -> Bool {
        deadline.map { now >= $0 } ?? false
    }

    mutating func probed(now: UInt64) {
        lastProbe = now
        nextProbe = now + gap(at: now, longest: Self.longestTimerGap)
    }

    mutating func outputArrived(now: UInt64) {
        let soonest = max(now, (lastProbe ?? 0) + gap(at: now, longest: Self.longestOutputGap))
        if soonest < nextProbe { nextProbe = soonest }
    }

    /// A tenth of the load time so far, within [shortestGap, longest].
    func gap(at now: UInt64, longest: UInt64) -> UInt64 {
        let elapsed = now > start ? now - start : 0
        return min(max(elapsed / Self.elapsedDivisor, Self.shortestGap), longest)
    }

    /// Milliseconds until the next probe or the deadline, rounded up, for poll().
    func pollTimeout(now: UInt64) -> Int32 {
        let wakeAt = min(nextProbe, deadline ?? .max)
        guard wakeAt > now else { return 0 }
        return Int32(min((wakeAt - now + 999_999) / 1_000_000, 60_000))
    }
}
