import Testing
import ProxyConfig
import ProxyResolver

/// How configured and discovered models combine.
@Suite struct ModelMergingTests {
    let listing = FolderListing(path: "/models", entries: [
        .file("tiny-a.gguf"), .file("tiny-b.gguf"), .file("chat.gguf"), .file("extra.gguf"),
    ])

    @Test func configuredWinsAnIdClash() {
        let resolver = ModelResolver(
            configured: [ConfiguredModel(id: "tiny-b", path: "/elsewhere/b.gguf", args: ["--temp", "0"])], listing: listing)
        let tinyB = resolver.models.first { $0.id == "tiny-b" }
        #expect(tinyB == ResolvedModel(id: "tiny-b", ggufPath: "/elsewhere/b.gguf", extraArgs: ["--temp", "0"], origin: .configured))
        #expect(resolver.models.count == 4)
    }

    @Test func configuredAliasHidesADiscoveredModelOfThatName() {
        let resolver = ModelResolver(
            configured: [ConfiguredModel(id: "x", path: "/elsewhere/x.gguf", aliases: ["chat"])], listing: listing)
        #expect(!resolver.models.contains { $0.id == "chat" })
        #expect(resolver.resolve("chat") == .found(resolver.models.first { $0.id == "x" }!))
    }

    @Test func discoveredFileAlreadyConfiguredBecomesAnAlias() {
        let resolver = ModelResolver(
            configured: [ConfiguredModel(id: "tiny-chat", path: "/models/tiny-a.gguf", aliases: ["c"])], listing: listing)
        #expect(resolver.models.map(\.id) == ["chat", "extra", "tiny-b", "tiny-chat"])
        let tinyChat = resolver.models.first { $0.id == "tiny-chat" }
        #expect(tinyChat?.aliases == ["c", "tiny-a"])
        #expect(resolver.resolve("tiny-a") == .found(tinyChat!))
    }

    @Test func modelsAreSortedByIdAndKeepTheirOrigin() {
        let resolver = ModelResolver(configured: [ConfiguredModel(id: "zz", path: "/z.gguf"), ConfiguredModel(id: "aa", path: "/a.gguf")],
                                     listing: listing)
        #expect(resolver.models.map(\.id) == ["aa", "chat", "extra", "tiny-a", "tiny-b", "zz"])
        #expect(resolver.models.map(\.origin) == [.configured, .discovered, .discovered, .discovered, .discovered, .configured])
    }
}
