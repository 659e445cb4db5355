import Glibc

/// execv wants a path; a configuration may name just "llama-server". Resolve it the way a
/// shell would, without a shell.
enum ExecutableLookup {
    static func resolve(_ name: String, searchPath: String? = environmentPath()) -> String {
        guard !name.contains("/"), let searchPath else { return name }
        for directory in searchPath.split(separator: ":", omittingEmptySubsequences: true) {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return name
    }

    static func environmentPath() -> String? {
        guard let value = getenv("PATH") else { return nil }
        return String(cString: value)
    }
}
