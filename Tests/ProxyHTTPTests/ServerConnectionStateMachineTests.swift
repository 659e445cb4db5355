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
        guard case .deliver(let second, _) = m.responseFinished(now: 1) else {
            Issue.record("second request not delivered")
            return
        }
        #expect(second.target == "/b")
    }

    @Test func closesAfterTheResponseWhenTheClientAskedForIt() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
        #expect(m.responseFinished(now: 1) == .close)
    }

    @Test func http10ClosesUnlessKeepAliveWasAsked() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.0\r\n\r\n")
        #expect(m.responseFinished(now: 1) == .close)
        var n = machine()
        _ = feed(&n, "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(n.responseFinished(now: 1) == nil)
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
        #expect(m.responseFinished(now: 100 * Self.second) == nil)
        #expect(m.tick(now: 150 * Self.second) == nil)
        #expect(m.tick(now: 160 * Self.second) == .close)
    }

    @Test func theHeaderTimeoutRestartsWhenTheNextRequestBegins() {
        var m = machine()
        _ = feed(&m, "GET / HTTP/1.1\r\n\r\n")
        _ = m.responseFinished(now: 100 * Self.second)
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
