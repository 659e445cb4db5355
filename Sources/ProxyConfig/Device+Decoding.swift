extension Device {
    /// Reads the `devices` section: at least one device, each with a memory budget.
    static func decodeSection(_ section: ConfigObjectReader) throws(ConfigError) -> [Device] {
        try section.requireOnlyKeys(section.members.map(\.0))  // any name, but each only once
        guard !section.members.isEmpty else {
            throw ConfigError(keyPath: section.path, message: "give at least one device, or leave out `devices` for host memory")
        }
        var devices: [Device] = []
        for (name, value) in section.members {
            let entry = try ConfigObjectReader(value, path: section.keyPath(name))
            guard !name.isEmpty, !name.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) else {
                throw ConfigError(keyPath: entry.path, message: "a device name must be non-empty, without spaces or control characters")
            }
            devices.append(try decodeEntry(entry, name: name))
        }
        return devices
    }

    private static func decodeEntry(_ entry: ConfigObjectReader, name: String) throws(ConfigError) -> Device {
        try entry.requireOnlyKeys(["memory_mib", "env", "args", "measure_rss", "nvidia_index"])
        guard let memory = try entry.integer("memory_mib", in: 1...Int(Int32.max), expected: "an integer of MiB >= 1") else {
            throw ConfigError(keyPath: entry.keyPath("memory_mib"), message: "missing; give the device's memory budget in MiB")
        }
        var environment: [String: String] = [:]
        if let section = try entry.object("env") {
            try section.requireOnlyKeys(section.members.map(\.0))
            for (variable, value) in section.members {
                guard !variable.isEmpty, !variable.contains("="), !variable.utf8.contains(0) else {
                    throw ConfigError(keyPath: section.keyPath(variable), message: "an environment variable name must be non-empty, without '='")
                }
                guard case .string(let text) = value, !text.utf8.contains(0) else {
                    throw section.mismatch(variable, expected: "a string", got: value)
                }
                environment[variable] = text
            }
        }
        return Device(
            name: name, memoryMiB: memory, environment: environment, arguments: try entry.arguments("args") ?? [],
            measureResidentMemory: try entry.bool("measure_rss") ?? true,
            nvidiaIndex: try entry.integer("nvidia_index", in: 0...Int(Int32.max), expected: "a GPU index >= 0, as nvidia-smi -i takes it"))
    }
}
