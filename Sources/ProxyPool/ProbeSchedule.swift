/// When to probe a loading child. Two backoffs, neither ever reset:
/// - the timer: right away, then gaps doubling from 2 ms to 500 ms, so a long quiet load costs a
///   probe or two a second, and a quick one is still seen within milliseconds;
/// - output: llama-server logs as it finishes loading, so output brings the next probe forward
///   (once: more output before that probe changes nothing), to no sooner than a gap after the last
///   probe that doubles from 2 ms to 50 ms with each probe output brought forward. A chatty child
///   is so probed at most 20 times a second, and a talkative one's readiness is still seen soon
///   after its last lines.
/// Times are CLOCK_MONOTONIC nanoseconds.
struct ProbeSchedule: Sendable {
    static let shortestGap: UInt64 = 2_000_000
    static let longestTimerGap: UInt64 = 500_000_000
    static let longestOutputGap: UInt64 = 50_000_000

    var isLoading = true
    let deadline: UInt64?
    private(set) var nextProbe: UInt64
    private var lastProbe: UInt64?
    private var timerGap = shortestGap
    private var outputGap = shortestGap
    /// The next probe was brought forward by output (and so advances the output backoff).
    private var nextProbeIsForOutput = false

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
        if nextProbeIsForOutput {
            outputGap = min(outputGap * 2, Self.longestOutputGap)
            nextProbeIsForOutput = false
        }
        nextProbe = now + timerGap
        timerGap = min(timerGap * 2, Self.longestTimerGap)
    }

    mutating func outputArrived(now: UInt64) {
        guard !nextProbeIsForOutput else { return }
        let soonest = max(now, (lastProbe ?? 0) + outputGap)
        guard soonest < nextProbe else { return }
        nextProbe = soonest
        nextProbeIsForOutput = true
    }

    /// Milliseconds until the next probe or the deadline, rounded up, for poll().
    func pollTimeout(now: UInt64) -> Int32 {
        let wakeAt = min(nextProbe, deadline ?? .max)
        guard wakeAt > now else { return 0 }
        return Int32(min((wakeAt - now + 999_999) / 1_000_000, 60_000))
    }
}
