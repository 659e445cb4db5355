import ProxyJSON

extension ProxyConfiguration {
    /// Reads `plugin_config`: each plugin's own section, kept as compact JSON text because only
    /// the plugin knows its shape (numbers stay as written, so nothing is lost on the way).
    static func decodePluginConfig(_ section: ConfigObjectReader) throws(ConfigError) -> [String: String] {
        try section.requireOnlyKeys(section.members.map(\.0))  // any name, but each only once
        var sections: [String: String] = [:]
        for (name, value) in section.members {
            guard !name.isEmpty else {
                throw ConfigError(keyPath: section.keyPath(name), message: "a plugin name must be non-empty")
            }
            sections[name] = value.serializedString
        }
        return sections
    }
}
