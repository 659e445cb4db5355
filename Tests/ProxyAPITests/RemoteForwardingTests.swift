import HTTPCodec
import ProxyConfig
@testable import ProxyHTTP
@testable import ProxyPool
import ProxyResolver
import Testing

@testable import ProxyAPI

/// A model served at URLs: what the catalog builds for it, what its servers get, what the
/// client hears when none can take the request, and how `/v1/models` lists it.
@Suite struct RemoteForwardingTests {
    let remote = ModelRemote(
        addresses: [.init(host: "10.0.0.1", port: 8080), .init(host: "::1", port: 9000)], apiKey: "sk-remote",
        healthPath: "/v1/models", healthCheckSeconds: 2.5)

    @Test func theCatalogGivesARemoteModelItsUpstreamAndNoMemory() throws {
        let configuration = ProxyConfiguration(llamaServer: "/bin/llama-server", models: [
            ConfiguredModel(id: "far", path: "", aliases: ["big"], remote: remote),
            ConfiguredModel(id: "near", path: "/nonexistent/near.gguf"),
        ])
        let launches = ModelCatalog(configuration: configuration, now: { 0 }).snapshot.launches
        let far = try #require(launches["far"])
        #expect(far.remote == RemoteUpstream(
            modelID: "far", servers: [.init(host: "10.0.0.1", port: 8080), .init(host: "::1", port: 9000)],
            healthPath: "/v1/models", healthInterval: 2.5, authorization: "Bearer sk-remote"))
        #expect(far.spec.memoryBytes == 0)
        #expect(launches["near"]?.remote == nil)
        #expect(RemoteUpstream.all(in: configuration).map(\.modelID) == ["far"])
        let defaults = RemoteUpstream(configured: ConfiguredModel(id: "plain", path: "", remote: ModelRemote(addresses: [.init(host: "h", port: 1)])))
        #expect(defaults?.healthInterval == RemoteUpstream.defaultHealthInterval)
        #expect(defaults?.authorization == nil)
    }

    @Test func theServerGetsItsOwnHostAndTheModelsKeyNeverTheClients() {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "proxy.local:8080")
        headers.add(name: "Authorization", value: "Bearer client-key")
        headers.add(name: "X-Api-Key", value: "client-key")
        headers.add(name: "Content-Type", value: "application/json")
        let request = HTTPServerRequest(
            head: HTTPRequestHead(method: "POST", target: "/v1/chat/completions", version: .http1_1, headers: headers),
            body: [], receivedAt: 0)
        let sent = RemoteForwarder.upstreamRequest(
            request, target: nil, server: .init(host: "::1", port: 9000), authorization: "Bearer sk-remote")
        #expect(Array(sent.head.headers.map { "\($0.0): \($0.1)" }) == [
            "Host: [::1]:9000", "Content-Type: application/json", "Authorization: Bearer sk-remote",
        ])
        let anonymous = RemoteForwarder.upstreamRequest(request, target: "/health", server: .init(host: "h", port: 1), authorization: nil)
        #expect(anonymous.head.target == "/health")
        #expect(anonymous.head.headers["authorization"] == nil && anonymous.head.headers["x-api-key"] == nil)
    }

    @Test func everyServerDownIsA503NamingTheModelWithRetryAfter() {
        let upstream = RemoteUpstream(modelID: "far", servers: [.init(host: "a", port: 1), .init(host: "b", port: 2)], healthInterval: 2.5)
        let error = RemoteForwarder.unavailable(upstream, reasons: ["a:1: connection refused", "b:2: failed its health check (GET /health)"])
        #expect(error.status == 503)
        #expect(error.code == "model_unavailable")
        #expect(error.message == "model 'far' is unavailable: all 2 of its servers are down (a:1: connection refused; b:2: failed its health check (GET /health))")
        #expect(error.headers["retry-after"] == "3")
        let one = RemoteUpstream(modelID: "solo", servers: [.init(host: "a", port: 1)])
        #expect(RemoteForwarder.unavailable(one, reasons: ["a:1: down"]).message.hasPrefix("model 'solo' is unavailable: its server is down"))
    }

    @Test func modelsListsEachServersStateAndTheModelUnavailableOnlyWhenAllAreDown() throws {
        let model = ResolvedModel(id: "far", ggufPath: "", origin: .configured)
        let servers = [
            RemoteServerStatus(server: .init(host: "10.0.0.1", port: 8080), health: .down, inFlight: 0),
            RemoteServerStatus(server: .init(host: "::1", port: 9000), health: .up, inFlight: 2),
        ]
        let listed = String(decoding: ModelsEndpoint.remoteEntry(model, servers: servers, created: 7).serialized(), as: UTF8.self)
        #expect(listed.contains(#""state":"ready","in_flight":2,"queued":0"#), "\(listed)")
        #expect(listed.contains(#""source":"remote","servers":[{"url":"http://10.0.0.1:8080","state":"down","in_flight":0},{"url":"http://[::1]:9000","state":"up","in_flight":2}]"#), "\(listed)")
        let allDown = servers.map { RemoteServerStatus(server: $0.server, health: .down, inFlight: 0) }
        let unavailable = String(decoding: ModelsEndpoint.remoteEntry(model, servers: allDown, created: 7).serialized(), as: UTF8.self)
        #expect(unavailable.contains(#""state":"unavailable""#), "\(unavailable)")
    }
}
