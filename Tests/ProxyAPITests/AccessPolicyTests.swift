import HTTPCodec
import ProxyConfig
import Testing

@testable import ProxyAPI

@Suite struct AccessPolicyTests {
    static func bearer(_ key: String) -> HTTPHeaders { HTTPHeaders([("Authorization", "Bearer \(key)")]) }
    static let none = HTTPHeaders()

    @Test func withoutKeysEverythingIsOpen() {
        let policy = AccessPolicy(APIKeys())
        #expect(!policy.isEnabled)
        for access in [RouteAccess.open, .client, .admin] {
            #expect(policy.allows(access, headers: Self.none))
        }
    }

    @Test func clientKeysGuardClientAndAdminRoutes() {
        let policy = AccessPolicy(APIKeys(client: ["sk-c1", "sk-c2"]))
        #expect(policy.allows(.open, headers: Self.none))
        #expect(!policy.allows(.client, headers: Self.none))
        #expect(!policy.allows(.client, headers: Self.bearer("sk-wrong")))
        #expect(policy.allows(.client, headers: Self.bearer("sk-c2")))
        #expect(policy.allows(.client, headers: HTTPHeaders([("x-api-key", "sk-c1")])))
        // No admin keys configured: the management routes are not left open.
        #expect(!policy.allows(.admin, headers: Self.none))
        #expect(policy.allows(.admin, headers: Self.bearer("sk-c1")))
    }

    @Test func anAdminKeyOpensEveryRouteAndAClientKeyNotTheAdminOnes() {
        let policy = AccessPolicy(APIKeys(client: ["sk-c"], admin: ["sk-a"]))
        #expect(policy.allows(.client, headers: Self.bearer("sk-a")))
        #expect(policy.allows(.admin, headers: Self.bearer("sk-a")))
        #expect(policy.allows(.client, headers: Self.bearer("sk-c")))
        #expect(!policy.allows(.admin, headers: Self.bearer("sk-c")))
        #expect(!policy.allows(.admin, headers: Self.none))
    }

    @Test func onlyAdminKeysLeaveClientRoutesOpen() {
        let policy = AccessPolicy(APIKeys(admin: ["sk-a"]))
        #expect(policy.allows(.client, headers: Self.none))
        #expect(!policy.allows(.admin, headers: Self.none))
        #expect(!policy.allows(.admin, headers: Self.bearer("sk-c")))
        #expect(policy.allows(.admin, headers: HTTPHeaders([("X-API-KEY", "sk-a")])))
    }

    @Test func anEmptyKeysFileLocksOutInsteadOfOpeningUp() {
        let policy = AccessPolicy(APIKeys(clientFile: "/etc/proxy/keys.txt"))
        #expect(policy.isEnabled)
        #expect(!policy.allows(.client, headers: Self.none))
        #expect(!policy.allows(.client, headers: Self.bearer("")))
        #expect(!policy.allows(.admin, headers: Self.none))
        #expect(policy.allows(.open, headers: Self.none))
        let withAdmin = AccessPolicy(APIKeys(admin: ["sk-a"], clientFile: "/etc/proxy/keys.txt"))
        #expect(withAdmin.allows(.client, headers: Self.bearer("sk-a")))
    }

    @Test func oneRightKeyAmongSeveralPresentedIsEnough() {
        let policy = AccessPolicy(APIKeys(client: ["sk-c"]))
        #expect(policy.allows(.client, headers: HTTPHeaders([("Authorization", "Bearer sk-wrong"), ("x-api-key", "sk-c")])))
    }
}
