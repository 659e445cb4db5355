import HTTPCodec
import Testing

@testable import ProxyAPI

@Suite struct PresentedCredentialsTests {
    @Test(arguments: [
        ([("Authorization", "Bearer sk-1")], ["sk-1"]),
        ([("authorization", "bearer   sk-1  ")], ["sk-1"]),
        ([("AUTHORIZATION", "BEARER sk-1")], ["sk-1"]),
        ([("x-api-key", "sk-2")], ["sk-2"]),
        ([("X-Api-Key", "  sk-2 ")], ["sk-2"]),
        ([("Authorization", "Bearer sk-1"), ("x-api-key", "sk-2")], ["sk-1", "sk-2"]),
        ([("Authorization", "Basic c2stMQ==")], []),
        ([("Authorization", "Bearer")], []),
        ([("Authorization", "Bearer ")], []),
        ([("Authorization", "sk-1")], []),
        ([("Authorization", "Bearersk-1")], []),
        ([("x-api-key", "")], []),
        ([("x-api-keys", "sk-3"), ("api-key", "sk-4")], []),
        ([], []),
    ] as [([(String, String)], [String])])
    func findsBearerTokensAndApiKeyHeaders(fields: [(String, String)], expected: [String]) {
        #expect(PresentedCredentials.keys(in: HTTPHeaders(fields)).map(String.init) == expected)
    }

    @Test func removingTheKeyFieldsKeepsEverythingElse() {
        var headers = HTTPHeaders([
            ("Host", "h"), ("Authorization", "Bearer sk-1"), ("X-API-Key", "sk-2"), ("authorization", "Basic x"),
            ("Content-Type", "application/json"), ("x-api-keys", "kept"),
        ])
        PresentedCredentials.remove(from: &headers)
        #expect(headers == HTTPHeaders([("Host", "h"), ("Content-Type", "application/json"), ("x-api-keys", "kept")]))
    }
}
