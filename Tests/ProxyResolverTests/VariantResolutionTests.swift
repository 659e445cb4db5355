import ProxyConfig
import ProxyResolver
import Testing

/// `name:VARIANT`: tried after ids and aliases (exact, then ignoring case) and before `name:TAG`
/// quantization tags; the name before the colon is any id or alias of the model.
@Suite struct VariantResolutionTests {
    let resolver = ModelResolver(
        configured: [
            ConfiguredModel(id: "qwen", path: "/c/qwen.gguf", aliases: ["Q3"],
                            variants: [ModelVariant(name: "fast", set: []), ModelVariant(name: "Q8_0", set: [])]),
            ConfiguredModel(id: "qwen:fast-exact", path: "/c/exact.gguf"),
            ConfiguredModel(id: "plain", path: "/c/plain.gguf"),
        ],
        listing: FolderListing(path: "/m", entries: [.file("qwen-Q4_K_M.gguf"), .file("qwen-Q8_0.gguf"), .file("plain-fast.gguf")]))

    @Test(arguments: [
        ("qwen:fast", "qwen", "fast"),
        ("QWEN:FAST", "qwen", "fast"),  // the name and the variant ignoring case
        ("Q3:fast", "qwen", "fast"),  // by an alias
        ("q3:Fast", "qwen", "fast"),
        ("qwen:q8_0", "qwen", "Q8_0"),  // a variant named like a quant tag wins over the tag
    ])
    func findsTheVariant(_ requested: String, _ id: String, _ variant: String) {
        let resolution = resolver.resolve(requested)
        #expect(resolution.model?.id == id)
        #expect(resolution.variantName == variant)
        #expect(resolution == .variant(ResolvedModel(
            id: "qwen", ggufPath: "/c/qwen.gguf", aliases: ["Q3"], origin: .configured, variants: ["fast", "Q8_0"]), name: variant))
    }

    @Test(arguments: [
        ("qwen", "qwen"),  // the plain id: no variant
        ("qwen:fast-exact", "qwen:fast-exact"),  // an id with a colon is an id first
        ("qwen:Q4_K_M", "qwen-Q4_K_M"),  // not a variant: the quant tag as before
        ("plain:fast", "plain-fast"),  // plain has no variants: its tag
    ])
    func otherNamesResolveAsBefore(_ requested: String, _ id: String) {
        let resolution = resolver.resolve(requested)
        guard case .found(let model) = resolution else {
            Issue.record("\(requested) resolved to \(resolution)")
            return
        }
        #expect(model.id == id)
        #expect(resolution.variantName == nil)
    }

    @Test func anUnknownVariantIsNotFound() {
        let resolution = resolver.resolve("qwen:slow")
        guard case .notFound = resolution else {
            Issue.record("qwen:slow resolved to \(resolution)")
            return
        }
        #expect(resolution.model == nil)
    }
}
