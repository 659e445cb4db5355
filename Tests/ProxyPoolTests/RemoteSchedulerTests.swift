import Endpoints
import Testing
@testable import ProxyPool

/// The remote servers' state machine, driven by hand with a fake clock (nanoseconds).
@Suite struct RemoteSchedulerTests {
    static let second: UInt64 = 1_000_000_000
    let a = HostPort(host: "10.0.0.1", port: 8080)
    let b = HostPort(host: "10.0.0.2", port: 8080)
    let c = HostPort(host: "gpu-c.lan", port: 9000)

    func upstream(_ servers: [HostPort], interval: Double = 2) -> RemoteUpstream {
        RemoteUpstream(modelID: "big", servers: servers, healthPath: "/health", healthInterval: interval, authorization: "Bearer k")
    }

    /// A scheduler with `servers` configured (numeric hosts resolved) and every first check answered `healthy`.
    func configured(_ servers: [HostPort], healthy: Bool = true) -> RemoteScheduler {
        var scheduler = RemoteScheduler()
        let actions = scheduler.configure([upstream(servers)], resolved: ["10.0.0.1": "10.0.0.1", "10.0.0.2": "10.0.0.2"], now: 0)
        for case .probe(_, let id, let server, _, _) in actions {
            _ = scheduler.probed("big", serverID: id, resolvedHost: server.host == "gpu-c.lan" ? "10.0.0.3" : server.host, healthy: healthy, now: 0)
        }
        return scheduler
    }

    func lease(_ choice: RemoteScheduler.Choice, sourceLocation: SourceLocation = #_sourceLocation) throws -> RemoteLease {
        guard case .server(let lease) = choice else {
            Issue.record("expected a server, got \(choice)", sourceLocation: sourceLocation)
            throw CancellationError()
        }
        return lease
    }

