extension ModelGroup {
    /// Reads the `groups` section: `name → {"members": [...], "swap", "exclusive", "persistent"}`.
    static func decodeSection(_ section: ConfigObjectReader, names: ModelNames) throws(ConfigError) -> [ModelGroup] {
        try section.requireOnlyKeys(section.members.map(\.0))  // any name, but each only once
        var groups: [ModelGroup] = []
        var owners: [String: String] = [:]  // member -> group that listed it first
        for (name, value) in section.members {
            let entry = try ConfigObjectReader(value, path: section.keyPath(name))
            guard !name.isEmpty else { throw ConfigError(keyPath: entry.path, message: "a group name must be non-empty") }
            try entry.requireOnlyKeys(["members", "swap", "exclusive", "persistent"])
            guard let members = try entry.stringArray("members"), !members.isEmpty else {
                throw ConfigError(keyPath: entry.keyPath("members"), message: "missing or empty; list the model ids of the group")
            }
            for (index, member) in members.enumerated() {
                let keyPath = "\(entry.keyPath("members"))[\(index)]"
                try names.check(member, keyPath: keyPath, allowAliases: false)
                if let owner = owners[member] {
                    let whose = owner == name ? "listed twice" : "already a member of group \(owner)"
                    throw ConfigError(keyPath: keyPath, message: "model \(member) is \(whose); a model belongs to one group at most")
                }
                owners[member] = name
            }
            groups.append(ModelGroup(
                name: name, members: members, swap: try entry.bool("swap") ?? true,
                exclusive: try entry.bool("exclusive") ?? true, persistent: try entry.bool("persistent") ?? false))
        }
        return groups
    }
}

/// Checks names that the configuration refers to (`preload`, group members) against the
/// configured models. With a `models_dir`, any other name may be a model found there when the
/// proxy runs, so only configured aliases can be told apart.
struct ModelNames {
    let ids: Set<String>
    /// Alias -> id.
    let aliases: [String: String]
    let hasModelsDir: Bool
    /// Models served by `url`/`urls`, which the proxy never loads.
    let remoteIDs: Set<String>

    init(models: [ConfiguredModel], hasModelsDir: Bool) {
        ids = Set(models.map(\.id))
        remoteIDs = Set(models.filter { $0.remote != nil }.map(\.id))
        var aliases: [String: String] = [:]
        for model in models {
            for alias in model.aliases { aliases[alias] = model.id }
        }
        self.aliases = aliases
        self.hasModelsDir = hasModelsDir
    }

    func check(_ name: String, keyPath: String, allowAliases: Bool) throws(ConfigError) {
        guard !name.isEmpty else { throw ConfigError(keyPath: keyPath, message: "a model id must be non-empty") }
        if let remote = remoteIDs.contains(name) ? name : aliases[name].flatMap({ remoteIDs.contains($0) ? $0 : nil }) {
            throw ConfigError(keyPath: keyPath, message: "model \(remote) is served at a URL: the proxy does not load it")
        }
        if ids.contains(name) { return }
        if let id = aliases[name] {
            if allowAliases { return }
            throw ConfigError(keyPath: keyPath, message: "\(name) is an alias of model \(id); name the model by its id")
        }
        guard hasModelsDir else {
            throw ConfigError(keyPath: keyPath, message: "unknown model \(name) (no such id in models, and there is no models_dir)")
        }
    }
}
