import ProxyConfig
import ProxyJSON
import ProxyResolver
import Testing

@testable import ProxyAPI

/// A model's filters and variants reach the request as byte edits: the changed members only,
/// every other byte (spacing, key order, number spelling, escapes, unknown members) as sent.
@Suite struct RequestFilterTests {
    static let qwen = ConfiguredModel(
        id: "qwen", path: "/qwen.gguf",
        filters: RequestFilters(
            set: [.init(name: "temperature", value: Array("0.2".utf8)), .init(name: "cache_prompt", value: Array("true".utf8))],
            strip: ["logit_bias", "keep_alive"], upstreamModel: "Qwen/Qwen3-8B"),
        variants: [ModelVariant(name: "fast", set: [.init(name: "reasoning_effort", value: Array(#""low""#.utf8)),
                                                   .init(name: "temperature", value: Array("0.9".utf8))])])

    func launch() throws -> ModelLaunch {
        let catalog = ModelCatalog(configuration: ProxyConfiguration(llamaServer: "/bin/true", models: [Self.qwen]), now: { 0 })
        return try #require(catalog.snapshot.launches["qwen"])
    }

    func filtered(_ body: String, variant: String? = nil) throws -> (String, ModelDispatcher.RequestFields) {
        let bytes = Array(body.utf8)
        let fields = try ModelDispatcher.requestedModel(in: bytes).get()
        let (output, read) = try ModelDispatcher.filtered(bytes, fields: fields, changes: launch().requestChanges(variant: variant)).get()
        return (String(decoding: output, as: UTF8.self), read)
    }

    static let body = "{ \"model\" : \"qwen\",\n\t\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"hi\\\"\"}],"
        + " \"logit_bias\" : {\"1\": -100}, \"temperature\":1.0E0, \"x_unknown\":[1, 2.50e0],\"stream\":false }\n"

    @Test func setStripAndUpstreamModelEditOnlyTheirMembers() throws {
        let (output, fields) = try filtered(Self.body)
        #expect(output == "{ \"model\" : \"Qwen/Qwen3-8B\",\n\t\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"hi\\\"\"}],"
            + " \"temperature\":0.2, \"x_unknown\":[1, 2.50e0],\"stream\":false,\"cache_prompt\":true }\n")
        #expect(fields == ModelDispatcher.RequestFields(model: "qwen", stream: false))  // logs and routing keep the client's name
    }

    @Test func aVariantSetsItsMembersOverTheFilters() throws {
        let (output, _) = try filtered(Self.body.replacingOccurrences(of: "\"qwen\"", with: "\"qwen:fast\""), variant: "fast")
        #expect(output == "{ \"model\" : \"Qwen/Qwen3-8B\",\n\t\"messages\":[{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"hi\\\"\"}],"
            + " \"temperature\":0.9, \"x_unknown\":[1, 2.50e0],\"stream\":false,\"cache_prompt\":true,\"reasoning_effort\":\"low\" }\n")
    }

    @Test func whatTheProxyReadsIsReadFromTheFilteredBody() throws {
        // keep_alive is stripped, so the pool does not see it either.
        let (output, fields) = try filtered(#"{"keep_alive":"5m","model":"qwen","stream":true}"#)
        #expect(output == #"{"model":"Qwen/Qwen3-8B","stream":true,"temperature":0.2,"cache_prompt":true}"#)
        #expect(fields == ModelDispatcher.RequestFields(model: "qwen", stream: true, keepAlive: nil))
    }

    @Test func withoutFiltersTheBodyIsTheSameArray() throws {
        let body = Array(Self.body.utf8)
        let fields = try ModelDispatcher.requestedModel(in: body).get()
        let (output, read) = try ModelDispatcher.filtered(body, fields: fields, changes: []).get()
        #expect(output == body)
        #expect(read == fields)
    }

    @Test func aBodyThePatchCannotReadIsRefused() throws {
        let body = Array(#"{"model":"qwen","a":1,}"#.utf8)
        let fields = ModelDispatcher.RequestFields(model: "qwen", stream: false)
        let changes = try launch().requestChanges(variant: nil)
        guard case .failure(let error) = ModelDispatcher.filtered(body, fields: fields, changes: changes) else {
            Issue.record("an invalid body was filtered")
            return
        }
        #expect(error.status == 400)
        #expect(error.code == "invalid_json")
        #expect(error.message.hasPrefix("the request body cannot be filtered for model 'qwen': "))
    }
}
