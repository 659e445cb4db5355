import Testing

@testable import ProxyHTTP

/// The queue of a live body: bounded, drained by the loop when the connection takes more, and
/// a client that falls behind by more than the bound is dropped, never waited for.
@Suite struct LiveBodyStreamStateTests {
    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func offersBeforeTheStartWaitAndGoOutFirst() {
        var state = LiveBodyStreamState(limit: 100)
        #expect(state.offer(bytes("a")) == .queued(scheduleDrain: false))
        #expect(state.drain(writable: true) == .nothing)  // not started: nothing leaves yet
        state.started()
        #expect(state.offer(bytes("b")) == .queued(scheduleDrain: false))  // the start's own drain is due
        #expect(state.drain(writable: true) == .send(bytes("ab")))
        #expect(state.offer(bytes("c")) == .queued(scheduleDrain: true))
        #expect(state.offer(bytes("d")) == .queued(scheduleDrain: false))
        #expect(state.drain(writable: true) == .send(bytes("cd")))
    }

    @Test func aFullConnectionMakesTheQueueWaitWithoutMoreDrains() {
        var state = LiveBodyStreamState(limit: 100)
        state.started()
        #expect(state.drain(writable: true) == .nothing)
        #expect(state.offer(bytes("x")) == .queued(scheduleDrain: true))
        #expect(state.drain(writable: false) == .waitForWritable)
        #expect(state.offer(bytes("y")) == .queued(scheduleDrain: false))  // "writable again" will drain
        #expect(state.drain(writable: true) == .send(bytes("xy")))
    }

    @Test func overfillingTheBoundDropsTheClientAndRefusesTheRest() {
        var state = LiveBodyStreamState(limit: 10)
        state.started()
        _ = state.drain(writable: true)
        #expect(state.offer(Array(repeating: 1, count: 6)) == .queued(scheduleDrain: true))
        #expect(state.drain(writable: false) == .waitForWritable)
        #expect(state.offer(Array(repeating: 2, count: 4)) == .queued(scheduleDrain: false))  // exactly full
        #expect(!state.wasDropped)
        #expect(state.offer([3]) == .overflowed)
        #expect(state.isOver && state.wasDropped)
        #expect(state.queued.isEmpty)
        #expect(state.offer([4]) == .refused)
        #expect(state.drain(writable: false) == .drop)
        #expect(state.drain(writable: true) == .nothing)
        #expect(state.phase == .ended)
    }

    @Test func finishSendsWhatIsQueuedThenEnds() {
        var state = LiveBodyStreamState(limit: 100)
        state.started()
        _ = state.drain(writable: true)
        #expect(state.offer(bytes("last")) == .queued(scheduleDrain: true))
        #expect(state.finish() == false)  // the drain already due ends it
        #expect(state.offer(bytes("late")) == .refused)
        #expect(state.drain(writable: false) == .waitForWritable)
        #expect(state.drain(writable: true) == .finish(bytes("last")))
        #expect(state.phase == .ended)
        #expect(state.finish() == false)
    }

    @Test func finishOfAnIdleStreamAsksForADrain() {
        var state = LiveBodyStreamState(limit: 100)
        state.started()
        _ = state.drain(writable: true)
        #expect(state.finish() == true)
        #expect(state.drain(writable: true) == .finish([]))
    }

    @Test func finishBeforeTheStartEndsAtTheStart() {
        var state = LiveBodyStreamState(limit: 100)
        #expect(state.offer(bytes("early")) == .queued(scheduleDrain: false))
        #expect(state.finish() == false)
        state.started()
        #expect(state.drain(writable: true) == .finish(bytes("early")))
    }

    @Test func aClientGoneEndsEverything() {
        var state = LiveBodyStreamState(limit: 100)
        state.started()
        _ = state.offer(bytes("x"))
        state.ended()
        #expect(state.isOver)
        #expect(state.offer(bytes("y")) == .refused)
        #expect(state.drain(writable: true) == .nothing)
    }
}
