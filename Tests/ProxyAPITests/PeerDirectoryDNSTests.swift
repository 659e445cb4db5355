import Foundation
@testable import ProxyConfig
@testable import ProxyPool
import Synchronization
import Testing

@testable import ProxyAPI

/// The driver of peers found by DNS, with a fake resolver and fake model lists: the name is
/// resolved on a thread of its own, again at its interval, and the peers follow the answer.
@Suite struct PeerDirectoryDNSTests {
    @Test func thePeersFollowTheResolversAnswer() async {
        let answer = Mutex<Result<[String], HostResolutionError>>(.success(["10.0.0.2", "10.0.0.3"]))
        let lines = Mutex<[String]>([])
        let directory = PeerDirectory(
            timeout: 1, log: { line in lines.withLock { $0.append(line) } },
            resolveAll: { host in host == "proxies.svc" ? answer.withLock { $0 } : .failure(HostResolutionError("asked for \(host)")) },
            fetch: { _, _, _ in .success([PeerModel(id: "a", state: "ready")]) })
        defer { directory.stop() }
        directory.configure([Peer(name: "pool", address: .init(host: "proxies.svc", port: 8080), checkSeconds: 0.05, resolveSeconds: 0.05)])
        func names() -> [String] { directory.statuses().filter { $0.health == .up }.map(\.name) }

        #expect(await eventually(within: 60) { names() == ["pool@10.0.0.2", "pool@10.0.0.3"] })
        answer.withLock { $0 = .success(["10.0.0.3"]) }
        #expect(await eventually(within: 60) { directory.statuses().map(\.name) == ["pool@10.0.0.3"] })
        #expect(directory.acquire("a")?.lease.endpoint == .tcp(host: "10.0.0.3", port: 8080))
        answer.withLock { $0 = .failure(HostResolutionError("Name or service not known")) }
        #expect(await eventually(within: 60) { lines.withLock { $0.contains { $0.hasPrefix("cannot resolve peer name name=pool") } } })
        #expect(directory.statuses().map(\.name) == ["pool@10.0.0.3"], "the last answer is kept")
    }

    /// Polls `condition` until it holds or `seconds` pass.
    func eventually(within seconds: Double, _ condition: () -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if condition() { return true }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        return condition()
    }
}
