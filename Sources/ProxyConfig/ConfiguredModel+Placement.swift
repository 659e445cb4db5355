extension ConfiguredModel {
    static let placementKeys = ["device", "devices", "memory_mib", "priority", "replicas"]

    /// More than this many copies of one model is a typo, not a plan.
    public static let maximumReplicas = 64

    /// `device` (one name) or `devices` (names in order of preference), `memory_mib`, `priority`,
    /// `replicas`.
    /// Every device named must be one of `knownDevices`.
    static func decodePlacement(
        _ entry: ConfigObjectReader, knownDevices: [String], into model: inout ConfiguredModel
    ) throws(ConfigError) {
        let one = try entry.string("device", expected: "a device name")
        let several = try entry.stringArray("devices")
        if one != nil && several != nil {
            throw ConfigError(keyPath: entry.keyPath("devices"), message: "give either `device` or `devices`, not both")
        }
        if let several {
            guard !several.isEmpty else {
                throw ConfigError(keyPath: entry.keyPath("devices"), message: "give at least one device name, or leave it out for any device")
            }
            if let repeated = several.enumerated().first(where: { several[..<$0.offset].contains($0.element) }) {
                throw ConfigError(keyPath: "\(entry.keyPath("devices"))[\(repeated.offset)]", message: "device \"\(repeated.element)\" is listed twice")
            }
        }
        for (index, name) in (several ?? one.map { [$0] } ?? []).enumerated() where !knownDevices.contains(name) {
            throw ConfigError(
                keyPath: several == nil ? entry.keyPath("device") : "\(entry.keyPath("devices"))[\(index)]",
                message: "unknown device \"\(name)\" (known devices: \(knownDevices.joined(separator: ", ")))")
        }
        model.devices = one.map { [$0] } ?? several ?? []
        model.memoryMiB = try entry.integer("memory_mib", in: 1...Int(Int32.max), expected: "an integer of MiB >= 1")
        model.priority = try entry.integer("priority", in: -1_000_000...1_000_000, expected: "an integer from -1000000 to 1000000") ?? 0
        model.replicas = try entry.integer(
            "replicas", in: 1...maximumReplicas, expected: "an integer from 1 to \(maximumReplicas)") ?? 1
    }
}
