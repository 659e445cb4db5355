import Foundation
import Testing
@testable import ProxyConfig

@Suite struct ConfigParsingTests {
    let fileSystem = FakeFileSystem()

    @Test func readsEveryKey() throws {
        let config = try fileSystem.parse("""
            {
              "host": "0.0.0.0",
              "port": 9090,
              "llama_server": "bin/llama-server",
              "models_dir": "models",
              "max_loaded": 3,
              "default_args": ["--ctx-size", "2048"],
              "models": {
                "zeta": { "path": "/opt/shared/big.gguf" },
                "tiny-chat": { "path": "models/tiny-a.gguf", "args": ["--temp", "0"], "aliases": ["chat", "c"] }
              },
              "timeouts": {
                "load_seconds": 60, "queue_seconds": 5.5, "request_header_seconds": 10,
                "keep_alive_seconds": 0, "upstream_idle_seconds": 300, "shutdown_grace_seconds": 1e1,
                "agent_seconds": 2.5, "restart_backoff_max_seconds": 120
              },
              "limits": { "max_body_bytes": 1000, "max_header_bytes": 2048 },
              "log_requests": false,
              "plugins_dir": "plugins",
              "plugin_config": { "compare": { "models": ["a", "b"] }, "temp": 0.70 }
            }
            """)
        #expect(config == ProxyConfiguration(
            llamaServer: "/etc/proxy/bin/llama-server", host: "0.0.0.0", port: 9090, modelsDir: "/etc/proxy/models",
            maxLoaded: 3, defaultArgs: ["--ctx-size", "2048"],
            models: [
                ConfiguredModel(id: "tiny-chat", path: "/etc/proxy/models/tiny-a.gguf", args: ["--temp", "0"], aliases: ["chat", "c"]),
                ConfiguredModel(id: "zeta", path: "/opt/shared/big.gguf"),
            ],
            timeouts: Timeouts(
                load: 60, queue: 5.5, requestHeader: 10, keepAlive: 0, upstreamIdle: 300, shutdownGrace: 10, agent: 2.5,
                restartBackoffMax: 120),
            limits: Limits(maxBodyBytes: 1000, maxHeaderBytes: 2048), logRequests: false,
            pluginsDir: "/etc/proxy/plugins", pluginConfig: ["compare": #"{"models":["a","b"]}"#, "temp": "0.70"]))
        #expect(config.models.map(\.id) == ["tiny-chat", "zeta"])
    }

    @Test func minimalConfigGetsDocumentedDefaults() throws {
        let config = try fileSystem.parse(#"{"llama_server": "bin/llama-server"}"#)
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.modelsDir == nil)
        #expect(config.maxLoaded == 2)
        #expect(config.defaultArgs.isEmpty)
        #expect(config.models.isEmpty)
        #expect(config.timeouts == Timeouts(
            load: 600, queue: 600, requestHeader: 30, keepAlive: 120, upstreamIdle: 0, shutdownGrace: 30, agent: 1))
        #expect(config.limits == Limits(maxBodyBytes: 67_108_864, maxHeaderBytes: 65536))
        #expect(config.logRequests == true)
        #expect(config.pluginsDir == nil)
        #expect(config.pluginConfig.isEmpty)
    }

    @Test func partialSectionsKeepOtherDefaults() throws {
        let config = try fileSystem.parse(#"{"llama_server":"bin/llama-server","timeouts":{"load_seconds":0},"limits":{}}"#)
        #expect(config.timeouts == Timeouts(load: 0))
        #expect(config.limits == Limits())
    }

    @Test func relativePathsResolveAgainstTheConfigFolderAndAreNormalised() throws {
        let config = try fileSystem.parse("""
            {"llama_server": "./bin/../bin/llama-server", "models_dir": "models/",
             "models": {"a": {"path": "../../opt/shared/big.gguf"}}}
            """)
        #expect(config.llamaServer == "/etc/proxy/bin/llama-server")
        #expect(config.modelsDir == "/etc/proxy/models")
        #expect(config.models.first?.path == "/opt/shared/big.gguf")
    }

    @Test func baseDirectoryMayItselfBeRelative() throws {
        let config = try ProxyConfiguration.parse(
            Array(#"{"llama_server": "x"}"#.utf8), baseDirectory: "some/dir",
            fileExists: { _ in true }, isExecutable: { _ in true }, isDirectory: { _ in false })
        #expect(config.llamaServer.hasPrefix("/"))
        #expect(config.llamaServer.hasSuffix("/some/dir/x"))
    }

    @Test func portZeroAndLimitsAtTheirBoundsAreAccepted() throws {
        let config = try fileSystem.parse("""
            {"llama_server":"bin/llama-server","port":0,"max_loaded":1,
             "limits":{"max_body_bytes":1,"max_header_bytes":1024,"agent_threads":1,"agent_queue":0},
             "timeouts":{"queue_seconds":31536000}}
            """)
        #expect(config.port == 0)
        #expect(config.maxLoaded == 1)
        #expect(config.limits == Limits(maxBodyBytes: 1, maxHeaderBytes: 1024, agentThreads: 1, agentQueue: 0))
        #expect(config.timeouts.queue == 31_536_000)
    }

    @Test func escapedAndUnicodeStringsAreDecoded() throws {
        let config = try fileSystem.parse(#"""
            {"llama_server":"bin\/llama-server","default_args":["a\"b","\u00e9\uD83D\uDE00","日本","\t"],
             "models":{"m":{"path":"/opt/shared/big.gguf","aliases":["\u00e9t\u00e9"]}}}
            """#)
        #expect(config.defaultArgs == ["a\"b", "é😀", "日本", "\t"])
        #expect(config.models.first?.aliases == ["été"])
    }

    @Test func byteOrderMarkAndSurroundingWhitespaceAreTolerated() throws {
        let config = try fileSystem.parse("\u{FEFF}\n\t {\"llama_server\":\"bin/llama-server\"} \r\n")
        #expect(config.llamaServer == "/etc/proxy/bin/llama-server")
    }

    @Test func commandLineOverridesHostAndPort() throws {
        let config = try fileSystem.parse(#"{"llama_server":"bin/llama-server","host":"::1","port":1}"#)
        #expect(config.applying(CommandLineOptions()).port == 1)
        let overridden = config.applying(CommandLineOptions(configPath: "x", host: "0.0.0.0", port: 0))
        #expect(overridden.host == "0.0.0.0")
        #expect(overridden.port == 0)
        #expect(config.applying(CommandLineOptions(port: 5)).host == "::1")
    }

    @Test func thePidFileIsRelativeToTheConfigFolderAndTheCommandLineToTheWorkingFolder() throws {
        #expect(try fileSystem.parse(#"{"llama_server":"bin/llama-server"}"#).pidFile == nil)
        let config = try fileSystem.parse(#"{"llama_server":"bin/llama-server","pid_file":"bin/../proxy.pid"}"#)
        #expect(config.pidFile == "/etc/proxy/proxy.pid")
        #expect(config.applying(CommandLineOptions(pidFile: "/run/other.pid")).pidFile == "/run/other.pid")
        let relative = config.applying(CommandLineOptions(pidFile: "here.pid")).pidFile
        #expect(relative == FileManager.default.currentDirectoryPath + "/here.pid")
    }
}

extension ConfigParsingTests {
    @Test func aModelsAgentIsItsCommandWithOrWithoutTheSlash() throws {
        let config = try fileSystem.parse("""
            {"llama_server": "bin/llama-server", "models": {
              "a": {"path": "models/tiny-a.gguf", "agent": "/json-check"},
              "b": {"path": "models/tiny-b.gguf", "agent": "json-check"},
              "c": {"url": "http://10.0.0.2:8080", "agent": "guard_2"},
              "d": {"path": "models/tiny-a.gguf"}}}
            """)
        #expect(config.models.map(\.agent) == ["json-check", "json-check", "guard_2", nil])
    }

    @Test func aModelsResponseHookIsANameBesideOrWithoutAnAgent() throws {
        let config = try fileSystem.parse("""
            {"llama_server": "bin/llama-server", "limits": {"response_hook_rounds": 3}, "models": {
              "a": {"path": "models/tiny-a.gguf", "response_hook": "json-check"},
              "b": {"path": "models/tiny-b.gguf", "agent": "sys", "response_hook": "redact_2"},
              "c": {"url": "http://10.0.0.2:8080", "response_hook": "json-check"},
              "d": {"path": "models/tiny-a.gguf"}}}
            """)
        #expect(config.models.map(\.responseHook) == ["json-check", "redact_2", "json-check", nil])
        #expect(config.models.map(\.agent) == [nil, "sys", nil, nil])
        #expect(config.limits.responseHookRounds == 3)
        #expect(Limits().responseHookRounds == 8)
    }
}
