import CSystem

/// Names a child's UNIX socket: `<directory>/<safe-id>-<instance>.sock`. The instance number
/// alone keeps paths unique; the id is there for people reading `ls`. The whole path must fit
/// sun_path, so a long id is cut and given a hash of the full id.
enum SocketPath {
    static let maximumLength = Int(csystem_unix_path_max()) - 1  // room for the NUL

    static func make(directory: String, modelID: String, instance: Int) -> String {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        let suffix = "-\(instance).sock"
        let safe = sanitized(modelID)
        let room = maximumLength - prefix.utf8.count - suffix.utf8.count
        if safe.utf8.count <= room { return prefix + safe + suffix }
        let hash = "~" + fnv1a(modelID)
        // With no room even for the hash the path stays too long, and the launch reports it.
        let kept = String(safe.prefix(max(0, room - hash.count)))
        return prefix + kept + hash + suffix
    }

    /// Letters, digits, '.', '_' and '-' stay; anything else (slashes, spaces, non-ASCII) becomes '_'.
    static func sanitized(_ modelID: String) -> String {
        let mapped = modelID.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", ".", "_", "-": Character(scalar)
            default: "_"
            }
        }
        return mapped.isEmpty ? "model" : String(mapped)
    }

    static func fnv1a(_ text: String) -> String {
        var hash: UInt32 = 0x811c_9dc5
        for byte in text.utf8 {
            hash = (hash ^ UInt32(byte)) &* 0x0100_0193
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }
}
