/// When to probe a loading child: right away, then on a timer that backs off from 2 ms to
/// 50 ms, and again soon after any output, but never twice within 2 ms (a chatty child must
/// not turn probing into a busy loop). Times are CLOCK_MONOTONIC nanoseconds.
struct ProbeSchedule: Sendable {
    static let shortestGap: UInt64 = 2_000_000
    static let longestGap: UInt64 = 50_000_000

    var isLoading = true
    let deadline: UInt64?
    private(set) var nextProbe: UInt64
    private var lastProbe: UInt64?
    private var gap = shortestGap

    init(start: UInt64, loadTimeout: UInt64?) {
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
        nextProbe = now + gap
        gap = min(gap * 2, Self.longestGap)
    }

    mutating func outputArrived(now: UInt64) {
        gap = Self.shortestGap
        nextProbe = min(nextProbe, max(now, (lastProbe ?? 0) + Self.shortestGap))
    }

    /// Milliseconds until the next probe or the deadline, rounded up, for poll().
    func pollTimeout(now: UInt64) -> Int32 {
        let wakeAt = min(nextProbe, deadline ?? .max)
        guard wakeAt > now else { return 0 }
        return Int32(min((wakeAt - now + 999_999) / 1_000_000, 60_000))
    }
}
