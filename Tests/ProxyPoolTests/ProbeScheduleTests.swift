import Testing
@testable import ProxyPool

@Suite struct ProbeScheduleTests {
    let ms: UInt64 = 1_000_000

    @Test func probesAtOnceThenBacksOffTo50Milliseconds() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        #expect(schedule.probeIsDue(now: 0))
        var now: UInt64 = 0
        var gaps: [UInt64] = []
        for _ in 0..<8 {
            schedule.probed(now: now)
            gaps.append((schedule.nextProbe - now) / ms)
            now = schedule.nextProbe
        }
        #expect(gaps == [2, 4, 8, 16, 32, 50, 50, 50])
    }

    @Test func outputBringsTheNextProbeForwardButNotWithin2Milliseconds() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        for step in 0..<6 { schedule.probed(now: UInt64(step) * 60 * ms) }  // gap is now 50 ms
        let last = 300 * ms
        schedule.probed(now: last)
        schedule.outputArrived(now: last + 1 * ms)
        #expect(schedule.nextProbe == last + 2 * ms)  // not at once: the last probe was 1 ms ago
        schedule.outputArrived(now: last + 10 * ms)
        #expect(schedule.nextProbe == last + 2 * ms)  // already sooner than that
        schedule.probed(now: last + 10 * ms)
        #expect(schedule.nextProbe == last + 12 * ms)  // and the backoff starts over
    }

    @Test func theDeadlineBoundsThePollAndEndsTheLoad() {
        var schedule = ProbeSchedule(start: 100 * ms, loadTimeout: 30 * ms)
        schedule.probed(now: 100 * ms)
        #expect(schedule.pollTimeout(now: 100 * ms) == 2)
        for step in 1...4 { schedule.probed(now: (100 + UInt64(step) * 2) * ms) }
        #expect(schedule.pollTimeout(now: 125 * ms) == 5)  // the deadline comes before the next probe
        #expect(!schedule.isPastDeadline(now: 129 * ms))
        #expect(schedule.isPastDeadline(now: 130 * ms))
        #expect(schedule.probeIsDue(now: 130 * ms))
        #expect(schedule.pollTimeout(now: 131 * ms) == 0)
    }
}
