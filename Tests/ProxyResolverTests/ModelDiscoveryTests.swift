import Testing
import ProxyConfig
import ProxyResolver

/// Discovery follows llama-server's router mode layout for `--models-dir`.
@Suite struct ModelDiscoveryTests {
    func discovered(_ entries: [FolderListing.Entry]) -> ModelResolver {
        ModelResolver(configured: [], listing: FolderListing(path: "/m", entries: entries))
    }

    @Test func topLevelFilesAreModelsNamedAfterTheFile() {
        let resolver = discovered([.file("llama-3.2-1b-Q4_K_M.gguf"), .file("Qwen3-8B-Q4_K_M.gguf"), .file("notes.txt"),
                                   .file("README"), .file(".gguf"), .file("weights.GGUF")])
        #expect(resolver.models == [
            ResolvedModel(id: "Qwen3-8B-Q4_K_M", ggufPath: "/m/Qwen3-8B-Q4_K_M.gguf", origin: .discovered),
            ResolvedModel(id: "llama-3.2-1b-Q4_K_M", ggufPath: "/m/llama-3.2-1b-Q4_K_M.gguf", origin: .discovered),
            ResolvedModel(id: "weights", ggufPath: "/m/weights.GGUF", origin: .discovered),
        ])
        #expect(resolver.discoveryWarnings.isEmpty)
    }

    @Test func topLevelProjectorsAndHiddenFilesAreNotModels() {
        let resolver = discovered([.file("mmproj-F16.gguf"), .file("gemma-mmproj-f16.gguf"), .file(".hidden.gguf"),
                                   .file("a.gguf")])
        #expect(resolver.models.map(\.id) == ["a"])
    }

    @Test func topLevelSplitModelCountsOnceByItsFirstPart() {
        let resolver = discovered([.file("big-00001-of-00002.gguf"), .file("big-00002-of-00002.gguf"),
                                   .file("orphan-00002-of-00002.gguf")])
        #expect(resolver.models == [ResolvedModel(id: "big", ggufPath: "/m/big-00001-of-00002.gguf", origin: .discovered)])
    }

    @Test func multimodalFolderIsOneModelWithItsProjector() {
        let resolver = discovered([.folder("gemma-3-4b-it-Q8_0", ["gemma-3-4b-it-Q8_0.gguf", "mmproj-F16.gguf", "README.md"])])
        #expect(resolver.models == [ResolvedModel(
            id: "gemma-3-4b-it-Q8_0", ggufPath: "/m/gemma-3-4b-it-Q8_0/gemma-3-4b-it-Q8_0.gguf",
            mmprojPath: "/m/gemma-3-4b-it-Q8_0/mmproj-F16.gguf", origin: .discovered)])
    }

    @Test func splitFolderIsOneModelStartingAtTheFirstPart() {
        let parts = (1...6).map { "Kimi-K2-Thinking-UD-IQ1_S-0000\($0)-of-00006.gguf" }
        let resolver = discovered([.folder("Kimi-K2-Thinking-UD-IQ1_S", parts.reversed())])
        #expect(resolver.models == [ResolvedModel(
            id: "Kimi-K2-Thinking-UD-IQ1_S", ggufPath: "/m/Kimi-K2-Thinking-UD-IQ1_S/\(parts[0])", origin: .discovered)])
    }

    @Test func splitMultimodalFolderKeepsBoth() {
        let resolver = discovered([.folder("vl", ["vl-00002-of-00002.gguf", "vl-00001-of-00002.gguf", "mmproj-vl.gguf"])])
        #expect(resolver.models.first?.ggufPath == "/m/vl/vl-00001-of-00002.gguf")
        #expect(resolver.models.first?.mmprojPath == "/m/vl/mmproj-vl.gguf")
    }

    @Test func folderWithOneModelFileAndNoProjectorIsAModel() {
        let resolver = discovered([.folder("solo", ["weights.gguf", ".DS_Store", "LICENSE"])])
        #expect(resolver.models == [ResolvedModel(id: "solo", ggufPath: "/m/solo/weights.gguf", origin: .discovered)])
    }

    @Test func unclearFoldersAreSkippedWithAWarning() {
        let resolver = discovered([
            .folder("two", ["a.gguf", "b.gguf"]),
            .folder("only-projector", ["mmproj-f16.gguf"]),
            .folder("no-first-part", ["x-00002-of-00002.gguf"]),
            .folder("two-splits", ["x-00001-of-00002.gguf", "y-00001-of-00002.gguf"]),
            .folder("empty", []),
            .folder("docs", ["README.md"]),
            .folder(".hidden", ["a.gguf"]),
            .file("fine.gguf"),
        ])
        #expect(resolver.models.map(\.id) == ["fine"])
        #expect(resolver.discoveryWarnings == [
            "/m/two: several models in one folder (a.gguf, b.gguf); give each its own folder",
            "/m/only-projector: only a projector, no model file",
            "/m/no-first-part: split model without its first part (-00001-of-)",
            "/m/two-splits: several models in one folder (x-00001-of-00002.gguf, y-00001-of-00002.gguf); give each its own folder",
        ])
    }

    @Test func namesThatOnlyLookSplitAreOrdinaryModels() {
        let resolver = discovered([.file("a-1-of-2.gguf"), .file("b-00001-of-2.gguf"), .file("-00001-of-00002.gguf"),
                                   .file("c-00001-from-00002.gguf")])
        #expect(resolver.models.map(\.id) == ["-00001-of-00002", "a-1-of-2", "b-00001-of-2", "c-00001-from-00002"])
    }

    @Test func noListingMeansOnlyConfiguredModels() {
        let resolver = ModelResolver(configured: [ConfiguredModel(id: "x", path: "/x.gguf")], listing: nil)
        #expect(resolver.models == [ResolvedModel(id: "x", ggufPath: "/x.gguf", origin: .configured)])
    }
}
