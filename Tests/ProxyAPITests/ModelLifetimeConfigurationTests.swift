import Testing
import ProxyConfig
import ProxyPool
import ProxyResolver
@testable import ProxyAPI

@Suite struct ModelLifetimeConfigurationTests {
    static let configuration = ProxyConfiguration(
        llamaServer: "/bin/llama-server",
        models: [
            ConfiguredModel(id: "own", path: "/m/own.gguf", ttlSeconds: 2.5, pinned: true),
            ConfiguredModel(id: "never", path: "/m/never.gguf", ttlSeconds: 0),
            ConfiguredModel(id: "default", path: "/m/default.gguf"),
        ],
        ttlSeconds: 60,
        groups: [ModelGroup(name: "g", members: ["own", "found"], swap: false, exclusive: true, persistent: true)])

    func lifetime(_ id: String, origin: ModelOrigin = .configured) -> ModelLifetime {
        ModelLifetime(model: ResolvedModel(id: id, ggufPath: "/m/\(id).gguf", origin: origin), configuration: Self.configuration)
    }

    @Test func aModelsOwnTTLWinsAndZeroMeansForEver() {
        #expect(lifetime("own").idleTTL == 2_500_000_000)
        #expect(lifetime("never").idleTTL == nil)
        #expect(lifetime("default").idleTTL == 60_000_000_000)
        #expect(lifetime("found", origin: .discovered).idleTTL == 60_000_000_000)
        #expect(lifetime("own").ttlSeconds == 2.5)
        #expect(lifetime("never").ttlSeconds == 0)
    }

    @Test func pinningAndGroupsComeFromTheConfiguration() {
        #expect(lifetime("own").pinned)
        #expect(!lifetime("default").pinned)
        #expect(lifetime("own").group == ModelGroupRule(name: "g", swap: false, exclusive: true, persistent: true))
        #expect(lifetime("found", origin: .discovered).group?.name == "g")
        #expect(lifetime("default").group == nil)
    }
}
