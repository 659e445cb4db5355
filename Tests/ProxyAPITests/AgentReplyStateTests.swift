import ProxyAgents
import Testing
@testable import ProxyAPI

/// The reply state machine, event by event: what each event does in each phase.
@Suite struct AgentReplyStateTests {
    typealias Action = AgentReplyState.Action

    @Test func aStreamingClientGetsTheHeadWithTheFirstDeltaThenEachDeltaThenTheEnd() {
        var state = AgentReplyState(clientStreams: true)
        #expect(state.handlerReturned(.pending) == [.armDeadline])
        #expect(state.delta("a") == [.startStream("a"), .armDeadline])
        #expect(state.delta("b") == [.sendDelta("b"), .armDeadline])
        #expect(state.delta("") == [.armDeadline])  // a keep-alive: nothing to send
        #expect(state.finish(.reply("c")) == [.close(cancelling: []), .sendDelta("c"), .endStream])
        #expect(state.isOver)
        #expect(state.delta("late") == [])
        #expect(state.finish(.reply("again")) == [])
        #expect(state.deadlinePassed(seconds: 1) == [])
    }

    @Test func aClientThatDidNotAskToStreamGetsTheCollectedTextOnce() {
        var state = AgentReplyState(clientStreams: false)
        #expect(state.delta("tick 1 ") == [.armDeadline])
        #expect(state.delta("tick 2 ") == [.armDeadline])
        #expect(state.phase == .collecting("tick 1 tick 2 "))
        #expect(state.finish(.reply("done")) == [.close(cancelling: []), .deliver(.reply("tick 1 tick 2 done"))])
    }

    @Test(arguments: [
        AgentResult.reply("x"), .fail(status: 418, message: "no"), .continueWith(requestJSON: "{}"), .patch(json: "{}"),
    ])
    func beforeAnyDeltaAResultIsDeliveredAsTheHandlersWouldBe(result: AgentResult) {
        for streams in [true, false] {
            var finished = AgentReplyState(clientStreams: streams)
            #expect(finished.finish(result) == [.close(cancelling: []), .deliver(result)])
            var returned = AgentReplyState(clientStreams: streams)
            #expect(returned.handlerReturned(result) == [.close(cancelling: []), .deliver(result)])
        }
    }

    @Test func afterDeltasOnlyTextOrAnErrorCanEndAReply() {
        var collecting = AgentReplyState(clientStreams: false)
        _ = collecting.delta("x")
        #expect(collecting.finish(.patch(json: "{}")) == [.close(cancelling: []), .deliver(.fail(
            status: 500, message: "a reply that sent text can only end with more text or an error"))])
        var failing = AgentReplyState(clientStreams: false)
        _ = failing.delta("x")
        #expect(failing.finish(.fail(status: 502, message: "gone")) == [.close(cancelling: []), .deliver(.fail(status: 502, message: "gone"))])
        var streaming = AgentReplyState(clientStreams: true)
        _ = streaming.delta("x")
        #expect(streaming.finish(.continueWith(requestJSON: "{}")) == [.close(cancelling: []), .endStreamWithError(
            status: 500, message: "a reply that sent text can only end with more text or an error")])
        var streamFail = AgentReplyState(clientStreams: true)
        _ = streamFail.delta("x")
        #expect(streamFail.finish(.fail(status: 503, message: "model gone")) == [.close(cancelling: []), .endStreamWithError(status: 503, message: "model gone")])
        var pending = AgentReplyState(clientStreams: true)
        #expect(pending.finish(.pending) == [.close(cancelling: []), .deliver(.fail(status: 500, message: "the reply was finished as pending"))])
    }

    @Test func theDeadlineAnswers504BeforeAnyTextAndEndsAStreamWithAnErrorEvent() {
        for streams in [true, false] {
            var silent = AgentReplyState(clientStreams: streams)
            _ = silent.handlerReturned(.pending)
            #expect(silent.deadlinePassed(seconds: 1) == [.close(cancelling: []), .answerTimeout])
        }
        var collecting = AgentReplyState(clientStreams: false)
        _ = collecting.delta("x")
        #expect(collecting.deadlinePassed(seconds: 1) == [.close(cancelling: []), .answerTimeout])
        var streaming = AgentReplyState(clientStreams: true)
        _ = streaming.delta("x")
        #expect(streaming.deadlinePassed(seconds: 2.5) == [.close(cancelling: []), .endStreamWithError(
            status: 504, message: "sent nothing for 2.5 s (timeouts.agent_seconds)")])
        #expect(streaming.finish(.reply("late")) == [])
    }

    @Test func theDeadlinePausesWhileAStreamedCallIsUnderWay() {
        var state = AgentReplyState(clientStreams: true)
        #expect(state.callStarted(1) == (true, [.pauseDeadline]))
        #expect(state.callStarted(2) == (true, []))
        #expect(state.handlerReturned(.pending) == [])  // not armed: calls are under way
        #expect(state.delta("a") == [.startStream("a")])
        #expect(state.callEnded(1) == [])
        #expect(state.callEnded(2) == [.armDeadline])
        #expect(state.callEnded(2) == [])  // an end seen twice, or of a call never started, changes nothing
        #expect(state.callEnded(9) == [])
        #expect(state.delta("b") == [.sendDelta("b"), .armDeadline])
    }

    @Test func aClientThatLeavesClosesTheReplyCancellingItsCallsAndLaterCallsAreRefused() {
        var state = AgentReplyState(clientStreams: true)
        _ = state.delta("a")
        _ = state.callStarted(7)
        _ = state.callStarted(8)
        _ = state.callEnded(7)
        #expect(state.clientGone() == [.close(cancelling: [8])])
        #expect(state.clientGone() == [])
        #expect(state.callStarted(9) == (false, []))
        #expect(state.calls.isEmpty)
        #expect(state.finish(.reply("x")) == [])
    }

    @Test func everyEndCancelsTheCallsStillUnderWay() {
        var finished = AgentReplyState(clientStreams: false)
        _ = finished.callStarted(3)
        #expect(finished.finish(.reply("x")) == [.close(cancelling: [3]), .deliver(.reply("x"))])
        var timedOut = AgentReplyState(clientStreams: true)
        _ = timedOut.delta("a")
        _ = timedOut.callStarted(4)
        #expect(timedOut.deadlinePassed(seconds: 1) == [.close(cancelling: [4]), .endStreamWithError(
            status: 504, message: "sent nothing for 1.0 s (timeouts.agent_seconds)")])
    }
}
