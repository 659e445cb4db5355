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

    /// Loads every `*.so` in `folder`. The files that `previous` loaded go first, so a running
    /// plugin keeps its commands and a newcomer claiming one of them is the one skipped; the others
    /// follow sorted by name (the first of two new plugins claiming a command wins). `taken` holds
    /// commands already in use (command -> plugin path). A file that `previous` already loaded,
    /// with the same SHA-256, keeps its loaded agents: a reload maps only new and changed
    /// libraries (each mapping stays for the life of the process). Every file skipped is in the
    /// registry's `skipped`, with its reason.
    public func load(folder: String, taken: [String: String] = [:], previous: AgentRegistry = AgentRegistry()) -> AgentRegistry {
        if let reason = FileSafety.unsafeReason(folder) {
            services.log("plugins: refusing folder \(folder): \(reason)")
            return AgentRegistry(folderProblem: "refusing folder \(folder): \(reason)")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".so") }.sorted()
        } catch {
            services.log("plugins: cannot read folder \(folder): \(error.localizedDescription)")
            return AgentRegistry(folderProblem: "cannot read folder \(folder): \(error.localizedDescription)")
        }
        var taken = taken
        var takenHooks: [String: String] = [:]
        var agents: [LoadedAgent] = []
        var hooks: [LoadedResponseHook] = []
        var skipped: [SkippedPluginFile] = []
        let previousByPath = previous.libraries
        let running = names.filter { previousByPath[folder + "/" + $0] != nil }
        for name in running + names.filter({ previousByPath[folder + "/" + $0] == nil }) {
            let path = folder + "/" + name
            if let unchanged = previousByPath[path].flatMap({ Self.unchanged($0, at: path) }),
               unchanged.agents.allSatisfy({ taken[$0.command] == nil }), unchanged.hooks.allSatisfy({ takenHooks[$0.name] == nil }) {
                for agent in unchanged.agents { taken[agent.command] = path }
                for hook in unchanged.hooks { takenHooks[hook.name] = path }
                agents += unchanged.agents
                hooks += unchanged.hooks
                services.log("plugins: unchanged \(path) (sha256 \(unchanged.file.sha256)), kept as loaded")
                continue
            }
            switch loadLibrary(at: path, taken: taken, takenHooks: takenHooks) {
            case .failure(let failure):
                services.log("plugins: skipped \(path): \(failure.reason)")
                skipped.append(Self.skippedFile(path, name: name, failure, earlier: previousByPath[path]?.agents ?? []))
            case .success(let loaded):
                for agent in loaded.agents { taken[agent.command] = path }
                for hook in loaded.hooks { takenHooks[hook.name] = path }
                agents += loaded.agents
                hooks += loaded.hooks
                let names = loaded.agents.map { "/" + $0.command } + loaded.hooks.map { "response hook " + $0.name }
                services.log("plugins: loaded \(path) (\(loaded.file.name), sha256 \(loaded.file.sha256)) from \(loaded.file.loadedPath): "
                    + names.joined(separator: ", "))
            }
        }
        return AgentRegistry(agents: agents, hooks: hooks, skipped: skipped)
    }

    private static func skippedFile(_ path: String, name: String, _ failure: SkippedPlugin, earlier: [LoadedAgent]) -> SkippedPluginFile {
        if !failure.commands.isEmpty {
            return SkippedPluginFile(path: path, reason: failure.reason, commands: failure.commands, commandsGuessed: false)
        }
        if !earlier.isEmpty {
            return SkippedPluginFile(path: path, reason: failure.reason, commands: earlier.map(\.command).sorted(), commandsGuessed: false)
        }
        let guessed = SkippedPluginFile.commandSuggested(byFileName: name).map { [$0] } ?? []
        return SkippedPluginFile(path: path, reason: failure.reason, commands: guessed, commandsGuessed: true)
    }

    /// `earlier` if the file at `path` is still safe and holds exactly the bytes it came from.
    private static func unchanged(_ earlier: PluginLibrary, at path: String) -> PluginLibrary? {
        guard FileSafety.unsafeReason(path) == nil, let contents = FileManager.default.contents(atPath: path),
              SHA256.hex(of: [UInt8](contents)) == earlier.file.sha256
        else { return nil }
        return earlier
    }
}

/// Why one library was not loaded, and the commands it tried to register (if it got so far).
struct SkippedPlugin: Error {
    let reason: String
    let commands: [String]
    init(_ reason: String, commands: [String] = []) {
        self.reason = reason
        self.commands = commands
    }
}
