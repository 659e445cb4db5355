import Endpoints
import Foundation
import HTTPCodec
import Synchronization

@testable import ProxyHTTP

/// Like `ProxyFixture`, but the upstream is any handler on our server or any outside address,
/// and the proxy's timeouts are the test's to choose.
final class ProxyTestbed: Sendable {
    enum Upstream {
        case server(HTTPRequestHandler)
        case address(UpstreamEndpoint)
    }

    static let relaxedTimeouts = ServerConnectionStateMachine.Timeouts(requestHeader: 5_000_000_000, keepAlive: 30_000_000_000)

    let group: EventLoopGroup
    let upstreamServer: HTTPServer?
    let forwarder: RecordingForwarder
    let proxyServer: HTTPServer

    init(
        upstream: Upstream = .server(ScenarioUpstream()), proxyTimeouts: ServerConnectionStateMachine.Timeouts = relaxedTimeouts, upstreamIdleTimeout: Double = 0,
        upstreamConnectTimeout: Double = 0, reportUnreachable: Bool = false
    ) throws {
        group = EventLoopGroup(count: 2)
        let address: UpstreamEndpoint
        switch upstream {
        case .server(let handler):
            let server = try HTTPServer(
                configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: Self.relaxedTimeouts),
                group: group, handler: handler)
            upstreamServer = server
            address = .tcp(host: "127.0.0.1", port: server.port)
        case .address(let given):
            upstreamServer = nil
            address = given
        }
        forwarder = RecordingForwarder(
            proxy: ReverseProxy(group: group, upstreamIdleTimeout: upstreamIdleTimeout, upstreamConnectTimeout: upstreamConnectTimeout),
            address: address, reportUnreachable: reportUnreachable)
        proxyServer = try HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPParserLimits(), timeouts: proxyTimeouts),
            group: group, handler: forwarder)
    }

    func client() throws -> BlockingTestClient { try BlockingTestClient(port: proxyServer.port) }

    func stop() {
        upstreamServer?.stopAccepting()
        proxyServer.stopAccepting()
        group.stop()
    }
}

/// Forwards every request to one address, keeping each exchange's responder and outcome.
final class RecordingForwarder: HTTPRequestHandler {
    let proxy: ReverseProxy
    let address: UpstreamEndpoint
    /// Asks for `.unreachable` instead of a 502 when no connection can be made (the client then gets nothing).
    let reportUnreachable: Bool
    let responders = Mutex<[HTTPResponder]>([])
    private let outcomes = Mutex<[ReverseProxy.Outcome]>([])
    private let outcomeArrived = DispatchSemaphore(value: 0)

    init(proxy: ReverseProxy, address: UpstreamEndpoint, reportUnreachable: Bool = false) {
        self.reportUnreachable = reportUnreachable
        self.proxy = proxy
        self.address = address
    }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        responders.withLock { $0.append(responder) }
        proxy.forward(request, to: address, reportUnreachable: reportUnreachable, responder: responder) { [self] outcome in
            outcomes.withLock { $0.append(outcome) }
            outcomeArrived.signal()
        }
    }

    /// The responder of the first request, once the proxy has received it.
    func firstResponder() throws -> HTTPResponder {
        var first: HTTPResponder?
        _ = eventually {
            first = responders.withLock { $0.first }
            return first != nil
        }
        guard let first else { throw TestFailure("the request never reached the proxy") }
        return first
    }

    /// The first `count` outcomes, waiting for them (the proxy reports after the client's
    /// response left, so a test may get there first).
    func outcomes(count: Int, timeout: TimeInterval = 5) -> [ReverseProxy.Outcome] {
        let deadline = DispatchTime.now() + timeout
        for _ in 0..<count {
            if outcomeArrived.wait(timeout: deadline) == .timedOut { break }
        }
        return outcomes.withLock { Array($0.prefix(count)) }
    }
}

/// Polls `condition` until it holds or `timeout` passes, for state another thread changes.
func eventually(timeout: TimeInterval = 5, _ condition: () -> Bool) -> Bool {
    let deadline = Date() + timeout
    while !condition() {
        if Date() >= deadline { return false }
        usleep(2000)
    }
    return true
}
