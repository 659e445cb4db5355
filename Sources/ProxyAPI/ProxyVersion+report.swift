import Foundation
import LlamaSmartProxyPluginContract
import ProxyAgents
import ProxyConfig

extension ProxyVersion {
    /// What `--version` prints: the proxy's version, the Swift it was built with (a Swift plugin
    /// must be built with the same: `SwiftToolchain`), the plugin ABI, and the version of the
    /// `llama_server` that the configuration at `configPath` names.
    public static func report(configPath: String) -> String {
        [
            "llama-smart-proxy \(current)",
            "built with \(SwiftToolchain.version)",
            "plugin ABI \(PluginABI.version)",
            "llama-server: \(llamaServerVersion(configPath: configPath))",
        ].joined(separator: "\n")
    }

    /// The first line the configured llama-server prints for `--version` (on its standard error),
    /// with its path; or why there is none.
    static func llamaServerVersion(configPath: String) -> String {
        let configuration: ProxyConfiguration
        do {
            configuration = try ProxyConfiguration.load(path: configPath)
        } catch {
            return "unknown (\(configPath): \(error))"
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: configuration.llamaServer)
        process.arguments = ["--version"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        do {
            try process.run()
        } catch {
            return "\(configuration.llamaServer): cannot run it: \(error.localizedDescription)"
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let firstLine = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init)
        return "\(configuration.llamaServer): \(firstLine ?? "printed no version (exit \(process.terminationStatus))")"
    }
}
