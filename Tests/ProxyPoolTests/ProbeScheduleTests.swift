import Testing
@testable import ProxyPool

@Suite struct ProbeScheduleTests {
    let ms: UInt64 = 1_000_000

    /// Drives a schedule through a load: probes when due, output every `outputEvery` ms (nil: quiet).
    func probes(during milliseconds: UInt64, outputEvery: UInt64?) -> Int {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        var count = 0
        for now in stride(from: UInt64(0), to: milliseconds * ms, by: Int(ms / 4)) {
            if let outputEvery, now % (outputEvery * ms) == 0 { schedule.outputArrived(now: now) }
            if schedule.probeIsDue(now: now) {
                schedule.probed(now: now)
                count += 1
            }
        }
        return count
    }

    @Test func probesAtOnceThenBacksOffTo500Milliseconds() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        #expect(schedule.probeIsDue(now: 0))
        var now: UInt64 = 0
        var gaps: [UInt64] = []
        for _ in 0..<11 {
            schedule.probed(now: now)
            gaps.append((schedule.nextProbe - now) / ms)
            now = schedule.nextProbe
        }
        #expect(gaps == [2, 4, 8, 16, 32, 64, 128, 256, 500, 500, 500])
    }

    @Test func outputBringsTheNextProbeForwardOnceWithoutResettingTheBackoff() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        var now: UInt64 = 0
        for _ in 0..<9 {  // timer gap is now 500 ms
            schedule.probed(now: now)
            now = schedule.nextProbe
        }
        let last = now
        schedule.probed(now: last)
        #expect(schedule.nextProbe == last + 500 * ms)
        schedule.outputArrived(now: last + 1 * ms)
        #expect(schedule.nextProbe == last + 2 * ms)  // not at once: the last probe was 1 ms ago
        schedule.outputArrived(now: last + 1 * ms + 100)
        #expect(schedule.nextProbe == last + 2 * ms)  // once: more output changes nothing
        schedule.probed(now: last + 2 * ms)
        #expect(schedule.nextProbe == last + 502 * ms)  // the timer keeps its backoff
        schedule.outputArrived(now: last + 3 * ms)
        #expect(schedule.nextProbe == last + 6 * ms)  // and output's own gap doubled: 4 ms
    }

    @Test func outputAfterAQuietStretchIsProbedAtOnce() {
        var schedule = ProbeSchedule(start: 0, loadTimeout: nil)
        schedule.probed(now: 0)
        schedule.probed(now: 2 * ms)
        schedule.outputArrived(now: 5 * ms)
        #expect(schedule.nextProbe == 5 * ms)
        #expect(schedule.probeIsDue(now: 5 * ms))
    }

    @Test func aLongLoadCostsFewProbesQuietOrChatty() {
        // A minute of loading: a quiet child is probed about twice a second; one that writes a
        // line every millisecond at most 20 times a second (it used to be every 2 ms: 30,000).
        let quiet = probes(during: 60_000, outputEvery: nil)
        let chatty = probes(during: 60_000, outputEvery: 1)
        #expect(quiet <= 130)
        #expect(chatty <= 60 * 20 + quiet)
        #expect(chatty > quiet)  // output does bring probes forward
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
