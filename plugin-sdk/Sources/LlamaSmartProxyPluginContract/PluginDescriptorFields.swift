import LlamaSmartProxyPluginABI

/// What the host checks in a plugin's `lsp_plugin_descriptor` before calling into it, read
/// without touching a byte past the end of an older, shorter descriptor.
public struct PluginDescriptorFields: Sendable, Equatable {
    /// The descriptor's `toolchain` field.
    public enum Toolchain: Sendable, Equatable {
        /// The descriptor ends before the field (built with an SDK that predates it).
        case absent
        /// The field is NULL.
        case null
        case named(String)
    }

    public var abiVersion: UInt32
    public var toolchain: Toolchain

    public init(abiVersion: UInt32, toolchain: Toolchain) {
        self.abiVersion = abiVersion
        self.toolchain = toolchain
    }

    /// Reads `abi_version` first and nothing more unless it is this header's: another ABI may
    /// lay out the rest differently (`toolchain` is then `.absent`).
    public static func read(_ descriptor: UnsafePointer<lsp_plugin_descriptor>) -> PluginDescriptorFields {
        let raw = UnsafeRawPointer(descriptor)
        let abiVersion = raw.load(as: UInt32.self)
        guard abiVersion == LSP_PLUGIN_ABI_VERSION else { return PluginDescriptorFields(abiVersion: abiVersion, toolchain: .absent) }
        let size = Int(raw.load(fromByteOffset: MemoryLayout<UInt32>.size, as: UInt32.self))
        let toolchainEnd = MemoryLayout<lsp_plugin_descriptor>.offset(of: \lsp_plugin_descriptor.toolchain)!
            + MemoryLayout<UnsafePointer<CChar>?>.size
        guard size >= toolchainEnd else { return PluginDescriptorFields(abiVersion: abiVersion, toolchain: .absent) }
        let toolchain = descriptor.pointee.toolchain.map { Toolchain.named(String(cString: $0)) } ?? .null
        return PluginDescriptorFields(abiVersion: abiVersion, toolchain: toolchain)
    }
}
