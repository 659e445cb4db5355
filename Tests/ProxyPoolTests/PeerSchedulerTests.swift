import Testing
@testable import ProxyPool

/// The peers' state machine, driven by hand with a fake clock (nanoseconds).
@Suite struct PeerSchedulerTests {
    let one = PeerUpstream(name: "one", server: .init(host: "10.0.0.1", port: 8080), authorization: "Bearer k1", checkInterval: 2)
    let two = PeerUpstream(name: "two", server: .init(host: "10.0.0.2", port: 8080), checkInterval: 2)
    let resolved = ["10.0.0.1": "10.0.0.1", "10.0.0.2": "10.0.0.2"]

    func scheduler(one oneModels: [PeerModel], two twoModels: [PeerModel]) -> PeerScheduler {
        var scheduler = PeerScheduler()
        _ = scheduler.configure([one, two], resolved: resolved)
        _ = scheduler.fetched(1, resolvedHost: "10.0.0.1", models: oneModels, reason: "", now: 0)
        _ = scheduler.fetched(2, resolvedHost: "10.0.0.2", models: twoModels, reason: "", now: 0)
        return scheduler
    }

    @Test func everyPeerIsReadAtOnceThenEveryInterval() {
        var scheduler = PeerScheduler()
        #expect(scheduler.configure([one, two], resolved: resolved) == [
            .fetch(peerID: 1, server: one.server, authorization: "Bearer k1"), .fetch(peerID: 2, server: two.server, authorization: nil),
        ])
        #expect(scheduler.fetched(1, resolvedHost: "10.0.0.1", models: [PeerModel(id: "a", state: "ready")], reason: "", now: 5)
            == [.log("peer up peer=one url=http://10.0.0.1:8080 models=1"), .armTimer(peerID: 1, deadline: 2_000_000_005)])
        #expect(scheduler.fetchDue(1) == [.fetch(peerID: 1, server: one.server, authorization: "Bearer k1")])
        #expect(scheduler.fetchDue(1) == [], "one reading at a time")
    }

    @Test func prefersThePeerWhereTheModelIsReadyThenLoadingThenTheLeastBusy() throws {
        var scheduler = scheduler(
            one: [PeerModel(id: "a", state: "unloaded"), PeerModel(id: "b", state: "loading")],
            two: [PeerModel(id: "a", aliases: ["alpha"], state: "ready"), PeerModel(id: "b", state: "unloaded"),
                  PeerModel(id: "c", state: "unloaded")])
        for _ in 0..<3 { #expect(scheduler.choose("a")?.server == two.server, "ready beats less busy") }
        #expect(scheduler.choose("alpha")?.server == two.server, "by alias too")
        #expect(scheduler.choose("b")?.server == one.server, "loading beats unloaded")
        #expect(scheduler.choose("nowhere") == nil)
        let cChoice = scheduler.choose("c")
        let c = try #require(cChoice)
        #expect(c.endpoint == .tcp(host: "10.0.0.2", port: 8080))
        #expect(scheduler.authorization(for: c) == nil)
        #expect(scheduler.statuses().map(\.inFlight) == [1, 5])
    }

    @Test func amongEqualPeersTheLeastBusyTiesRoundRobin() throws {
        var scheduler = scheduler(one: [PeerModel(id: "a", state: "unloaded")], two: [PeerModel(id: "a", state: "unloaded")])
        let firstChoice = scheduler.choose("a")
        let first = try #require(firstChoice)
        let secondChoice = scheduler.choose("a")
        let second = try #require(secondChoice)
        #expect([first.server, second.server] == [one.server, two.server])
        scheduler.release(first)
        #expect(scheduler.choose("a")?.server == one.server, "one has none in flight now")
    }

    @Test func aPeerThatRefusesIsSkippedAndListsNothingUntilAReadingSucceeds() throws {
        var scheduler = scheduler(one: [PeerModel(id: "a", state: "ready")], two: [PeerModel(id: "a", state: "unloaded")])
        let leaseChoice = scheduler.choose("a")
        let lease = try #require(leaseChoice)
        #expect(lease.server == one.server)
        #expect(scheduler.releaseUnreachable(lease, reason: "connection refused")
            == [.log("peer down peer=one url=http://10.0.0.1:8080: connection refused")])
        #expect(scheduler.choose("a", excluding: [lease.serverID])?.server == two.server)
        #expect(scheduler.statuses().first?.models == [])
        _ = scheduler.fetchDue(1)
        #expect(scheduler.fetched(1, resolvedHost: "10.0.0.1", models: nil, reason: "cannot connect", now: 0).count == 1, "only the timer")
        _ = scheduler.fetchDue(1)
        let back = scheduler.fetched(1, resolvedHost: "10.0.0.1", models: [PeerModel(id: "a", state: "ready")], reason: "", now: 0)
        #expect(back.first == .log("peer up peer=one url=http://10.0.0.1:8080 models=1 (back)"))
        #expect(scheduler.choose("a")?.server == one.server)
    }

    @Test func aNewConfigurationKeepsKeptPeersAndReadsNewOnes() {
        var scheduler = scheduler(one: [PeerModel(id: "a", state: "ready")], two: [])
        let three = PeerUpstream(name: "three", server: .init(host: "10.0.0.3", port: 1))
        #expect(scheduler.configure([one, three]) == [.fetch(peerID: 3, server: three.server, authorization: nil)])
        #expect(scheduler.statuses().map(\.name) == ["one", "three"])
        #expect(scheduler.statuses().first?.health == .up)
        #expect(scheduler.fetchDue(2) == [], "two's timer finds nothing")
    }
}
