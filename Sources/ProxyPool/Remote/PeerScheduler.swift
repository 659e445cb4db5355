import Endpoints
/// The peers (other Llama Smart Proxies) and which of them a request for a model goes to. A
/// state machine like `RemoteScheduler`: it returns actions and takes the time as input.
///
/// - Each peer's own `/v1/models` is read every `checkInterval`; a peer that answers is up with
///   the models it listed, one that does not (or refuses a request's connection) is down: it is
///   skipped, and lists nothing, until a reading succeeds again.
/// - A request for a model goes to an up peer that lists it (by id or alias): one where it is
///   `ready` if any, else `loading`, else any (the peer loads it, making room by its own rules);
///   among those the one with the fewest requests in flight from here, ties round robin.
/// - A peer entry named by DNS (`PeerDNSName`) is resolved every `resolveInterval`; each address
///   is one peer, added and removed as the answer changes (see `PeerScheduler+dns.swift`).
public struct PeerScheduler: Sendable {
    public enum Action: Sendable, Equatable {
        /// Read the peer's own model list (resolve its name first) off the event loops.
        case fetch(peerID: UInt64, server: HostPort, authorization: String?)
        case armTimer(peerID: UInt64, deadline: UInt64)
        /// Resolve every address of a DNS name off the event loops, then call `resolved`.
        case resolve(nameID: UInt64, host: String)
        /// Call `resolveDue` for this name at `deadline`.
        case armResolveTimer(nameID: UInt64, deadline: UInt64)
        case log(String)
    }

    struct PeerState: Sendable {
        let id: UInt64
        var peer: PeerUpstream
        var health = RemoteHealth.unchecked
        var models: [PeerModel] = []
        var inFlight = 0
        var resolvedHost: String?
        var fetching = false
        /// The DNS name it was found by (its `NameState.id`); nil for a peer given by its URL.
        var origin: UInt64?
    }

    var peers: [PeerState] = []
    var names: [NameState] = []
    var nextID: UInt64 = 1
    private var nextTurn = 0

    public init() {}

    public var isEmpty: Bool { peers.isEmpty && names.isEmpty }

    /// Takes the peers of a (new) configuration: a peer kept (same name and address) keeps its
    /// state and timer; a new one is read at once. A DNS name kept (same entry, name and port)
    /// keeps its peers and timer; a new one is resolved at once.
    public mutating func configure(_ upstreams: [PeerUpstream], names dnsNames: [PeerDNSName] = [],
                                   resolved: [String: String] = [:]) -> [Action] {
        var fresh: [PeerState] = []
        var actions: [Action] = []
        for upstream in upstreams {
            if var kept = peers.first(where: { $0.origin == nil && $0.peer.name == upstream.name && $0.peer.server == upstream.server }) {
                kept.peer = upstream
                fresh.append(kept)
                continue
            }
            fresh.append(newPeer(upstream, resolvedHost: resolved[upstream.server.host], origin: nil, actions: &actions))
        }
        var freshNames: [NameState] = []
        for dnsName in dnsNames {
            if var kept = names.first(where: { $0.name.name == dnsName.name && $0.name.host == dnsName.host && $0.name.port == dnsName.port }) {
                kept.name = dnsName
                freshNames.append(kept)
                for var peer in peers where peer.origin == kept.id {
                    peer.peer = dnsName.peer(at: peer.peer.server.host)
                    fresh.append(peer)
                }
                continue
            }
            var state = NameState(id: nextID, name: dnsName)
            nextID += 1
            state.resolving = true
            actions.append(.resolve(nameID: state.id, host: dnsName.host))
            freshNames.append(state)
        }
        peers = fresh
        names = freshNames
        return actions
    }

    /// A new peer's state, its first reading in `actions`.
    mutating func newPeer(_ upstream: PeerUpstream, resolvedHost: String?, origin: UInt64?, actions: inout [Action]) -> PeerState {
        var state = PeerState(id: nextID, peer: upstream)
        nextID += 1
        state.resolvedHost = resolvedHost
        state.origin = origin
        state.fetching = true
        actions.append(.fetch(peerID: state.id, server: upstream.server, authorization: upstream.authorization))
        return state
    }

