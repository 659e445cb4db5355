extension ProxyConfiguration {
    static let knownKeys = [
        "host", "port", "llama_server", "models_dir", "max_loaded", "queue_max", "loading_comment_seconds",
        "send_loading_state", "default_args", "models", "timeouts",
        "limits", "log_requests", "plugins_dir", "plugin_config",
    ] + APIKeys.configKeys + ["cors_origins", "devices", "scheduling", "ttl_seconds", "preload", "groups", "peers", "nvidia_smi", "pid_file", "log_patched_requests"]

    static let ttlExpected = "a number of seconds from 0 to 31536000"

    /// Builds the configuration from the top-level object, checking keys in the documented order
    /// so the first problem reported is the first one a reader of the file meets.
    static func decode(_ root: ConfigObjectReader, paths: PathChecker) throws(ConfigError) -> ProxyConfiguration {
        try root.requireOnlyKeys(knownKeys)
        let host = try root.string("host", expected: "a host name or IP address") ?? "127.0.0.1"
        let port = try root.integer("port", in: 0...65535, expected: "an integer from 0 to 65535") ?? 8080
        guard let llamaServerPath = try root.string("llama_server", expected: "a path") else {
            throw ConfigError(keyPath: "llama_server", message: "missing; give the path of the llama-server binary")
        }
        let llamaServer = try paths.executableFile(llamaServerPath, keyPath: "llama_server")
        var modelsDir: String?
        if let folder = try root.string("models_dir", expected: "a path") {
            modelsDir = try paths.existingDirectory(folder, keyPath: "models_dir")
        }
        let maxLoaded = try root.integer("max_loaded", in: 1...Int.max, expected: "an integer >= 1") ?? 2
        let queueMax = try root.integer("queue_max", in: 0...Int.max, expected: "an integer >= 0 (0: no limit)") ?? defaultQueueMax
        let loadingCommentSeconds = try root.number(
            "loading_comment_seconds", in: 0...Timeouts.maximumSeconds,
            expected: "a number of seconds from 0 to 31536000 (0: no comments)") ?? defaultLoadingCommentSeconds
        let sendLoadingState = try root.bool("send_loading_state") ?? false
        let defaultArgs = try root.arguments("default_args") ?? []
        let devices = try root.object("devices").map { section throws(ConfigError) in try Device.decodeSection(section) }
        let models = try root.object("models").map { section throws(ConfigError) in
            try ConfiguredModel.decodeSection(section, paths: paths, knownDevices: devices?.map(\.name) ?? [Device.defaultName])
        } ?? []
        let timeouts = try root.object("timeouts").map { section throws(ConfigError) in
            try Timeouts.decode(section)
        } ?? Timeouts()
        let limits = try root.object("limits").map { section throws(ConfigError) in
            try Limits.decode(section)
        } ?? Limits()
        let logRequests = try root.bool("log_requests") ?? true
        var pluginsDir: String?
        if let folder = try root.string("plugins_dir", expected: "a path") {
            pluginsDir = try paths.existingDirectory(folder, keyPath: "plugins_dir")
        }
        let pluginConfig = try root.object("plugin_config").map { section throws(ConfigError) in
            try decodePluginConfig(section)
        } ?? [:]
        let apiKeys = try APIKeys.decode(root, paths: paths)
        let corsOrigins = try decodeCORSOrigins(root)
        let scheduling = try root.object("scheduling").map { section throws(ConfigError) in
            try Scheduling.decode(section)
        } ?? Scheduling()
        let ttlSeconds = try root.number("ttl_seconds", in: 0...Timeouts.maximumSeconds, expected: ttlExpected) ?? 0
        let names = ModelNames(models: models, hasModelsDir: modelsDir != nil)
        let preload = try root.stringArray("preload") ?? []
        for (index, name) in preload.enumerated() {
            try names.check(name, keyPath: "preload[\(index)]", allowAliases: true)
        }
        let groups = try root.object("groups").map { section throws(ConfigError) in
            try ModelGroup.decodeSection(section, names: names)
        } ?? []
        let peers = try root.object("peers").map { section throws(ConfigError) in try Peer.decodeSection(section, paths: paths) } ?? []
        var configuration = ProxyConfiguration(
            llamaServer: llamaServer, host: host, port: port, modelsDir: modelsDir, maxLoaded: maxLoaded,
            queueMax: queueMax, loadingCommentSeconds: loadingCommentSeconds, sendLoadingState: sendLoadingState,
            defaultArgs: defaultArgs, models: models, timeouts: timeouts, limits: limits, logRequests: logRequests,
            pluginsDir: pluginsDir, pluginConfig: pluginConfig, apiKeys: apiKeys, corsOrigins: corsOrigins,
            devices: devices, scheduling: scheduling, ttlSeconds: ttlSeconds, preload: preload, groups: groups)
        configuration.peers = peers
        if let pidFile = try root.string("pid_file", expected: "a path") {
            configuration.pidFile = try paths.fileInExistingDirectory(pidFile, keyPath: "pid_file")
        }
        configuration.logPatchedRequests = try root.bool("log_patched_requests") ?? false
        if let nvidiaSMI = try root.string("nvidia_smi", expected: "a program name (looked up on PATH) or a path") {
            // A bare name is looked up when it runs: the proxy may start on a machine without one.
            configuration.nvidiaSMI = nvidiaSMI.contains("/") ? try paths.executableFile(nvidiaSMI, keyPath: "nvidia_smi") : nvidiaSMI
        }
        return configuration
    }
}
