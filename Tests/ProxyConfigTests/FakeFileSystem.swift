@testable import ProxyConfig

/// A described file system for `ProxyConfiguration.parse`: which paths are files, executables and
/// folders. Everything else does not exist.
struct FakeFileSystem {
    var files: Set<String> = ["/etc/proxy/bin/llama-server", "/etc/proxy/models/tiny-a.gguf",
                              "/etc/proxy/models/tiny-b.gguf", "/opt/shared/big.gguf", "/etc/proxy/not-executable"]
    var executables: Set<String> = ["/etc/proxy/bin/llama-server"]
    var folders: Set<String> = ["/etc/proxy", "/etc/proxy/models", "/etc/proxy/bin", "/etc/proxy/plugins", "/opt/shared"]
    /// Text of the files that are read (API keys files); each is also a file.
    var contents: [String: String] = [:]

    func parse(_ json: String, base: String = "/etc/proxy") throws(ConfigError) -> ProxyConfiguration {
        try ProxyConfiguration.parse(
            Array(json.utf8), baseDirectory: base,
            fileExists: { files.contains($0) || folders.contains($0) || contents[$0] != nil },
            isExecutable: { executables.contains($0) || folders.contains($0) },
            isDirectory: { folders.contains($0) },
            readFile: { contents[$0].map { Array($0.utf8) } })
    }

    /// The error `json` is refused with, as the user would read it.
    func error(_ json: String) -> String? {
        do {
            _ = try parse(json)
            return nil
        } catch {
            return error.description
        }
    }
}
