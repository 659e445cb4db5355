import Foundation

/// Turns configured paths into absolute ones (relative to the config file's folder) and checks
/// that they name what they should. The file system is reached only through the probes, so
/// tests can describe one instead of building it.
struct PathChecker {
    let baseDirectory: String
    let fileExists: (String) -> Bool
    let isExecutable: (String) -> Bool
    let isDirectory: (String) -> Bool
    /// The contents of a file named by the configuration (an API keys file), nil if unreadable.
    let readFile: (String) -> [UInt8]?

    /// `path` made absolute: `~` means the home folder, relative paths start at `baseDirectory`.
    func absolute(_ path: String) -> String {
        let expanded = path.hasPrefix("~") ? NSString(string: path).expandingTildeInPath : path
        let joined = expanded.hasPrefix("/") ? expanded : baseDirectory + "/" + expanded
        return URL(fileURLWithPath: joined).standardizedFileURL.path
    }

    func existingFile(_ path: String, keyPath: String) throws(ConfigError) -> String {
        let resolved = absolute(path)
        guard fileExists(resolved) else { throw ConfigError(keyPath: keyPath, message: "file not found: \(resolved)") }
        guard !isDirectory(resolved) else {
            throw ConfigError(keyPath: keyPath, message: "expected a file, found a folder: \(resolved)")
        }
        return resolved
    }

    func executableFile(_ path: String, keyPath: String) throws(ConfigError) -> String {
        let resolved = try existingFile(path, keyPath: keyPath)
        guard isExecutable(resolved) else { throw ConfigError(keyPath: keyPath, message: "not executable: \(resolved)") }
        return resolved
    }

    /// A file the proxy will write: its folder must exist, and it must not be a folder itself.
    func fileInExistingDirectory(_ path: String, keyPath: String) throws(ConfigError) -> String {
        let resolved = absolute(path)
        let folder = URL(fileURLWithPath: resolved).deletingLastPathComponent().path
        guard fileExists(folder), isDirectory(folder) else { throw ConfigError(keyPath: keyPath, message: "folder not found: \(folder)") }
        guard !isDirectory(resolved) else {
            throw ConfigError(keyPath: keyPath, message: "expected a file, found a folder: \(resolved)")
        }
        return resolved
    }

    func existingDirectory(_ path: String, keyPath: String) throws(ConfigError) -> String {
        let resolved = absolute(path)
        guard fileExists(resolved) else { throw ConfigError(keyPath: keyPath, message: "folder not found: \(resolved)") }
        guard isDirectory(resolved) else {
            throw ConfigError(keyPath: keyPath, message: "expected a folder, found a file: \(resolved)")
        }
        return resolved
    }
}
