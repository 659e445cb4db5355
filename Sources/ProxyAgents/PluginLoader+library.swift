import Foundation
import Glibc
import LlamaSmartProxyPluginABI
import LlamaSmartProxyPluginContract

extension PluginLoader {
    /// Copies, opens, checks and registers one library; its agents and hooks, or why it was skipped.
    func loadLibrary(at path: String, taken: [String: String], takenHooks: [String: String]) -> Result<PluginLibrary, SkippedPlugin> {
        if let reason = FileSafety.unsafeReason(path) { return .failure(SkippedPlugin(reason)) }
        guard let contents = FileManager.default.contents(atPath: path) else {
            return .failure(SkippedPlugin("cannot read it"))
        }
        let bytes = [UInt8](contents)
        if let problem = ELFCompleteness.problem(in: bytes) {
            return .failure(SkippedPlugin("not a loadable shared library: \(problem)"))
        }
        let sha256 = SHA256.hex(of: bytes)
        // Opened from a private copy of exactly the bytes hashed: dlopen caches by path and
        // inode, and a library rewritten in place while mapped would crash the process.
        let copy: String
        switch PrivateCopy.write(bytes, named: (path as NSString).lastPathComponent, in: privateDirectory) {
        case .failure(let skipped): return .failure(skipped)
        case .success(let written): copy = written
        }
        // RTLD_NODELETE: a Swift library must never be unmapped (the runtime keeps its metadata).
        guard let handle = dlopen(copy, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown error"
            unlink(copy)
            return .failure(SkippedPlugin("not a loadable shared library: \(reason)"))
        }
        // The mapping outlives the name: nothing is left in the private folder after exit.
        unlink(copy)
        guard let symbol = dlsym(handle, LSP_PLUGIN_ENTRY_SYMBOL) else {
            return .failure(SkippedPlugin("no entry symbol \(LSP_PLUGIN_ENTRY_SYMBOL)"))
        }
        let entry = unsafeBitCast(symbol, to: lsp_plugin_entry.self)
        guard let descriptor = entry() else { return .failure(SkippedPlugin("its entry point returned no descriptor")) }
        // The ABI version, then the toolchain (only when the descriptor is long enough to hold it).
        let fields = PluginDescriptorFields.read(descriptor)
        if let refusal = PluginAdmission.refusal(
            fields, usesSwiftRuntime: SwiftRuntimeUse.inLibrary(handle), linkerIdents: ELFComment.swiftToolchainIdents(in: bytes)) {
            return .failure(SkippedPlugin(refusal))
        }
        let file = PluginFile(
            name: descriptor.pointee.name.map { String(cString: $0) } ?? (path as NSString).lastPathComponent,
            path: path, loadedPath: copy, sha256: sha256, loadedAt: Date()
        )
        return register(descriptor, file: file, taken: taken, takenHooks: takenHooks)
    }

    private func register(
        _ descriptor: UnsafePointer<lsp_plugin_descriptor>, file: PluginFile, taken: [String: String], takenHooks: [String: String]
    ) -> Result<PluginLibrary, SkippedPlugin> {
        guard let registerAgents = descriptor.pointee.register_agents else {
            return .failure(SkippedPlugin("its descriptor has no register_agents"))
        }
        let context = PluginHostContext(pluginName: file.name, services: services)
        context.registration.withLock { $0 = PluginRegistration(takenCommands: taken, takenHooks: takenHooks) }
        let code = registerAgents(descriptor.pointee.context, PluginHostAPI.make(for: context))
        let registration = context.registration.withLock { registration in
            defer { registration = nil }
            return registration!
        }
        let tried = registration.accepted.map(\.command) + registration.refusedCommands
        if let refusal = PluginAdmission.registrationRefusal(
            code: code, refusals: registration.refusals, accepted: registration.accepted.count + registration.acceptedHooks.count) {
            return .failure(SkippedPlugin(refusal, commands: tried))
        }
        return .success(PluginLibrary(
            file: file,
            agents: registration.accepted.map {
                LoadedAgent(command: $0.command, summary: $0.summary, usage: $0.usage, plugin: file, responseHook: $0.responseHook,
                            handle: $0.handle, release: $0.release, context: $0.context)
            },
            hooks: registration.acceptedHooks.map { LoadedResponseHook(name: $0.name, summary: $0.summary, plugin: file, entry: $0) }))
    }
}
