/// Levenshtein distance, for "did you mean" hints (unknown config keys, unknown model names).
public enum EditDistance {
    /// Insertions, deletions and substitutions of Unicode scalars needed to turn `source` into
    /// `target`. Runs in O(n·m) time, so callers bound the lengths they compare.
    public static func between(_ source: String, _ target: String) -> Int {
        let source = Array(source.unicodeScalars)
        let target = Array(target.unicodeScalars)
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        var previous = Array(0...target.count)
        var current = previous
        for (row, sourceScalar) in source.enumerated() {
            current[0] = row + 1
            for (column, targetScalar) in target.enumerated() {
                let substitution = previous[column] + (sourceScalar == targetScalar ? 0 : 1)
                current[column + 1] = min(substitution, previous[column + 1] + 1, current[column] + 1)
            }
            swap(&previous, &current)
        }
        return previous[target.count]
    }

    /// Whether `candidate` is close enough to `typed` to suggest: a few edits for short names,
    /// proportionally more for long ones, or one name starting with the other (`max_body`).
    public static func isPlausibleTypo(_ typed: String, of candidate: String) -> Bool {
        let typed = typed.lowercased()
        let candidate = candidate.lowercased()
        if min(typed.count, candidate.count) >= 4, typed.hasPrefix(candidate) || candidate.hasPrefix(typed) {
            return true
        }
        return between(typed, candidate) <= max(2, min(typed.count, candidate.count) / 3)
    }
}
