/// Peers found by a DNS name: the name is resolved every `resolveInterval` (by the driver, off
/// the event loops) and each address is one peer. An address that appears is a new peer, read at
/// once; one that goes is dropped: it gets no new request, and those in flight to it finish (their
/// release finds nothing to count down). A resolution that fails keeps the last answer, logged
/// once until the name resolves again.
extension PeerScheduler {
    struct NameState: Sendable {
        let id: UInt64
        var name: PeerDNSName
        var resolving = false
        /// The last resolution failed (and was logged).
        var failing = false
    }

    /// A name's timer fired: resolve it (unless a resolution still runs).
    public mutating func resolveDue(_ nameID: UInt64) -> [Action] {
        guard let index = names.firstIndex(where: { $0.id == nameID }), !names[index].resolving else { return [] }
        names[index].resolving = true
        return [.resolve(nameID: nameID, host: names[index].name.host)]
    }

    /// A resolution's answer: the name's addresses (numeric), or why it did not resolve.
    public mutating func resolved(_ nameID: UInt64, addresses answer: Result<[String], HostResolutionError>, now: UInt64) -> [Action] {
        guard let index = names.firstIndex(where: { $0.id == nameID }) else { return [] }
        names[index].resolving = false
        let name = names[index].name
        var actions: [Action] = []
        switch answer {
        case .success(let addresses):
            if names[index].failing {
                actions.append(.log("peer name resolves again name=\(name.name) dns=\(name.host) addresses=\(addresses.count)"))
            }
            names[index].failing = false
            let known = peers.filter { $0.origin == nameID }.map(\.peer.server.host)
            for gone in peers where gone.origin == nameID && !addresses.contains(gone.peer.server.host) {
                actions.append(.log("peer removed peer=\(gone.peer.name) url=http://\(gone.peer.server): no longer in dns \(name.host)"))
            }
            peers.removeAll { $0.origin == nameID && !addresses.contains($0.peer.server.host) }
            for address in addresses where !known.contains(address) {
                let upstream = name.peer(at: address)
                actions.append(.log("peer added peer=\(upstream.name) url=http://\(upstream.server) dns=\(name.host)"))
                let added = newPeer(upstream, resolvedHost: address, origin: nameID, actions: &actions)
                peers.append(added)
            }
        case .failure(let error):
            if !names[index].failing {
                let count = peers.filter { $0.origin == nameID }.count
                actions.append(.log("cannot resolve peer name name=\(name.name) dns=\(name.host): \(error); keeping its \(count) peer(s)"))
            }
            names[index].failing = true
        }
        actions.append(.armResolveTimer(nameID: nameID, deadline: now &+ Self.nanoseconds(name.resolveInterval)))
        return actions
    }
}
