import ProxyJSON

extension ConfiguredModel {
    /// The top-level changes its filters (and the variant named `variant`, if any) make to a
    /// request, one per member name. Later steps win over earlier ones: `strip`, then `set`, then
    /// the variant's members, then `upstream_model` (the `model` member).
    public func requestChanges(variant: String? = nil) -> [TopLevelPatch.Change] {
        var changes: [TopLevelPatch.Change] = []
        func add(_ name: String, _ value: [UInt8]?) {
            changes.removeAll { $0.name == name }
            changes.append((name, value))
        }
        for name in filters.strip { add(name, nil) }
        for member in filters.set { add(member.name, member.value) }
        if let variant, let chosen = variants.first(where: { $0.name == variant }) {
            for member in chosen.set { add(member.name, member.value) }
        }
        if let upstreamModel = filters.upstreamModel {
            add("model", ParsedJSON.string(upstreamModel).serialized())
        }
        return changes
    }
}