    public mutating func fetchDue(_ peerID: UInt64) -> [Action] {
        guard let index = peers.firstIndex(where: { $0.id == peerID }), !peers[index].fetching else { return [] }
        peers[index].fetching = true
        return [.fetch(peerID: peerID, server: peers[index].peer.server, authorization: peers[index].peer.authorization)]
    }

    /// A reading's result: its models, or nil when the peer did not answer with a model list
    /// (`reason` says why); `resolvedHost` the address its name resolved to.
    public mutating func fetched(_ peerID: UInt64, resolvedHost: String?, models: [PeerModel]?, reason: String, now: UInt64) -> [Action] {
        guard let index = peers.firstIndex(where: { $0.id == peerID }) else { return [] }
        peers[index].fetching = false
        if let resolvedHost { peers[index].resolvedHost = resolvedHost }
        let was = peers[index].health
        var actions: [Action] = []
        let name = "peer=\(peers[index].peer.name) url=http://\(peers[index].peer.server)"
        if let models, resolvedHost != nil {
            peers[index].health = .up
            peers[index].models = models
            if was != .up { actions.append(.log("peer up \(name) models=\(models.count)" + (was == .down ? " (back)" : ""))) }
        } else {
            actions += markDown(index, reason: reason)
        }
        actions.append(.armTimer(peerID: peerID, deadline: now &+ Self.nanoseconds(peers[index].peer.checkInterval)))
        return actions
    }

    /// The peer for a request for `model` (an id or alias it lists), not one of `excluding`.
    public mutating func choose(_ model: String, excluding: Set<UInt64> = []) -> RemoteLease? {
        let count = peers.count
        guard count > 0 else { return nil }
        var best: (index: Int, rank: Int)?
        for step in 0..<count {
            let index = (nextTurn + step) % count
            let peer = peers[index]
            guard peer.health != .down, peer.resolvedHost != nil, !excluding.contains(peer.id),
                  let listed = peer.models.first(where: { $0.id == model || $0.aliases.contains(model) })
            else { continue }
            let rank = listed.state == "ready" ? 0 : listed.state == "loading" ? 1 : 2
            if let current = best,
               rank > current.rank || (rank == current.rank && peer.inFlight >= peers[current.index].inFlight) { continue }
            best = (index, rank)
        }
        guard let best, let host = peers[best.index].resolvedHost else { return nil }
        peers[best.index].inFlight += 1
        nextTurn = (best.index + 1) % count
        let peer = peers[best.index]
        return RemoteLease(modelID: model, serverID: peer.id, server: peer.peer.server, endpoint: .tcp(host: host, port: peer.peer.server.port))
    }

    public mutating func release(_ lease: RemoteLease) {
        guard let index = peers.firstIndex(where: { $0.id == lease.serverID }) else { return }
        peers[index].inFlight = max(0, peers[index].inFlight - 1)
    }

    /// A request could not connect: the peer is down until a reading succeeds.
    public mutating func releaseUnreachable(_ lease: RemoteLease, reason: String) -> [Action] {
        release(lease)
        guard let index = peers.firstIndex(where: { $0.id == lease.serverID }) else { return [] }
        return markDown(index, reason: reason)
    }

    /// The `Authorization` value for the peer a lease names.
    public func authorization(for lease: RemoteLease) -> String? {
        peers.first(where: { $0.id == lease.serverID })?.peer.authorization
    }

    public func statuses() -> [PeerStatus] {
        peers.map { PeerStatus(name: $0.peer.name, server: $0.peer.server, health: $0.health, inFlight: $0.inFlight,
                               models: $0.health == .down ? [] : $0.models) }
    }

    /// An interval in seconds (bounded to 1 ms ... 10⁹ s) in nanoseconds.
    static func nanoseconds(_ seconds: Double) -> UInt64 {
        UInt64(min(max(seconds, 0.001), 1e9) * 1e9)
    }

    private mutating func markDown(_ index: Int, reason: String) -> [Action] {
        let was = peers[index].health
        peers[index].health = .down
        peers[index].models = []
        guard was != .down else { return [] }
        return [.log("peer down peer=\(peers[index].peer.name) url=http://\(peers[index].peer.server): \(reason)")]
    }
}
