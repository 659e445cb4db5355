import ProxyJSON
import Testing
@testable import ProxyConfig

/// `models.ID.filters` and `models.ID.variants`: what is read, the changes they make (one per
/// name, later steps winning), and every bad input refused with its key path.
@Suite struct FilterConfigParsingTests {
    let fileSystem = FakeFileSystem()

    static func config(_ members: String, other: String = "") -> String {
        #"{"llama_server": "bin/llama-server", "models": {"qwen": {"path": "models/tiny-a.gguf", "aliases": ["q"], \#(members)}\#(other)}}"#
    }

    static func text(_ changes: [TopLevelPatch.Change]) -> [String] {
        changes.map { "\($0.name)=" + ($0.value.map { String(decoding: $0, as: UTF8.self) } ?? "<removed>") }
    }

    @Test func readsSetStripUpstreamModelAndVariants() throws {
        let config = try fileSystem.parse(Self.config("""
            "filters": {"set": {"temperature": 0.2, "stop": ["\\n", "é"], "extra": {"a" : 1.50}}, "strip": ["logit_bias", "n"],
                        "upstream_model": "Qwen/Qwen3-8B"},
            "variants": {"fast": {"reasoning_effort": "low", "temperature": 1}, "plain": {}}
            """))
        let model = config.models[0]
        #expect(model.filters == RequestFilters(
            set: [.init(name: "temperature", value: Array("0.2".utf8)), .init(name: "stop", value: Array(#"["\n","é"]"#.utf8)),
                  .init(name: "extra", value: Array(#"{"a":1.50}"#.utf8))],
            strip: ["logit_bias", "n"], upstreamModel: "Qwen/Qwen3-8B"))
        #expect(model.variants == [
            ModelVariant(name: "fast", set: [.init(name: "reasoning_effort", value: Array(#""low""#.utf8)),
                                             .init(name: "temperature", value: Array("1".utf8))]),
            ModelVariant(name: "plain", set: []),
        ])
        #expect(Self.text(model.requestChanges()) == [
            "logit_bias=<removed>", "n=<removed>", "temperature=0.2", #"stop=["\n","é"]"#, #"extra={"a":1.50}"#,
            #"model="Qwen/Qwen3-8B""#,
        ])
        // The variant's members win over `set`; `upstream_model` is the last word on `model`.
        #expect(Self.text(model.requestChanges(variant: "fast")) == [
            "logit_bias=<removed>", "n=<removed>", #"stop=["\n","é"]"#, #"extra={"a":1.50}"#, #"reasoning_effort="low""#,
            "temperature=1", #"model="Qwen/Qwen3-8B""#,
        ])
        #expect(model.requestChanges(variant: "plain").count == 6)
    }

    @Test func withoutFiltersNothingChanges() throws {
        let config = try fileSystem.parse(#"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}}"#)
        #expect(config.models[0].filters.isEmpty)
        #expect(config.models[0].variants.isEmpty)
        #expect(config.models[0].requestChanges().isEmpty)
        #expect(config.models[0].requestChanges(variant: "nope").isEmpty)
    }

    @Test func aVariantOnlySetsItsMembers() throws {
        let config = try fileSystem.parse(Self.config(#""variants": {"fast": {"reasoning_effort": "low"}}"#))
        #expect(Self.text(config.models[0].requestChanges()) == [])
        #expect(Self.text(config.models[0].requestChanges(variant: "fast")) == [#"reasoning_effort="low""#])
    }

    static let errors: [(String, String)] = [
        (config(#""filter": {}"#), "models.qwen.filter: unknown key (did you mean filters?)"),
        (config(#""filters": []"#), "models.qwen.filters: expected an object, got an array"),
        (config(#""filters": {"sets": {}}"#), "models.qwen.filters.sets: unknown key (did you mean set?)"),
        (config(#""filters": {"set": [1]}"#), "models.qwen.filters.set: expected an object, got an array"),
        (config(#""filters": {"set": {"temperature": null}}"#),
         "models.qwen.filters.set.temperature: null would remove the member; list it in filters.strip instead"),
        (config(#""filters": {"set": {"temperature": 1, "temperature": 2}}"#), "models.qwen.filters.set.temperature: duplicate key"),
        (config(#""filters": {"set": {"model": "x"}}"#),
         #"models.qwen.filters.set.model: "model" routes the request; use filters.upstream_model to rename it"#),
        (config(#""filters": {"set": {"": 1}}"#), "models.qwen.filters.set.: a member name must be non-empty"),
        (config(#""filters": {"strip": "n"}"#), #"models.qwen.filters.strip: expected an array of strings, got "n""#),
        (config(#""filters": {"strip": ["n", 2]}"#), "models.qwen.filters.strip[1]: expected a string, got 2"),
        (config(#""filters": {"strip": [""]}"#), "models.qwen.filters.strip[0]: a member name must be non-empty"),
        (config(#""filters": {"strip": ["model"]}"#),
         #"models.qwen.filters.strip[0]: "model" routes the request; use upstream_model to rename it"#),
        (config(#""filters": {"set": {"n": 1}, "strip": ["n"]}"#),
         #"models.qwen.filters.strip[0]: "n" is also in filters.set; keep it in one of them"#),
        (config(#""filters": {"upstream_model": ""}"#),
         #"models.qwen.filters.upstream_model: expected a non-empty string (the model name the upstream expects), got """#),
        (config(#""filters": {"upstream_model": 3}"#),
         "models.qwen.filters.upstream_model: expected a non-empty string (the model name the upstream expects), got 3"),
        (config(#""variants": ["fast"]"#), "models.qwen.variants: expected an object, got an array"),
        (config(#""variants": {"fast": "low"}"#), #"models.qwen.variants.fast: expected an object, got "low""#),
        (config(#""variants": {"fast": {}, "fast": {}}"#), "models.qwen.variants.fast: duplicate key"),
        (config(#""variants": {"fast": {}, "FAST": {}}"#),
         #"models.qwen.variants.FAST: variant "FAST" differs from "fast" only in case; names are matched ignoring case"#),
        (config(#""variants": {"a:b": {}}"#),
         #"models.qwen.variants.a:b: a variant name must be non-empty, without ":", spaces or control characters"#),
        (config(#""variants": {"": {}}"#),
         #"models.qwen.variants.: a variant name must be non-empty, without ":", spaces or control characters"#),
        (config(#""variants": {"very fast": {}}"#),
         #"models.qwen.variants.very fast: a variant name must be non-empty, without ":", spaces or control characters"#),
        (config(#""variants": {"fast": {"model": "other"}}"#),
         #"models.qwen.variants.fast.model: "model" routes the request; use filters.upstream_model to rename it"#),
        (config(#""variants": {"fast": {"top_k": null}}"#),
         "models.qwen.variants.fast.top_k: null would remove the member; list it in filters.strip instead"),
        (config(#""variants": {"fast": {}}"#, other: #", "other": {"path": "models/tiny-b.gguf", "aliases": ["qwen:fast"]}"#),
         #"models.qwen.variants.fast: "qwen:fast" is already the id or an alias of a model, which wins"#),
    ]

    @Test(arguments: errors)
    func refusesWithAClearMessage(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == expected)
    }
}
