import Glibc

/// What a saved slot file is valid for: the model file (path, size, mtime), the arguments and the
/// llama-server binary (path, size, mtime). A child whose key differs in anything gets nothing
/// restored; each key has a folder of its own (`folderName`) under the slot-cache root.
struct SlotCacheKey: Sendable, Hashable {
    /// The full description the key compares by.
    var text: String

    /// 16 hex digits of the text's FNV-1a hash: the folder that holds the key's files.
    var folderName: String { StableHash(text.utf8).hex }

    /// The key of a child started as `executable arguments` (the executable already resolved).
    /// Replicas of one model run the same command line; each keeps its own files (`replica` > 1
    /// gets a key, and so a folder, of its own), so two never write the same slot file.
    static func make(executable: String, arguments: [String], replica: Int = 1) -> SlotCacheKey {
        var parts = ["binary " + identity(of: executable)]
        if replica > 1 { parts.append("replica \(replica)") }
        if let model = modelPath(in: arguments) { parts.append("model " + identity(of: model)) }
        parts.append("args " + arguments.map { "\($0.utf8.count):\($0)" }.joined(separator: " "))
        return SlotCacheKey(text: parts.joined(separator: "\n"))
    }

    /// The value of the last `-m` / `--model` (llama-server takes the last one).
    static func modelPath(in arguments: [String]) -> String? {
        var path: String?
        for (index, argument) in arguments.enumerated() {
            if (argument == "-m" || argument == "--model"), index + 1 < arguments.count { path = arguments[index + 1] }
            if argument.hasPrefix("--model=") { path = String(argument.dropFirst("--model=".count)) }
        }
        return path
    }

    /// "path size mtime" (the mtime in nanoseconds), or "path missing".
    static func identity(of path: String) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path) missing" }
        let mtime = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        return "\(path) \(info.st_size) \(mtime)"
    }
}
