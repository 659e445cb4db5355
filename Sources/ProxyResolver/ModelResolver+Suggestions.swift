import ProxyConfig

extension ModelResolver {
    /// Longest request considered for suggestions; edit distance is quadratic and a client can
    /// send any string as a model name.
    static let longestSuggestible = 128

    /// Up to three ids that look like `requested`: names containing it first (`qwen3` suggests
    /// `Qwen3-8B-Q4_K_M`), then by case-insensitive edit distance to the id or an alias.
    public func suggestions(for requested: String, limit: Int = 3) -> [String] {
        let wanted = requested.lowercased()
        guard !wanted.isEmpty, wanted.count <= Self.longestSuggestible else { return [] }
        let base = wanted.split(separator: ":").first.map(String.init) ?? wanted
        var scored: [(id: String, containment: Bool, distance: Int)] = []
        for model in models {
            let names = ([model.id] + model.aliases).map { $0.lowercased() }
            let containment = base.count >= 3 && names.contains { $0.contains(base) }
            let distance = names.map { EditDistance.between(wanted, $0) }.min() ?? .max
            if containment || distance <= max(2, wanted.count / 3) {
                scored.append((model.id, containment, distance))
            }
        }
        scored.sort { left, right in
            if left.containment != right.containment { return left.containment }
            if left.distance != right.distance { return left.distance < right.distance }
            return left.id < right.id
        }
        return scored.prefix(limit).map(\.id)
    }
}
