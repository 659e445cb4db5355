extension ModelResolver {
    /// Finds the model `requested` names, trying in order: exact id, exact alias, id or alias
    /// ignoring case, `name:VARIANT` (name found by the first three steps, a variant of that
    /// model, ignoring case), `name:TAG` quantization tags, and a bare name with a single tagged variant.
    public func resolve(_ requested: String) -> Resolution {
        if let resolution = byName(requested) { return resolution }

        let wanted = requested.lowercased()
        if let colon = wanted.lastIndex(of: ":") {
            let name = String(wanted[..<colon])
            let tag = String(wanted[wanted.index(after: colon)...])
            if !name.isEmpty, !tag.isEmpty, case .found(let model)? = byName(String(requested[..<colon])),
               let variant = model.variants.first(where: { $0.lowercased() == tag }) {
                return .variant(model, name: variant)
            }
            if !name.isEmpty, !tag.isEmpty, let resolution = matchTagged(name: name, tag: tag) {
                return resolution
            }
        } else if let resolution = Self.single(models.filter { isTaggedVariant($0.id.lowercased(), of: wanted) }) {
            return resolution
        }
        return .notFound(suggestions: suggestions(for: requested))
    }

    /// Exact id, exact alias, then id or alias ignoring case; nil when none matches.
    private func byName(_ requested: String) -> Resolution? {
        if let model = models.first(where: { $0.id == requested }) { return .found(model) }
        if let model = models.first(where: { $0.aliases.contains(requested) }) { return .found(model) }
        let wanted = requested.lowercased()
        return Self.single(models.filter { model in
            model.id.lowercased() == wanted || model.aliases.contains { $0.lowercased() == wanted }
        })
    }

    /// `name:TAG`: the model called exactly name-TAG (or name_TAG, name.TAG); failing that, one
    /// whose id starts with name and ends with the tag.
    private func matchTagged(name: String, tag: String) -> Resolution? {
        let exact = models.filter { model in
            Self.separators.contains { model.id.lowercased() == name + $0 + tag }
        }
        if let resolution = Self.single(exact) { return resolution }
        let loose = models.filter { model in
            let id = model.id.lowercased()
            return id.hasPrefix(name) && Self.separators.contains { id.hasSuffix($0 + tag) } && id.count > name.count + tag.count
        }
        return Self.single(loose)
    }

    /// Whether `id` is `name` followed by a separator and a quantization label.
    private func isTaggedVariant(_ id: String, of name: String) -> Bool {
        guard id.count > name.count + 1, id.hasPrefix(name) else { return false }
        let rest = id.dropFirst(name.count)
        guard let separator = rest.first, Self.separators.contains(String(separator)) else { return false }
        return QuantizationLabel.isLabel(rest.dropFirst())
    }

    static let separators = ["-", "_", "."]

    /// `.found` for one match, `.ambiguous` for several, nil for none.
    private static func single(_ matches: [ResolvedModel]) -> Resolution? {
        switch matches.count {
        case 0: nil
        case 1: .found(matches[0])
        default: .ambiguous(candidates: matches.map(\.id).sorted())
        }
    }
}
