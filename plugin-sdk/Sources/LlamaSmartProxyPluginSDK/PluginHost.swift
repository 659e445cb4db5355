import LlamaSmartProxyPluginABI

/// The host's services, as handed to the plugin at registration. Valid for the whole process.
public struct PluginHost: @unchecked Sendable {
    // The host keeps this table alive and immutable for the life of the process.
    let api: UnsafePointer<lsp_host_api>

    public enum LogLevel: Int32, Sendable {
        case debug = 0, info, warning, error
    }

    public init(api: UnsafePointer<lsp_host_api>) {
        self.api = api
    }

    /// The host's ABI version (fields added after version 1 need a check against it).
    public var version: UInt32 { api.pointee.version }

    public func log(_ text: String, level: LogLevel = .info) {
        text.withCString { api.pointee.log(api.pointee.host_context, level.rawValue, $0) }
    }

    /// This plugin's section of the host configuration, as JSON text.
    public func configJSON() -> String {
        var length = 0
        guard let buffer = api.pointee.copy_config(api.pointee.host_context, &length) else { return "{}" }
        defer { api.pointee.release(api.pointee.host_context, buffer) }
        return String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
    }
}
