import Endpoints
import Testing
@testable import ProxyPool

/// Peers found by a DNS name, driven by hand: a fake clock (nanoseconds) and the resolver's
/// answers given as the driver would hand them over.
@Suite struct PeerSchedulerDNSTests {
    let pool = PeerDNSName(name: "pool", host: "proxies.svc", port: 8080, authorization: "Bearer k", checkInterval: 2, resolveInterval: 30)
    let ready = [PeerModel(id: "a", state: "ready")]

    func server(_ address: String) -> HostPort { .init(host: address, port: 8080) }

    /// `pool` resolved to `addresses` at time 0, each peer read with `ready`.
    func scheduler(_ addresses: [String]) -> PeerScheduler {
        var scheduler = PeerScheduler()
        _ = scheduler.configure([], names: [pool])
        let actions = scheduler.resolved(1, addresses: .success(addresses), now: 0)
        for case .fetch(let peerID, let server, _) in actions {
            _ = scheduler.fetched(peerID, resolvedHost: server.host, models: ready, reason: "", now: 0)
        }
        return scheduler
    }

    @Test func theNameIsResolvedAtOnceAndEveryAddressIsAPeerReadAtOnce() {
        var scheduler = PeerScheduler()
        #expect(scheduler.configure([], names: [pool]) == [.resolve(nameID: 1, host: "proxies.svc")])
        #expect(!scheduler.isEmpty, "a name without an answer yet still makes this proxy look for peers")
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.2", "10.0.0.3"]), now: 5) == [
            .log("peer added peer=pool@10.0.0.2 url=http://10.0.0.2:8080 dns=proxies.svc"),
            .fetch(peerID: 2, server: server("10.0.0.2"), authorization: "Bearer k"),
            .log("peer added peer=pool@10.0.0.3 url=http://10.0.0.3:8080 dns=proxies.svc"),
            .fetch(peerID: 3, server: server("10.0.0.3"), authorization: "Bearer k"),
            .armResolveTimer(nameID: 1, deadline: 30_000_000_005),
        ])
        #expect(scheduler.statuses().map(\.name) == ["pool@10.0.0.2", "pool@10.0.0.3"])
        #expect(scheduler.choose("a") == nil, "no peer is chosen before its model list is read")
        #expect(scheduler.resolveDue(1) == [.resolve(nameID: 1, host: "proxies.svc")])
        #expect(scheduler.resolveDue(1) == [], "one resolution at a time")
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.3", "10.0.0.2"]), now: 40) == [
            .armResolveTimer(nameID: 1, deadline: 30_000_000_040),
        ], "the same addresses in another order change nothing")
    }

    @Test func anAddressThatGoesGetsNoNewRequestsAndItsRequestsInFlightFinish() throws {
        var scheduler = scheduler(["10.0.0.2", "10.0.0.3"])
        #expect(scheduler.statuses().map(\.health) == [.up, .up])
        let firstChoice = scheduler.choose("a")
        let first = try #require(firstChoice)
        #expect(first.server == server("10.0.0.2"))
        _ = scheduler.resolveDue(1)
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.3"]), now: 1) == [
            .log("peer removed peer=pool@10.0.0.2 url=http://10.0.0.2:8080: no longer in dns proxies.svc"),
            .armResolveTimer(nameID: 1, deadline: 30_000_000_001),
        ])
        for _ in 0..<3 { #expect(scheduler.choose("a")?.server == server("10.0.0.3")) }
        scheduler.release(first)
        #expect(scheduler.statuses().map(\.inFlight) == [3], "the gone peer's release counts nothing down")
        #expect(scheduler.fetchDue(first.serverID) == [], "the gone peer is read no more")
        #expect(scheduler.fetched(first.serverID, resolvedHost: "10.0.0.2", models: ready, reason: "", now: 2) == [])
    }

    @Test func anAddressThatComesBackIsANewPeerReadAtOnce() {
        var scheduler = scheduler(["10.0.0.2"])
        _ = scheduler.resolved(1, addresses: .success([]), now: 1)
        #expect(scheduler.statuses().isEmpty)
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.2"]), now: 2) == [
            .log("peer added peer=pool@10.0.0.2 url=http://10.0.0.2:8080 dns=proxies.svc"),
            .fetch(peerID: 3, server: server("10.0.0.2"), authorization: "Bearer k"),
            .armResolveTimer(nameID: 1, deadline: 30_000_000_002),
        ])
        #expect(scheduler.statuses().map(\.health) == [.unchecked])
    }

    @Test func aFailedResolutionKeepsTheLastAnswerAndIsLoggedOnce() {
        var scheduler = scheduler(["10.0.0.2", "10.0.0.3"])
        #expect(scheduler.resolved(1, addresses: .failure(HostResolutionError("Name or service not known")), now: 1) == [
            .log("cannot resolve peer name name=pool dns=proxies.svc: Name or service not known; keeping its 2 peer(s)"),
            .armResolveTimer(nameID: 1, deadline: 30_000_000_001),
        ])
        #expect(scheduler.resolved(1, addresses: .failure(HostResolutionError("Name or service not known")), now: 2) == [
            .armResolveTimer(nameID: 1, deadline: 30_000_000_002),
        ])
        #expect(scheduler.statuses().map(\.name) == ["pool@10.0.0.2", "pool@10.0.0.3"])
        #expect(scheduler.choose("a") != nil)
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.2", "10.0.0.3"]), now: 3) == [
            .log("peer name resolves again name=pool dns=proxies.svc addresses=2"),
            .armResolveTimer(nameID: 1, deadline: 30_000_000_003),
        ])
    }

    @Test func aNewConfigurationKeepsAKeptNameAndItsPeersAndResolvesAChangedOne() {
        var scheduler = scheduler(["10.0.0.2"])
        let fixed = PeerUpstream(name: "fixed", server: .init(host: "10.0.0.9", port: 1))
        var slower = pool
        slower.checkInterval = 9
        slower.resolveInterval = 60
        #expect(scheduler.configure([fixed], names: [slower], resolved: ["10.0.0.9": "10.0.0.9"])
            == [.fetch(peerID: 3, server: fixed.server, authorization: nil)])
        #expect(scheduler.statuses().map(\.name) == ["fixed", "pool@10.0.0.2"])
        #expect(scheduler.statuses().last?.health == .up, "the kept peer keeps its state")
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.2"]), now: 0) == [.armResolveTimer(nameID: 1, deadline: 60_000_000_000)])
        var moved = pool
        moved.port = 9090
        #expect(scheduler.configure([], names: [moved]) == [.resolve(nameID: 4, host: "proxies.svc")])
        #expect(scheduler.statuses().isEmpty, "the old port's peers are gone")
        #expect(scheduler.resolveDue(1) == [], "the old name's timer finds nothing")
        #expect(scheduler.resolved(1, addresses: .success(["10.0.0.2"]), now: 0) == [])
    }
}
