import ProxyJSON

extension ConfiguredModel {
    static let filterKeys = ["filters", "variants"]

    /// Reads `filters` (`set`, `strip`, `upstream_model`) and `variants` (`name → members to set`).
    static func decodeFilters(_ entry: ConfigObjectReader, into model: inout ConfiguredModel) throws(ConfigError) {
        if let filters = try entry.object("filters") {
            try filters.requireOnlyKeys(["set", "strip", "upstream_model"])
            let set = try filters.object("set").map(members) ?? []
            let strip = try filters.stringArray("strip") ?? []
            for (index, name) in strip.enumerated() {
                let keyPath = "\(filters.keyPath("strip"))[\(index)]"
                guard !name.isEmpty else { throw ConfigError(keyPath: keyPath, message: "a member name must be non-empty") }
                guard name != "model" else {
                    throw ConfigError(keyPath: keyPath, message: "\"model\" routes the request; use upstream_model to rename it")
                }
                if set.contains(where: { $0.name == name }) {
                    throw ConfigError(keyPath: keyPath, message: "\"\(name)\" is also in filters.set; keep it in one of them")
                }
            }
            model.filters = RequestFilters(
                set: set, strip: strip,
                upstreamModel: try filters.string("upstream_model", expected: "a non-empty string (the model name the upstream expects)"))
        }
        if let variants = try entry.object("variants") {
            try variants.requireOnlyKeys(variants.members.map(\.0))  // any name, but each only once
            var seen: [String: String] = [:]  // lowercased name -> name
            for (name, _) in variants.members {
                let keyPath = variants.keyPath(name)
                guard !name.isEmpty, !name.contains(":"),
                      !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
                    throw ConfigError(keyPath: keyPath,
                                      message: "a variant name must be non-empty, without \":\", spaces or control characters")
                }
                if let other = seen[name.lowercased()] {
                    throw ConfigError(keyPath: keyPath,
                                      message: "variant \"\(name)\" differs from \"\(other)\" only in case; names are matched ignoring case")
                }
                seen[name.lowercased()] = name
                guard let object = try variants.object(name) else { continue }
                model.variants.append(ModelVariant(name: name, set: try members(object)))
            }
        }
    }

    /// An object of members to set: any names but `model`, each once, any value but `null`.
    private static func members(_ object: ConfigObjectReader) throws(ConfigError) -> [RequestFilters.Member] {
        try object.requireOnlyKeys(object.members.map(\.0))
        var members: [RequestFilters.Member] = []
        for (name, value) in object.members {
            let keyPath = object.keyPath(name)
            guard !name.isEmpty else { throw ConfigError(keyPath: keyPath, message: "a member name must be non-empty") }
            guard name != "model" else {
                throw ConfigError(keyPath: keyPath, message: "\"model\" routes the request; use filters.upstream_model to rename it")
            }
            if case .null = value {
                throw ConfigError(keyPath: keyPath, message: "null would remove the member; list it in filters.strip instead")
            }
            members.append(RequestFilters.Member(name: name, value: value.serialized()))
        }
        return members
    }

    /// A variant id (`id:name`) that is also the id or an alias of a model could never be asked for.
    static func checkVariantIdsAreFree(_ models: [ConfiguredModel], section: ConfigObjectReader) throws(ConfigError) {
        let names = Set(models.flatMap { [$0.id] + $0.aliases })
        for model in models {
            for variant in model.variants where names.contains("\(model.id):\(variant.name)") {
                throw ConfigError(keyPath: "\(section.keyPath(model.id)).variants.\(variant.name)",
                                  message: "\"\(model.id):\(variant.name)\" is already the id or an alias of a model, which wins")
            }
        }
    }
}
