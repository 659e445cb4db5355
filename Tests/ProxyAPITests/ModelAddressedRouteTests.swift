import HTTPCodec
import Testing
@testable import ProxyAPI

@Suite struct ModelAddressedRouteTests {
    static func route(_ method: String, _ target: String) -> ModelAddressedRoute? {
        ModelAddressedRoute.of(method: method, head: HTTPRequestHead(method: method, target: target))
    }

    @Test(arguments: [
        ("GET", "/upstream/tiny-a/props", "tiny-a", "/props"),
        ("HEAD", "/upstream/tiny-a/health", "tiny-a", "/health"),
        ("POST", "/upstream/tiny-a/v1/chat/completions?x=1&y=2", "tiny-a", "/v1/chat/completions?x=1&y=2"),
        ("GET", "/upstream/tiny-a", "tiny-a", "/"),
        ("GET", "/upstream/tiny-a/", "tiny-a", "/"),
        ("GET", "/upstream/tiny-a?model=x", "tiny-a", "/?model=x"),
        ("DELETE", "/upstream/org%2Fmodel%20q4/slots/0", "org/model q4", "/slots/0"),
        ("GET", "/upstream/a+b/x", "a+b", "/x"),  // `+` is a space only in a query
        ("PUT", "/upstream/caf%C3%A9//double", "café", "//double"),
    ])
    func upstreamPathsNameTheModelAndStripThePrefix(method: String, target: String, model: String, forwarded: String) {
        #expect(Self.route(method, target) == .upstream(model: model, target: forwarded))
    }

    @Test(arguments: ["/upstream", "/upstream/", "/upstream//props", "/upstream/?model=x", "/upstream/%zz/props", "/upstream/%FF/props"])
    func badUpstreamNamesAreRefused(target: String) {
        guard case .badModelName(let message)? = Self.route("GET", target) else {
            Issue.record("\(target): \(String(describing: Self.route("GET", target)))")
            return
        }
        #expect(message.contains("/upstream/<model>"))
    }

    @Test func aPathThatOnlyStartsLikeUpstreamIsNotOne() {
        #expect(Self.route("GET", "/upstreamer/tiny-a") == nil)
        #expect(Self.route("POST", "/upstreams") == nil)
    }

    @Test(arguments: [
        ("GET", "/props?model=tiny-a", "tiny-a"),
        ("HEAD", "/slots?fail_on_no_slot=1&model=tiny-b", "tiny-b"),
        ("GET", "/metrics?model=my+model%2B1", "my model+1"),
        ("GET", "/?model=tiny-a", "tiny-a"),
        ("GET", "/props?model=first&model=second", "first"),
    ])
    func getsWithAModelParameterGoToThatModel(method: String, target: String, model: String) {
        #expect(Self.route(method, target) == .query(model: model))
    }

    @Test(arguments: [
        ("POST", "/v1/chat/completions?model=tiny-a"),  // the body names a POST's model
        ("DELETE", "/props?model=tiny-a"),
        ("GET", "/props"),
        ("GET", "/props?models=tiny-a"),
        ("GET", "/props?xmodel=tiny-a"),
        ("GET", "/v1/models?model=tiny-a"),
        ("GET", "/v1/models/tiny-a?model=tiny-b"),
        ("HEAD", "/health?model=tiny-a"),
        ("GET", "/v1/agents?model=tiny-a"),
        ("GET", "/logs?model=tiny-a"),  // the management API's own parameter
        ("GET", "/logs/stream?model=tiny-a"),
        ("GET", "/running?model=tiny-a"),
    ])
    func otherRequestsAreNotAddressedByTheirTarget(method: String, target: String) {
        #expect(Self.route(method, target) == nil)
    }

    @Test(arguments: ["/props?model=", "/props?model", "/props?model=%E2%82"])
    func badQueryNamesAreRefused(target: String) {
        guard case .badModelName(let message)? = Self.route("GET", target) else {
            Issue.record("\(target): \(String(describing: Self.route("GET", target)))")
            return
        }
        #expect(message.contains("?model="))
    }
}
