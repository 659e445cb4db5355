import Glibc
import ProxyConfig
import ProxyPool
import ProxyResolver
import Testing

@testable import ProxyAPI

/// A configured `cmd` becomes the launch's command: model id and path filled in, the pool's
/// placeholders left for the pool, nothing of llama-server's added, no concurrency bound.
@Suite struct ModelCatalogCommandTests {
    func launches(_ models: [ConfiguredModel]) -> [String: ModelLaunch] {
        let configuration = ProxyConfiguration(llamaServer: "/bin/llama-server", defaultArgs: ["--threads", "1"], models: models)
        return ModelCatalog(configuration: configuration, now: { 0 }).snapshot.launches
    }

    @Test func theCommandGetsItsModelIDAndPathAndKeepsThePoolsPlaceholders() throws {
        let command = ModelCommand(
            argv: ["/opt/server", "--port", "${PORT}", "-m", "${MODEL_PATH}", "--name", "${MODEL_ID}"],
            environment: ["TAG": "${MODEL_ID}@${PORT}"], readyPath: nil, stopSignal: SIGINT,
            stopCommand: ["/bin/kill", "-INT", "${PID}", "${MODEL_ID}"])
        let all = launches([ConfiguredModel(id: "served", path: "/nonexistent/served.gguf", command: command, stopSeconds: 4)])
        let spec = try #require(all["served"]?.spec)
        #expect(spec.command == UpstreamCommand(
            argv: ["/opt/server", "--port", "${PORT}", "-m", "/nonexistent/served.gguf", "--name", "served"],
            environment: ["TAG": "served@${PORT}"], readyPath: nil, stopSignal: SIGINT,
            stopCommand: ["/bin/kill", "-INT", "${PID}", "served"]))
        #expect(spec.command?.listening == .tcpPort)
        #expect(spec.executable == "/opt/server")
        #expect(spec.arguments == ["--port", "${PORT}", "-m", "/nonexistent/served.gguf", "--name", "served"])
        #expect(spec.concurrencyLimit == .max)
        #expect(spec.stopSeconds == 4)
        // An unreadable file: the file-size fallback (0 bytes) plus its margin, as for any model.
        #expect(spec.memoryBytes == ModelMemoryFigure.fallbackMargin)
    }

    @Test func withoutAPathOrMemoryMiBItsFigureIsZero() throws {
        let all = launches([
            ConfiguredModel(id: "stub", path: "", command: ModelCommand(argv: ["stub", "${SOCKET}"])),
            ConfiguredModel(id: "sized", path: "", memoryMiB: 64, command: ModelCommand(argv: ["stub", "${SOCKET}"])),
        ])
        #expect(all["stub"]?.spec.memoryBytes == 0)
        #expect(all["stub"]?.spec.memoryIsConfigured == false)
        #expect(all["stub"]?.spec.command?.listening == .unixSocket)
        #expect(all["sized"]?.spec.memoryBytes == 64 << 20)
    }

    @Test func aLlamaServerModelKeepsItsLaunchAndGetsItsStopSeconds() throws {
        let spec = try #require(launches([ConfiguredModel(id: "plain", path: "/m.gguf", stopSeconds: 0)])["plain"]?.spec)
        #expect(spec.command == nil)
        #expect(spec.stopSeconds == 0)
        #expect(spec.executable == "/bin/llama-server")
        #expect(spec.arguments.starts(with: ["-m", "/m.gguf", "--alias", "plain", "--threads", "1"]))
        #expect(spec.arguments.contains("--threads-http"))
    }
}
