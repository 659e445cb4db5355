import HTTPCodec
import Testing

@testable import ProxyHTTP

/// The connection logic with a fake clock and no sockets: bytes and ticks in, actions out.
@Suite struct ServerConnectionStateMachineTests {
    static let second: UInt64 = 1_000_000_000
    let timeouts = ServerConnectionStateMachine.Timeouts(requestHeader: 10 * second, keepAlive: 60 * second)

    func machine(limits: HTTPParserLimits = HTTPParserLimits()) -> ServerConnectionStateMachine {
        ServerConnectionStateMachine(now: 0, limits: limits, timeouts: timeouts)
    }

    func feed(_ machine: inout ServerConnectionStateMachine, _ text: String, now: UInt64 = 0) -> [ServerConnectionStateMachine.Action] {
        machine.withInputBuffer { $0.append(text) }
        var actions: [ServerConnectionStateMachine.Action] = []
        while let action = machine.nextAction(now: now) { actions.append(action) }
        return actions
    }

    @Test func deliversACompleteRequestWithItsBody() {
        var m = machine()
        let actions = feed(&m, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
        guard case .deliver(let head, let body) = actions.first else {
            Issue.record("expected a delivered request, got \(actions)")
            return
        }
        #expect(head.method == "POST" && head.target == "/v1/chat/completions")
        #expect(body == Array("hello".utf8))
        #expect(m.isResponding)
    }

    @Test func deliversTheSameRequestWhenBytesArriveOneByOne() {
        var m = machine()
        var actions: [ServerConnectionStateMachine.Action] = []
        for byte in "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n".utf8 {
            actions += feed(&m, String(UnicodeScalar(byte)))
        }
        #expect(actions.count == 1)
        if case .deliver(_, let body) = actions.first { #expect(body == Array("abc".utf8)) } else { Issue.record("\(actions)") }
    }

    @Test func answersExpectContinueBeforeTheBody() {
        var m = machine()
        let first = feed(&m, "POST /x HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(first == [.sendContinue])
        let second = feed(&m, "ok")
        #expect(second.count == 1)
        if case .deliver(_, let body) = second.first { #expect(body == Array("ok".utf8)) }
    }

    @Test func holdsAPipelinedRequestUntilTheResponseIsFinished() {
        var m = machine()
        let actions = feed(&m, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
        #expect(actions.count == 1)
        let early = m.nextAction(now: 1)
        #expect(early == nil, "the second request waits for the first response")
        // Finishing never delivers the next request itself: the caller's loop asks for it.
        #expect(m.responseFinished(now: 1, pendingOutput: 0) == nil)
        guard case .deliver(let second, _) = m.nextAction(now: 1) else {
            Issue.record("second request not delivered")
            return
        }
        #expect(second.target == "/b")
    }

    @Test func tenThousandPipelinedRequestsComeOutOneAtATimeInOrder() {
        var m = machine()
        let count = 10_000
        m.withInputBuffer { buffer in
            for index in 0..<count { buffer.append("GET /r\(index) HTTP/1.1\r\nHost: x\r\n\r\n") }
        }
        var targets: [String] = []
        while let action = m.nextAction(now: 0) {
            guard case .deliver(let head, _) = action else {
                Issue.record("unexpected \(action)")
                return
            }
            targets.append(head.target)
            let whileResponding = m.nextAction(now: 0)
            #expect(whileResponding == nil)
            let finished = m.responseFinished(now: 0, pendingOutput: 0)
            #expect(finished == nil)
        }
        #expect(targets == (0..<count).map { "/r\($0)" })
    }

    @Test func theNextRequestWaitsWhileTheClientHasNotTakenItsOutput() {
        var m = machine()
        _ = feed(&m, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
        let backlog = ServerConnectionStateMachine.outputHighWater + 1
        #expect(m.responseFinished(now: 1, pendingOutput: backlog) == nil)
        #expect(m.nextAction(now: 2) == nil, "draining: /b must wait")
        // A client that reads nothing is not a slow head: no 408 while its answers wait.
        #expect(m.tick(now: 1_000 * Self.second) == nil)
        let resumed = m.outputDrained(now: 3)
        #expect(resumed)
        guard case .deliver(let second, _) = m.nextAction(now: 3) else {
            Issue.record("/b not delivered after the output drained")
            return
        }
        #expect(second.target == "/b")
        let resumedAgain = m.outputDrained(now: 4)
        #expect(!resumedAgain, "nothing was waiting for the drain")
    }

    @Test func aDrainingConnectionWhosePeerLeavesCloses() {
        var m = machine()
        _ = feed(&m, "GET /a HTTP/1.1\r\n\r\n")
        _ = m.responseFinished(now: 1, pendingOutput: ServerConnectionStateMachine.outputHighWater + 1)
        #expect(m.peerClosed() == .close)
        #expect(m.isClosed)
    }

    @Test func aCloseDelimitedResponseEndsTheConnection() {
        var m = machine()
        _ = feed(&m, "GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
        #expect(m.keepsAlive)
        m.closeAfterResponse()
        #expect(!m.keepsAlive)
        #expect(m.responseFinished(now: 1, pendingOutput: 0) == .close)
        #expect(m.nextAction(now: 1) == nil)
    }

    @Test func closesAfterTheResponseWhenTheClientAskedForIt() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(m.responseFinished(now: 1, pendingOutput: 0) == .close)
    }

    @Test func http10ClosesUnlessKeepAliveWasAsked() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.0\r\n\r\n")
        #expect(m.responseFinished(now: 1, pendingOutput: 0) == .close)
        var n = machine()
        _ = feed(&n, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(n.responseFinished(now: 1, pendingOutput: 0) == nil)
    }

    @Test(arguments: [
        ("GET / HTTP/2.0\r\n\r\n", 505),
        ("GARBAGE\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nContent-Length: 999\r\n\r\n", 413),
    ])
    func malformedInputIsAnsweredWithItsStatusAndClosed(input: String, status: Int) {
        var m = machine(limits: HTTPParserLimits(maxHeaderBytes: 1024, maxBodyBytes: 100))
        let actions = feed(&m, input)
        guard case .sendErrorAndClose(let got, _) = actions.first else {
            Issue.record("expected an error, got \(actions)")
            return
        }
        #expect(got == status)
        #expect(m.isClosed)
    }

    @Test func anOversizedHeadIs431BeforeItEnds() {
        var m = machine(limits: HTTPParserLimits(maxHeaderBytes: 64, maxBodyBytes: 100))
        let actions = feed(&m, "GET / HTTP/1.1\r\nX-Long: " + String(repeating: "a", count: 100))
        guard case .sendErrorAndClose(431, _) = actions.first else {
            Issue.record("expected 431, got \(actions)")
            return
        }
    }

    @Test func aSlowHeadTimesOutWith408() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\nHost:", now: 1 * Self.second)
        #expect(m.tick(now: 5 * Self.second) == nil)
        guard case .sendErrorAndClose(408, _) = m.tick(now: 11 * Self.second) else {
            Issue.record("expected 408")
            return
        }
    }

    @Test func aSilentNewConnectionIsClosedAfterTheHeaderTimeout() {
        var m = machine()
        #expect(m.tick(now: 9 * Self.second) == nil)
        #expect(m.tick(now: 10 * Self.second) == .close)
    }

    @Test func anIdleKeepAliveConnectionIsClosedAfterItsTimeout() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\n\r\n")
        #expect(m.responseFinished(now: 100 * Self.second, pendingOutput: 0) == nil)
        #expect(m.tick(now: 150 * Self.second) == nil)
        #expect(m.tick(now: 160 * Self.second) == .close)
    }

    @Test func theHeaderTimeoutRestartsWhenTheNextRequestBegins() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\n\r\n")
        _ = m.responseFinished(now: 100 * Self.second, pendingOutput: 0)
        _ = feed(&m, "GET", now: 150 * Self.second)
        #expect(m.tick(now: 159 * Self.second) == nil)
        guard case .sendErrorAndClose(408, _) = m.tick(now: 160 * Self.second) else {
            Issue.record("expected 408")
            return
        }
    }

    @Test func noTimeoutFiresWhileAResponseIsUnderWay() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\n\r\n")
        #expect(m.tick(now: 10_000 * Self.second) == nil)
    }

    @Test func aClientThatLeavesMidResponseAbortsIt() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\n\r\n")
        #expect(m.peerClosed() == .abortResponse)
        #expect(m.isClosed)
    }

    @Test func aClientThatLeavesWhileIdleJustCloses() {
        var m = machine()
        #expect(m.peerClosed() == .close)
    }
}

extension ServerConnectionStateMachineTests {
    @Test func aStalledBodyTimesOutButAProgressingOneDoesNot() {
        var m = machine()
        _ = feed(&m, "POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nab", now: 0)
        _ = feed(&m, "cd", now: 8 * Self.second)
        #expect(m.tick(now: 15 * Self.second) == nil)
        _ = feed(&m, "ef", now: 15 * Self.second)
        #expect(m.tick(now: 24 * Self.second) == nil)
        guard case .sendErrorAndClose(408, _) = m.tick(now: 25 * Self.second) else {
            Issue.record("expected 408 for a stalled body")
            return
        }
    }
}
