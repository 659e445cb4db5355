/// Which models to stop to free memory: a pure function, replaceable on its own.
///
/// Each candidate costs what stopping it is expected to cost later: the time its last load
/// took (what bringing it back costs), divided by how long it has been idle (a model unused
/// for long is less likely to be asked for soon). With equal load times this is "least recently
/// used first". The chosen set frees enough at the lowest total cost; among sets of equal cost,
/// the one with fewest models.
enum EvictionPolicy {
    struct Candidate: Sendable, Equatable {
        var modelID: String
        var bytes: UInt64
        /// Nanoseconds its last load took.
        var loadNanoseconds: UInt64
        /// Monotonic nanoseconds of its last use.
        var lastUsed: UInt64
    }

    /// Subsets of at most this many of the cheapest candidates are searched exhaustively
    /// (4096 sets); beyond them, candidates are added cheapest first.
    static let exhaustiveLimit = 12

    static func cost(_ candidate: Candidate, now: UInt64) -> Double {
        let idle = now > candidate.lastUsed ? now - candidate.lastUsed : 0
        return (Double(candidate.loadNanoseconds) + 1e6) / (Double(idle) + 1e6)
    }

    /// The candidates to stop so that at least `bytes` are freed, or nil when all of them
    /// together free less. Zero bytes needs nobody.
    static func choose(_ candidates: [Candidate], freeing bytes: UInt64, now: UInt64) -> [Candidate]? {
        guard bytes > 0 else { return [] }
        let sorted = candidates
            .map { (candidate: $0, cost: cost($0, now: now)) }
            .sorted { ($0.cost, $0.candidate.lastUsed, $0.candidate.modelID) < ($1.cost, $1.candidate.lastUsed, $1.candidate.modelID) }
        guard sorted.reduce(UInt64(0), { $0 &+ $1.candidate.bytes }) >= bytes else { return nil }
        let searched = Array(sorted.prefix(exhaustiveLimit))
        var best: (mask: Int, cost: Double, count: Int)?
        for mask in 1..<(1 << searched.count) {
            var freed: UInt64 = 0
            var total = 0.0
            for index in searched.indices where mask & (1 << index) != 0 {
                freed &+= searched[index].candidate.bytes
                total += searched[index].cost
            }
            guard freed >= bytes else { continue }
            let count = mask.nonzeroBitCount
            if let current = best, (current.cost, current.count) <= (total, count) { continue }
            best = (mask, total, count)
        }
        if let best {
            return searched.indices.filter { best.mask & (1 << $0) != 0 }.map { searched[$0].candidate }
        }
        // Only with more candidates than were searched: cheapest first until enough, then drop
        // the dearest ones that are not needed.
        var chosen: [Candidate] = []
        var freed: UInt64 = 0
        for entry in sorted where freed < bytes {
            chosen.append(entry.candidate)
            freed &+= entry.candidate.bytes
        }
        for index in chosen.indices.reversed() where freed - chosen[index].bytes >= bytes {
            freed -= chosen[index].bytes
            chosen.remove(at: index)
        }
        return chosen
    }
}

extension EvictionPolicy {
    /// The one candidate cheapest to stop (to free a child slot rather than memory).
    static func cheapest(_ candidates: [Candidate], now: UInt64) -> Candidate? {
        candidates.min { (cost($0, now: now), $0.lastUsed, $0.modelID) < (cost($1, now: now), $1.lastUsed, $1.modelID) }
    }
}
