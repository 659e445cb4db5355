/// Consistent hashing with bounded loads, for the replicas of one model: each replica owns
/// `pointsPerReplica` points on a 64-bit ring, and a key (the hash of a conversation's start) is
/// served by the first point clockwise from it. `order(for:)` is the walk from there: every
/// replica once, the key's own first. Points are hashed from the replica's number only, so a
/// replica that goes away (or is skipped) moves just its own keys, about 1/N of them, and the
/// same keys come back to it when it returns.
///
/// Bounded load (Mirrokni, Thorup, Zadimoghaddam): a replica whose load would exceed
/// ⌈(1 + ε) × mean⌉ after taking the request is skipped for the next one on the walk, so a
/// conversation stays on its replica unless that one is overloaded. Pure; its own unit tests.
struct AffinityRing: Sendable, Equatable {
    let replicas: Int
    /// Sorted by position; `owner` is a replica index, 0-based.
    private let points: [(position: UInt64, owner: Int)]

    static let defaultPointsPerReplica = 160

    init(replicas: Int, pointsPerReplica: Int = defaultPointsPerReplica) {
        self.replicas = max(1, replicas)
        var points: [(position: UInt64, owner: Int)] = []
        points.reserveCapacity(self.replicas * pointsPerReplica)
        for owner in 0..<self.replicas {
            for point in 0..<pointsPerReplica {
                points.append((StableHash("replica \(owner) point \(point)".utf8).mixed, owner))
            }
        }
        self.points = points.sorted { ($0.position, $0.owner) < ($1.position, $1.owner) }
    }

    static func == (lhs: AffinityRing, rhs: AffinityRing) -> Bool {
        lhs.replicas == rhs.replicas && lhs.points.elementsEqual(rhs.points) { $0 == $1 }
    }

    /// Every replica index once, in the order the key's walk meets them.
    func order(for key: UInt64) -> [Int] {
        var low = 0
        var high = points.count
        while low < high {  // the first point at or after the key
            let middle = (low + high) / 2
            if points[middle].position < key { low = middle + 1 } else { high = middle }
        }
        var seen = [Bool](repeating: false, count: replicas)
        var order: [Int] = []
        order.reserveCapacity(replicas)
        var index = low
        while order.count < replicas {
            let owner = points[index % points.count].owner
            if !seen[owner] {
                seen[owner] = true
                order.append(owner)
            }
            index += 1
        }
        return order
    }

    /// The most any replica may hold after one more request, for `totalLoad` requests spread
    /// over `replicas` replicas: ⌈(1 + ε) × (totalLoad + 1) / replicas⌉, at least 1.
    static func loadBound(totalLoad: Int, replicas: Int, epsilon: Double) -> Int {
        let mean = Double(totalLoad + 1) / Double(max(1, replicas))
        return max(1, Int(((1 + max(0, epsilon)) * mean).rounded(.up)))
    }

    /// The replicas that may take `key`'s request, best first: its walk, without those not
    /// `eligible` and those at the bound (`loads` by replica index; the mean is over the eligible
    /// ones). Empty only when none is eligible.
    func candidates(for key: UInt64, loads: [Int], epsilon: Double, eligible: (Int) -> Bool = { _ in true }) -> [Int] {
        let walk = order(for: key).filter(eligible)
        let bound = Self.loadBound(totalLoad: walk.reduce(0) { $0 + loads[$1] }, replicas: walk.count, epsilon: epsilon)
        let underBound = walk.filter { loads[$0] + 1 <= bound }
        return underBound.isEmpty ? Array(walk.prefix(1)) : underBound
    }

    /// The replica for `key`: the first of its `candidates`.
    func choose(for key: UInt64, loads: [Int], epsilon: Double, eligible: (Int) -> Bool = { _ in true }) -> Int? {
        candidates(for: key, loads: loads, epsilon: epsilon, eligible: eligible).first
    }
}
