import Testing
import ProxyConfig
import ProxyResolver

@Suite struct SuggestionTests {
    let resolver = ModelResolver(
        configured: [ConfiguredModel(id: "tiny-chat", path: "/c/tiny.gguf", aliases: ["assistant"])],
        listing: FolderListing(path: "/m", entries: [
            .file("tiny-a.gguf"), .file("tiny-b.gguf"), .file("tiny-c.gguf"), .file("Qwen3-8B-Q4_K_M.gguf"),
            .file("llama-3.2-1b.gguf"),
        ]))

    func suggestions(_ requested: String) -> [String]? {
        if case .notFound(let suggestions) = resolver.resolve(requested) { return suggestions }
        return nil
    }

    @Test func typosSuggestTheClosestIds() {
        #expect(suggestions("tiny-d") == ["tiny-a", "tiny-b", "tiny-c"])
        #expect(suggestions("tinya") == ["tiny-a", "tiny-b", "tiny-c"])  // closest first
        #expect(suggestions("tiny-chta") == ["tiny-chat", "tiny-a", "tiny-c"])
        #expect(suggestions("tiny-a-v2") == ["tiny-a"])
        #expect(suggestions("lama-3.2-1b") == ["llama-3.2-1b"])
    }

    @Test func containedNamesComeFirst() {
        #expect(suggestions("qwen3") == ["Qwen3-8B-Q4_K_M"])
        #expect(suggestions("llama") == ["llama-3.2-1b"])
        #expect(suggestions("tiny") == ["tiny-a", "tiny-b", "tiny-c"])
        #expect(suggestions("qwen3-8b:Q5_K_M") == ["Qwen3-8B-Q4_K_M"])
    }

    @Test func aliasesLeadToTheirModelsId() {
        #expect(suggestions("asistant") == ["tiny-chat"])
    }

    @Test func unrelatedOrHostileNamesSuggestNothing() {
        #expect(suggestions("gpt-4o") == [])
        #expect(suggestions("../../etc/passwd") == [])
        #expect(suggestions("") == [])
        #expect(suggestions(String(repeating: "tiny-a", count: 1000)) == [])
    }

    @Test func limitIsRespected() {
        #expect(resolver.suggestions(for: "tiny", limit: 2) == ["tiny-a", "tiny-b"])
    }
}
