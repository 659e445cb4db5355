extension ConfiguredModel {
    /// Reads the `models` section: one entry per id, then checks that every requestable name
    /// (ids and aliases) means exactly one model.
    static func decodeSection(
        _ section: ConfigObjectReader, paths: PathChecker, knownDevices: [String] = [Device.defaultName]
    ) throws(ConfigError) -> [ConfiguredModel] {
        try section.requireOnlyKeys(section.members.map(\.0))  // any id, but each only once
        var models: [ConfiguredModel] = []
        for (id, value) in section.members {
            let entry = try ConfigObjectReader(value, path: section.keyPath(id))
            guard !id.isEmpty, !id.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
                throw ConfigError(keyPath: entry.path, message: "a model id must be non-empty, without spaces or control characters")
            }
            models.append(try decodeEntry(entry, id: id, paths: paths, knownDevices: knownDevices))
        }
        try checkNamesAreUnique(models, section: section)
        try checkVariantIdsAreFree(models, section: section)
        return models
    }

    private static func decodeEntry(
        _ entry: ConfigObjectReader, id: String, paths: PathChecker, knownDevices: [String]
    ) throws(ConfigError) -> ConfiguredModel {
        try entry.requireOnlyKeys(["path", "args", "aliases", "queue_max", "send_loading_state"] + placementKeys
            + ["ttl_seconds", "pinned", "stop_seconds"] + commandKeys + filterKeys + remoteKeys + agentKeys)
        if let remote = try decodeRemote(entry, paths: paths) {
            let aliases = try decodeAliases(entry)
            var model = ConfiguredModel(id: id, path: "", aliases: aliases, remote: remote)
            try decodeFilters(entry, into: &model)
            try decodeAgent(entry, into: &model)
            return model
        }
        let path = try entry.string("path", expected: "a path")
        let command = try decodeCommand(entry, hasPath: path != nil)
        guard path != nil || command != nil else {
            throw ConfigError(keyPath: entry.keyPath("path"), message: "missing; give the path of the model's .gguf file (or a `cmd`, or a `url`)")
        }
        let file = try path.map { path throws(ConfigError) in try paths.existingFile(path, keyPath: entry.keyPath("path")) } ?? ""
        let aliases = try decodeAliases(entry)
        var model = ConfiguredModel(
            id: id, path: file, args: try entry.arguments("args") ?? [], aliases: aliases,
            queueMax: try entry.integer("queue_max", in: 0...Int.max, expected: "an integer >= 0 (0: no limit)"),
            sendLoadingState: try entry.bool("send_loading_state"))
        try decodePlacement(entry, knownDevices: knownDevices, into: &model)
        model.ttlSeconds = try entry.number("ttl_seconds", in: 0...Timeouts.maximumSeconds, expected: ProxyConfiguration.ttlExpected)
        model.pinned = try entry.bool("pinned") ?? false
        model.command = command
        model.stopSeconds = try entry.number("stop_seconds", in: 0...Timeouts.maximumSeconds, expected: "a number of seconds >= 0 (0: SIGKILL at once)")
        try decodeFilters(entry, into: &model)
        try decodeAgent(entry, into: &model)
        return model
    }

    private static func decodeAliases(_ entry: ConfigObjectReader) throws(ConfigError) -> [String] {
        let aliases = try entry.stringArray("aliases") ?? []
        for (index, alias) in aliases.enumerated()
        where alias.isEmpty || alias.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            throw ConfigError(keyPath: "\(entry.keyPath("aliases"))[\(index)]",
                              message: "an alias must be non-empty, without spaces or control characters")
        }
        return aliases
    }

    private static func checkNamesAreUnique(_ models: [ConfiguredModel], section: ConfigObjectReader) throws(ConfigError) {
        let ids = Set(models.map(\.id))
        var owners: [String: String] = [:]  // alias -> id of the model that claimed it first
        for model in models {
            let keyPath = "\(section.keyPath(model.id)).aliases"
            for alias in model.aliases {
                if ids.contains(alias) {
                    let whose = alias == model.id ? "this model's own id" : "the id of model \(alias)"
                    throw ConfigError(keyPath: keyPath, message: "alias \"\(alias)\" is \(whose)")
                }
                if let owner = owners[alias] {
                    let whose = owner == model.id ? "listed twice" : "already an alias of model \(owner)"
                    throw ConfigError(keyPath: keyPath, message: "alias \"\(alias)\" is \(whose)")
                }
                owners[alias] = model.id
            }
        }
    }
}
