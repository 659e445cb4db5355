import Testing
@testable import ProxyPool

@Suite struct ProbeScheduleTests {
    static let ms: UInt64 = 1_000_000
    var ms: UInt64 { Self.ms }

    /// Drives a schedule through a load that becomes ready at `readyAt`: probes when due, output
    /// every `outputEvery` ms (nil: quiet). Returns the probes made and when the first probe at or
    /// after `readyAt` happened (nil when none did within `until`).
    func load(readyAt: UInt64, until: UInt64, outputEvery: UInt64?, step: UInt64 = ms / 4)
        -> (probes: Int, seenAt: UInt64?)
    {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        var count = 0
        for now in stride(from: UInt64(0), through: until, by: Int(step)) {
            if let outputEvery, now % (outputEvery * ms) == 0 { schedule.outputArrived(now: now) }
            if schedule.probeIsDue(now: now) {
                schedule.probed(now: now)
                count += 1
                if now >= readyAt { return (count, now) }
            }
        }
        return (count, nil)
    }

    @Test func probesAtOnceThenWithGapsOfATenthOfTheLoadSoFar() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        #expect(schedule.probeIsDue(now: 0))
        var now: UInt64 = 0
        var gaps: [UInt64] = []
        for _ in 0..<100 {
            schedule.probed(now: now)
            gaps.append(schedule.nextProbe - now)
            now = schedule.nextProbe
        }
        #expect(gaps.first == 2 * ms)
        #expect(gaps == gaps.sorted())  // never shrinking
        #expect(gaps.last == 500 * ms)  // capped
        var elapsed: UInt64 = 0
        for gap in gaps {
            #expect(gap == min(max(elapsed / 10, 2 * ms), 500 * ms))
            elapsed += gap
        }
    }

    /// The class of loads, not one example: whatever the load takes, quiet or chatty, its
    /// readiness is seen within a tenth of the load time (at least 2 ms, at most the capped gap).
    @Test(arguments: [1, 5, 30, 31, 42, 100, 333, 1_000, 5_000, 20_000] as [UInt64])
    func readinessIsSeenWithinATenthOfTheLoad(readyMilliseconds: UInt64) {
        let readyAt = readyMilliseconds * ms
        for outputEvery in [nil, 1, 7] as [UInt64?] {
            let result = load(readyAt: readyAt, until: readyAt + 2_000 * ms, outputEvery: outputEvery)
            guard let seenAt = result.seenAt else {
                Issue.record("never probed after \(readyMilliseconds) ms (output every \(String(describing: outputEvery)) ms)")
                continue
            }
            let allowed = min(max(readyAt / 10 + readyAt / 100, 2 * ms), 500 * ms + 50 * ms) + ms / 4
            #expect(seenAt - readyAt <= allowed,
                    "ready at \(readyMilliseconds) ms, seen \((seenAt - readyAt) / 1000) µs later (output every \(String(describing: outputEvery)) ms)")
        }
    }

    @Test func outputBringsTheNextProbeForwardOnce() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        let last = 20_000 * ms  // 20 s into the load: timer gap 500 ms, output gap 50 ms
        schedule.probed(now: last)
        #expect(schedule.nextProbe == last + 500 * ms)
        schedule.outputArrived(now: last + 1 * ms)
        #expect(schedule.nextProbe == last + 50 * ms)  // not at once: the last probe was 1 ms ago
        schedule.outputArrived(now: last + 2 * ms)
        #expect(schedule.nextProbe == last + 50 * ms)  // more output changes nothing
        schedule.outputArrived(now: last + 60 * ms)
        #expect(schedule.nextProbe == last + 50 * ms)
        #expect(schedule.probeIsDue(now: last + 60 * ms))
    }

    @Test func outputAfterAQuietStretchIsProbedAtOnce() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        schedule.probed(now: 10_000 * ms)  // next timer probe at 10.5 s
        schedule.outputArrived(now: 10_200 * ms)  // 200 ms after the last probe: past the 50 ms output gap
        #expect(schedule.nextProbe == 10_200 * ms)
        #expect(schedule.probeIsDue(now: 10_200 * ms))
    }

    @Test func aLongLoadCostsFewProbesQuietOrChatty() {
        // A minute of loading: a quiet child is probed about twice a second after the first
        // seconds; one that writes a line every millisecond at most 20 times a second.
        let quiet = load(readyAt: .max, until: 60_000 * ms, outputEvery: nil).probes
        let chatty = load(readyAt: .max, until: 60_000 * ms, outputEvery: 1).probes
        #expect(quiet <= 60 * 2 + 10 * 6 + 10)  // ~10·ln(5 s / 20 ms) ramp, then 2 a second
        #expect(chatty <= 60 * 20 + quiet)
        #expect(chatty > quiet)  // output does bring probes forward
    }

    @Test func theDeadlineBoundsThePollAndEndsTheLoad() {
        var schedule = ProbeSchedule(start: 100 * ms, loadTimeout: 30 * ms)
        schedule.probed(now: 100 * ms)
        #expect(schedule.pollTimeout(now: 100 * ms) == 2)
        schedule.probed(now: 127 * ms)  // gap 2.7 ms: next probe at 129.7 ms
        #expect(schedule.pollTimeout(now: 127 * ms) == 3)
        schedule.probed(now: 129 * ms + ms / 2)  // next at 132.4 ms, after the deadline
        #expect(schedule.pollTimeout(now: 129 * ms + ms / 2) == 1)  // the deadline comes first
        #expect(!schedule.isPastDeadline(now: 129 * ms))
        #expect(schedule.isPastDeadline(now: 130 * ms))
        #expect(schedule.probeIsDue(now: 130 * ms))
        #expect(schedule.pollTimeout(now: 131 * ms) == 0)
    }
}
