import HTTPCodec
import Testing

@testable import ProxyAPI

@Suite struct CORSPolicyTests {
    static let upstreamHead = HTTPHeaders([
        ("Server", "llama.cpp"), ("Access-Control-Allow-Origin", "http://evil.example"),
        ("access-control-allow-credentials", "true"), ("Content-Type", "application/json"),
    ])

    @Test func anyOriginReplacesTheUpstreamsFieldsWithOneStar() {
        var headers = Self.upstreamHead
        CORSPolicy(origins: ["*"]).finalize(&headers, origin: "http://evil.example")
        #expect(headers == HTTPHeaders([
            ("Server", "llama.cpp"), ("Content-Type", "application/json"), ("Access-Control-Allow-Origin", "*"),
        ]))
    }

    @Test func aListedOriginIsEchoedAndVariesByOrigin() {
        let policy = CORSPolicy(origins: ["https://chat.example", "http://localhost:5173"])
        var headers = HTTPHeaders([("Content-Type", "text/event-stream")])
        policy.finalize(&headers, origin: "http://localhost:5173")
        #expect(headers.values(for: "access-control-allow-origin") == ["http://localhost:5173"])
        #expect(headers.values(for: "vary") == ["Origin"])

        var other = Self.upstreamHead
        policy.finalize(&other, origin: "http://evil.example")
        #expect(!other.contains(where: { CORSPolicy.isCORSField($0.name) }))
        #expect(other.values(for: "vary") == ["Origin"])
    }

    @Test func varyIsExtendedNotDuplicated() {
        let policy = CORSPolicy(origins: ["https://a.example"])
        var headers = HTTPHeaders([("Vary", "Accept-Encoding")])
        policy.finalize(&headers, origin: "https://a.example")
        #expect(headers.values(for: "vary") == ["Accept-Encoding, Origin"])
        var already = HTTPHeaders([("Vary", "origin")])
        policy.finalize(&already, origin: nil)
        #expect(already.values(for: "vary") == ["origin"])
    }

    @Test func disabledStripsEveryCORSField() {
        var headers = Self.upstreamHead
        CORSPolicy(origins: []).finalize(&headers, origin: "http://evil.example")
        #expect(headers == HTTPHeaders([("Server", "llama.cpp"), ("Content-Type", "application/json")]))
    }

    @Test func aPreflightEchoesTheRequestedHeaders() {
        let request = HTTPHeaders([
            ("Origin", "https://chat.example"), ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "authorization, content-type, x-stainless-os"),
        ])
        let headers = CORSPolicy(origins: ["*"]).preflightHeaders(for: request)
        #expect(headers["access-control-allow-origin"] == "*")
        #expect(headers["access-control-allow-methods"] == "GET, HEAD, POST, OPTIONS")
        #expect(headers["access-control-allow-headers"] == "authorization, content-type, x-stainless-os")
        #expect(headers["access-control-max-age"] == "86400")
        #expect(headers["allow"] == "GET, HEAD, POST, OPTIONS")
    }

    @Test func aPreflightWithoutRequestedHeadersGetsTheDefaults() {
        let headers = CORSPolicy(origins: ["*"]).preflightHeaders(for: HTTPHeaders([("Origin", "https://x.example")]))
        #expect(headers["access-control-allow-headers"] == CORSPolicy.defaultAllowedHeaders)
    }

    @Test func aPreflightFromAnOriginNotAllowedGetsNoCORSFields() {
        let request = HTTPHeaders([("Origin", "https://evil.example"), ("Access-Control-Request-Headers", "authorization")])
        #expect(CORSPolicy(origins: []).preflightHeaders(for: request) == HTTPHeaders([("Allow", "GET, HEAD, POST, OPTIONS")]))
        #expect(CORSPolicy(origins: ["https://chat.example"]).preflightHeaders(for: request)
            == HTTPHeaders([("Allow", "GET, HEAD, POST, OPTIONS"), ("Vary", "Origin")]))
    }

    @Test func aPreflightFromAListedOriginEchoesIt() {
        let request = HTTPHeaders([("Origin", "https://chat.example"), ("Access-Control-Request-Headers", "authorization")])
        let headers = CORSPolicy(origins: ["https://chat.example"]).preflightHeaders(for: request)
        #expect(headers["access-control-allow-origin"] == "https://chat.example")
        #expect(headers["vary"] == "Origin")
        #expect(headers["access-control-allow-headers"] == "authorization")
    }

    @Test(arguments: [
        ("Access-Control-Allow-Origin", true), ("ACCESS-CONTROL-MAX-AGE", true), ("access-control-x", true),
        ("access-control-", false), ("Access-Controls", false), ("X-Access-Control-Allow-Origin", false), ("Vary", false),
    ])
    func recognisesCORSFieldsInAnyCase(name: String, expected: Bool) {
        #expect(CORSPolicy.isCORSField(name) == expected)
    }
}