    @Test func everyNewServerIsCheckedAtOnceWithThePathAndKey() {
        var scheduler = RemoteScheduler()
        let actions = scheduler.configure([upstream([a, b])], now: 0)
        #expect(actions == [
            .probe(modelID: "big", serverID: 1, server: a, path: "/health", authorization: "Bearer k"),
            .probe(modelID: "big", serverID: 2, server: b, path: "/health", authorization: "Bearer k"),
        ])
    }

    @Test func aCheckedServerIsCheckedAgainAfterTheInterval() {
        var scheduler = RemoteScheduler()
        _ = scheduler.configure([upstream([a], interval: 2)], now: 0)
        let actions = scheduler.probed("big", serverID: 1, resolvedHost: "10.0.0.1", healthy: true, now: 5 * Self.second)
        #expect(actions == [.log("remote up model=big url=http://10.0.0.1:8080"), .armTimer(modelID: "big", serverID: 1, deadline: 7 * Self.second)])
        #expect(scheduler.healthDue("big", serverID: 1) == [.probe(modelID: "big", serverID: 1, server: a, path: "/health", authorization: "Bearer k")])
        #expect(scheduler.healthDue("big", serverID: 1) == [], "one check at a time")
    }

    @Test func spreadsToTheLeastBusyTiesRoundRobin() throws {
        var scheduler = configured([a, b, c])
        let first = try lease(scheduler.choose("big"))
        let second = try lease(scheduler.choose("big"))
        let third = try lease(scheduler.choose("big"))
        #expect([first.server, second.server, third.server] == [a, b, c])
        #expect(third.endpoint == .tcp(host: "10.0.0.3", port: 9000), "a name is connected to by the address it resolved to")
        scheduler.release(second)  // b now has the fewest in flight
        #expect(try lease(scheduler.choose("big")).server == b)
        scheduler.release(first)
        scheduler.release(third)  // a: 0, b: 1, c: 0 -> round robin goes on after b
        #expect(try lease(scheduler.choose("big")).server == c)
        #expect(try lease(scheduler.choose("big")).server == a)
        #expect(scheduler.statuses()["big"]?.map(\.inFlight) == [1, 1, 1])
    }

    @Test func anUnreachableServerIsDownAndTheRequestGoesToTheNext() throws {
        var scheduler = configured([a, b])
        let first = try lease(scheduler.choose("big"))
        #expect(first.server == a)
        let actions = scheduler.releaseUnreachable(first, reason: "connection refused")
        #expect(actions == [.log("remote down model=big url=http://10.0.0.1:8080: connection refused")])
        let retry = try lease(scheduler.choose("big", excluding: [first.serverID]))
        #expect(retry.server == b)
        scheduler.release(retry)
        // Down servers are skipped by every later request, however idle they are.
        for _ in 0..<3 {
            let next = try lease(scheduler.choose("big"))
            #expect(next.server == b)
            scheduler.release(next)
        }
        #expect(scheduler.statuses()["big"]?.map(\.health) == [.down, .up])
    }

    @Test func aDownServerIsBackOnceACheckPasses() throws {
        var scheduler = configured([a, b])
        let first = try lease(scheduler.choose("big"))
        _ = scheduler.releaseUnreachable(first, reason: "connection refused")
        #expect(scheduler.healthDue("big", serverID: first.serverID).count == 1)
        let failed = scheduler.probed("big", serverID: first.serverID, resolvedHost: "10.0.0.1", healthy: false, now: Self.second)
        #expect(failed == [
            .log("remote down model=big url=http://10.0.0.1:8080: failed its health check (GET /health)"),
            .armTimer(modelID: "big", serverID: first.serverID, deadline: 3 * Self.second),
        ])
        _ = scheduler.healthDue("big", serverID: first.serverID)
        let passed = scheduler.probed("big", serverID: first.serverID, resolvedHost: "10.0.0.1", healthy: true, now: 3 * Self.second)
        #expect(passed.first == .log("remote up model=big url=http://10.0.0.1:8080 (back)"))
        #expect(try lease(scheduler.choose("big")).server == b, "round robin goes on after a")
        #expect(try lease(scheduler.choose("big")).server == a, "then a, back and the least busy")
    }

    @Test func aFailedCheckTakesAnUpServerOutAndRepeatsNoLogLine() throws {
        var scheduler = configured([a, b])
        let id = try #require(scheduler.models["big"]?.servers.first?.id)
        _ = scheduler.healthDue("big", serverID: id)
        #expect(scheduler.probed("big", serverID: id, resolvedHost: "10.0.0.1", healthy: false, now: 0).count == 2)
        _ = scheduler.healthDue("big", serverID: id)
        #expect(scheduler.probed("big", serverID: id, resolvedHost: "10.0.0.1", healthy: false, now: 0).count == 1, "only the timer")
        #expect(try lease(scheduler.choose("big")).server == b)
    }

    @Test func allDownIsUnavailableWithEachReason() throws {
        var scheduler = configured([a, b])
        let first = try lease(scheduler.choose("big"))
        _ = scheduler.releaseUnreachable(first, reason: "connection refused")
        let second = try lease(scheduler.choose("big", excluding: [first.serverID]))
        _ = scheduler.releaseUnreachable(second, reason: "no route to host")
        #expect(scheduler.choose("big", excluding: [first.serverID, second.serverID])
            == .unavailable(["10.0.0.1:8080: refused the connection", "10.0.0.2:8080: refused the connection"]))
        #expect(scheduler.choose("big") == .unavailable(["10.0.0.1:8080: connection refused", "10.0.0.2:8080: no route to host"]))
        #expect(scheduler.choose("other") == .unknownModel)
    }

    @Test func aNameIsUsableOnceResolvedAndDownWhenItDoesNotResolve() throws {
        var scheduler = RemoteScheduler()
        let actions = scheduler.configure([upstream([c])], now: 0)
        #expect(scheduler.choose("big") == .unavailable(["gpu-c.lan:9000: not resolved yet"]))
        #expect(actions.count == 1)
        let failed = scheduler.probed("big", serverID: 1, resolvedHost: nil, healthy: false, now: 0)
        #expect(failed.first == .log("remote down model=big url=http://gpu-c.lan:9000: cannot resolve gpu-c.lan"))
        _ = scheduler.healthDue("big", serverID: 1)
        _ = scheduler.probed("big", serverID: 1, resolvedHost: "10.0.0.3", healthy: true, now: 0)
        #expect(try lease(scheduler.choose("big")).endpoint == .tcp(host: "10.0.0.3", port: 9000))
    }

    @Test func anUncheckedResolvedServerTakesRequestsBeforeItsFirstCheck() throws {
        var scheduler = RemoteScheduler()
        _ = scheduler.configure([upstream([a])], resolved: ["10.0.0.1": "10.0.0.1"], now: 0)
        #expect(try lease(scheduler.choose("big")).server == a)
        #expect(scheduler.statuses()["big"]?.first?.health == .unchecked)
    }

    @Test func aNewConfigurationKeepsTheStateOfKeptServersAndDropsTheRest() throws {
        var scheduler = configured([a, b])
        let onA = try lease(scheduler.choose("big"))
        let onB = try lease(scheduler.choose("big"))
        _ = scheduler.releaseUnreachable(onB, reason: "connection refused")
        let actions = scheduler.configure([upstream([b, c])], resolved: [:], now: 0)
        #expect(actions == [.probe(modelID: "big", serverID: 3, server: c, path: "/health", authorization: "Bearer k")], "only the new one")
        #expect(scheduler.statuses()["big"]?.map(\.server) == [b, c])
        #expect(scheduler.statuses()["big"]?.first?.health == .down, "b stays down until a check passes")
        scheduler.release(onA)  // a is gone: nothing to count down
        #expect(scheduler.healthDue("big", serverID: onA.serverID) == [], "a's timer finds nothing")
        _ = scheduler.configure([], now: 0)
        #expect(scheduler.choose("big") == .unknownModel)
    }
}
