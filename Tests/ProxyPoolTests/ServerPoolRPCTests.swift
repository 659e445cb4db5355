import Endpoints
import Foundation
import Glibc
import Testing
@testable import ProxyPool

/// A model whose llama-server uses llama.cpp RPC servers starts only when each of them accepts a
/// connection; otherwise its load fails at once with a reason naming the server.
@Suite struct ServerPoolRPCTests {
    /// A listening TCP socket on 127.0.0.1 (a stand-in for ggml-rpc-server) and its port.
    final class Listener {
        let fd: Int32
        let port: Int

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                    bind(fd, raw, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, raw, &length) == 0
                }
            }
            try #require(fd >= 0 && bound)
            self.fd = fd
            port = Int(UInt16(bigEndian: address.sin_port))
        }

        /// Connections that arrived so far (accepted and closed).
        func acceptedConnections() -> Int {
            var count = 0
            while true {
                var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                guard poll(&ready, 1, 0) == 1 else { return count }
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return count }
                close(connection)
                count += 1
            }
        }

        deinit { close(fd) }
    }

    /// A port nothing listens on (bound by the kernel's choice, then closed).
    static func closedPort() throws -> Int {
        try #require(LoopbackPort.free())
    }

    static func spec(_ id: String, rpc: [UpstreamEndpoint]) -> LaunchSpec {
        var spec = FakeServer.spec(id)
        spec.rpcServers = rpc
        return spec
    }

    @Test func aModelStartsOnceEachOfItsRPCServersAcceptsAConnection() async throws {
        let first = try Listener()
        let second = try Listener()
        let harness = PoolHarness()
        defer { harness.finish() }
        let lease = try await harness.lease(Self.spec("split", rpc: [.tcp(host: "127.0.0.1", port: first.port), .tcp(host: "127.0.0.1", port: second.port)]))
        #expect(harness.status("split")?.state == .ready)
        #expect(first.acceptedConnections() == 1)
        #expect(second.acceptedConnections() == 1)
        harness.pool.release(lease)
    }

    @Test func anUnreachableRPCServerFailsTheLoadNamingItAndStartsNothing() async throws {
        let up = try Listener()
        let down = try Self.closedPort()
        let harness = PoolHarness()
        defer { harness.finish() }
        let result = await harness.acquire(Self.spec("split", rpc: [.tcp(host: "127.0.0.1", port: up.port), .tcp(host: "127.0.0.1", port: down)]))
        guard case .failure(let error) = result else {
            Issue.record("a model whose RPC server is down must not load")
            return
        }
        #expect(error.kind == .startFailed)
        let text = error.message + error.logTail.joined(separator: "\n")
        #expect(text.contains("RPC server 127.0.0.1:\(down) is unreachable (Connection refused)"), "\(text)")
        #expect(harness.recorder.lines.allSatisfy { !$0.contains("pid=") || $0.contains("pid=- ") }, "\(harness.recorder.lines)")
        #expect(harness.status("split")?.pid == nil)
        #expect(harness.status("split")?.state == .stopped)
    }

    @Test func aNameThatDoesNotResolveIsNamedAsSuch() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let result = await harness.acquire(Self.spec("split", rpc: [.tcp(host: "no-such-host.invalid", port: 50052)]))
        guard case .failure(let error) = result else {
            Issue.record("a model whose RPC server's name does not resolve must not load")
            return
        }
        let text = error.message + error.logTail.joined(separator: "\n")
        #expect(text.contains("RPC server no-such-host.invalid:50052 is unreachable (cannot resolve no-such-host.invalid"), "\(text)")
    }

    @Test func aDevicesRPCServersWinOverTheModelsAndACommandUsesNone() throws {
        let device = PoolDevice(name: "cluster", memoryBytes: 1 << 40)
        var withServers = device
        withServers.rpcServers = [.tcp(host: "10.0.0.2", port: 50052)]
        let spec = Self.spec("m", rpc: [.tcp(host: "10.0.0.9", port: 1)])
        #expect(ServerPool.rpcServers(of: spec, on: device) == [.tcp(host: "10.0.0.9", port: 1)])
        #expect(ServerPool.rpcServers(of: spec, on: withServers) == [.tcp(host: "10.0.0.2", port: 50052)])
        var command = spec
        command.command = UpstreamCommand(argv: ["server", "${PORT}"])
        #expect(ServerPool.rpcServers(of: command, on: withServers).isEmpty)
    }
}
