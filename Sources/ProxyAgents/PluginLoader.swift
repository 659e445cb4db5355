import Foundation

/// Loads the plugins folder into an `AgentRegistry`. Every file that cannot be used is skipped
/// with one log line; the others load.
public struct PluginLoader: Sendable {
    /// Where private copies of the libraries are written and opened from (mode 0700).
    public let privateDirectory: String
    public let services: PluginServices

    public init(privateDirectory: String, services: PluginServices) {
        self.privateDirectory = privateDirectory
        self.services = services
    }

    /// A fresh directory for private copies, only this user can use it (nil when /tmp is unusable).
    public static func makePrivateDirectory(under parent: String = "/tmp") -> String? {
        PrivateCopy.makeDirectory(under: parent)
    }

    /// Loads every `*.so` in `folder` (sorted by name, so the first of two plugins claiming a
    /// command wins). `taken` holds commands already in use (command -> plugin path).
    public func load(folder: String, taken: [String: String] = [:]) -> AgentRegistry {
        if let reason = FileSafety.unsafeReason(folder) {
            services.log("plugins: refusing folder \(folder): \(reason)")
            return AgentRegistry()
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".so") }.sorted()
        } catch {
            services.log("plugins: cannot read folder \(folder): \(error.localizedDescription)")
            return AgentRegistry()
        }
        var taken = taken
        var agents: [LoadedAgent] = []
        for name in names {
            let path = folder + "/" + name
            switch loadLibrary(at: path, taken: taken) {
            case .failure(let skipped):
                services.log("plugins: skipped \(path): \(skipped.reason)")
            case .success(let loaded):
                for agent in loaded { taken[agent.command] = path }
                agents += loaded
                let plugin = loaded[0].plugin
                let commands = loaded.map { "/" + $0.command }.joined(separator: ", ")
                services.log("plugins: loaded \(path) (\(plugin.name), sha256 \(plugin.sha256)) from \(plugin.loadedPath): \(commands)")
            }
        }
        return AgentRegistry(agents: agents)
    }
}

/// Why one library was not loaded.
struct SkippedPlugin: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}
