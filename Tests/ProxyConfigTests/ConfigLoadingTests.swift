import Foundation
import Testing
import ProxyConfig

/// `load(path:)` against a real temporary folder: reading, relative paths, real permission checks.
@Suite struct ConfigLoadingTests {
    let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "config-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/models", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/plugins", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: folder + "/llama-server", contents: Data("#!/bin/sh\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        _ = FileManager.default.createFile(atPath: folder + "/plain", contents: Data(), attributes: [.posixPermissions: 0o644])
        _ = FileManager.default.createFile(atPath: folder + "/models/a.gguf", contents: Data())
    }

    func write(_ json: String) -> String {
        let path = folder + "/config.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(json.utf8))
        return path
    }

    @Test func loadsAndResolvesRelativeToTheFile() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = write(#"""
            {"llama_server":"llama-server","models_dir":"models","models":{"a":{"path":"models/a.gguf"}},
             "plugins_dir":"plugins"}
            """#)
        let config = try ProxyConfiguration.load(path: path)
        let realFolder = URL(fileURLWithPath: folder).standardizedFileURL.path
        #expect(config.llamaServer == realFolder + "/llama-server")
        #expect(config.modelsDir == realFolder + "/models")
        #expect(config.pluginsDir == realFolder + "/plugins")
        #expect(config.models == [ConfiguredModel(id: "a", path: realFolder + "/models/a.gguf")])
    }

    @Test func realPermissionsAreChecked() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = write(#"{"llama_server":"plain"}"#)
        let realFolder = URL(fileURLWithPath: folder).standardizedFileURL.path
        #expect(throws: ConfigError(keyPath: "llama_server", message: "not executable: \(realFolder)/plain")) {
            try ProxyConfiguration.load(path: path)
        }
    }

    @Test func missingFileIsReported() {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let missing = folder + "/nope.json"
        #expect(throws: ConfigError(keyPath: nil, message: "config file not found: \(missing)")) {
            try ProxyConfiguration.load(path: missing)
        }
    }

    @Test func folderInsteadOfFileIsReported() {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        #expect(throws: ConfigError(keyPath: nil, message: "cannot read config file: \(folder)/models")) {
            try ProxyConfiguration.load(path: folder + "/models")
        }
    }
}
