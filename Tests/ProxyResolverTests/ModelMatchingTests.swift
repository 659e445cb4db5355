import Testing
import ProxyConfig
import ProxyResolver

@Suite struct ModelMatchingTests {
    let resolver = ModelResolver(
        configured: [
            ConfiguredModel(id: "tiny-chat", path: "/c/tiny.gguf", aliases: ["chat", "Helper"]),
            ConfiguredModel(id: "odd:name", path: "/c/odd.gguf"),
        ],
        listing: FolderListing(path: "/m", entries: [
            .file("Qwen3-8B-Q4_K_M.gguf"), .file("Qwen3-8B-Q8_0.gguf"), .file("gemma_IQ2_XXS.gguf"),
            .file("phi.BF16.gguf"), .file("llama-7b.gguf"), .file("Mistral.gguf"), .file("mistral.gguf"),
            .file("deepseek-r1-distill-UD-Q4_K_XL.gguf"), .file("solo-Q6_K.gguf"),
        ]))

    func id(_ requested: String) -> String? {
        if case .found(let model) = resolver.resolve(requested) { return model.id }
        return nil
    }

    @Test(arguments: [
        ("tiny-chat", "tiny-chat"),  // exact id
        ("chat", "tiny-chat"),  // exact alias
        ("Helper", "tiny-chat"),
        ("TINY-CHAT", "tiny-chat"),  // ids and aliases ignoring case
        ("helper", "tiny-chat"),
        ("Mistral", "Mistral"),  // exact beats case-insensitive
        ("mistral", "mistral"),
        ("odd:name", "odd:name"),  // an exact id wins over reading a tag
        ("qwen3-8b:Q4_K_M", "Qwen3-8B-Q4_K_M"),  // name:TAG
        ("Qwen3-8B:q8_0", "Qwen3-8B-Q8_0"),
        ("gemma:IQ2_XXS", "gemma_IQ2_XXS"),  // underscore separator
        ("phi:bf16", "phi.BF16"),  // dot separator
        ("deepseek:UD-Q4_K_XL", "deepseek-r1-distill-UD-Q4_K_XL"),  // starts with the name, ends with the tag
        ("deepseek-r1:q4_k_xl", "deepseek-r1-distill-UD-Q4_K_XL"),
        ("solo", "solo-Q6_K"),  // a bare name with one tagged variant
        ("gemma", "gemma_IQ2_XXS"),
        ("PHI", "phi.BF16"),
    ])
    func finds(_ requested: String, _ expected: String) {
        #expect(id(requested) == expected)
    }

    @Test func foundModelCarriesEverythingNeededToLaunch() {
        #expect(resolver.resolve("chat") == .found(ResolvedModel(
            id: "tiny-chat", ggufPath: "/c/tiny.gguf", aliases: ["chat", "Helper"], origin: .configured)))
    }

    @Test func severalMatchesAreAmbiguous() {
        #expect(resolver.resolve("qwen3-8b") == .ambiguous(candidates: ["Qwen3-8B-Q4_K_M", "Qwen3-8B-Q8_0"]))
        #expect(resolver.resolve("MISTRAL") == .ambiguous(candidates: ["Mistral", "mistral"]))
        let splitTag = ModelResolver(configured: [], listing: FolderListing(path: "/m", entries: [
            .file("a-x-Q4_0.gguf"), .file("a-y-Q4_0.gguf"),
        ]))
        #expect(splitTag.resolve("a:Q4_0") == .ambiguous(candidates: ["a-x-Q4_0", "a-y-Q4_0"]))
    }

    @Test(arguments: [
        "llama",  // "7b" is not a quantization label
        "qwen3-8b:Q5_K_M",  // no such quantization
        "qwen3-8b:",
        ":Q4_K_M",
        "",
        "Qwen3-8B-Q4_K_M.gguf",
        "/m/Qwen3-8B-Q4_K_M.gguf",
        "../../etc/passwd",
        "m/solo-Q6_K.gguf",
        "solo-Q6_K ",
        "tiny-chat\u{0}",
    ])
    func requestedNamesAreNeverPaths(_ requested: String) {
        guard case .notFound = resolver.resolve(requested) else {
            Issue.record("\(requested.debugDescription) resolved to \(resolver.resolve(requested))")
            return
        }
    }
}
