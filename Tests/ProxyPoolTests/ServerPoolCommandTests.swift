import Endpoints
import Foundation
import Glibc
import Testing
@testable import ProxyPool

/// Command upstreams through a real pool: the fake llama-server started by a `cmd` argv.
@Suite struct ServerPoolCommandTests {
    static func spec(_ modelID: String, _ command: UpstreamCommand, stopSeconds: Double? = nil) -> LaunchSpec {
        LaunchSpec(modelID: modelID, executable: command.argv[0], arguments: [], command: command, stopSeconds: stopSeconds)
    }

    @Test func aPortCommandListensOnAFreeLoopbackPortAndGetsItsEnvironment() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        // The shell reads the alias from the environment the command was given.
        let command = UpstreamCommand(
            argv: ["/bin/sh", "-c", #"exec "$0" "$1" --host 127.0.0.1 --port "$2" --alias "$ALIAS""#,
                   FakeServer.python, FakeServer.script, "${PORT}"],
            environment: ["ALIAS": "served-as-${PORT}"])
        let lease = try await harness.lease(Self.spec("tcp", command))
        guard case .tcp(let host, let port) = lease.endpoint else {
            Issue.record("expected a TCP endpoint, got \(lease.endpoint)")
            return
        }
        #expect(host == "127.0.0.1")
        #expect(port > 0)
        let models = try #require(get(lease.endpoint, "/v1/models"))
        #expect(models.contains("\"served-as-\(port)\""), "\(models)")
        #expect(harness.socketFiles().isEmpty)
        harness.pool.release(lease)
    }

    @Test func aSocketCommandListensOnItsUNIXSocket() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let command = UpstreamCommand(argv: [FakeServer.python, FakeServer.script, "--alias", "${SOCKET}", "--host", "${SOCKET}"])
        let lease = try await harness.lease(Self.spec("unix", command))
        guard case .unixSocket(let path) = lease.endpoint else {
            Issue.record("expected a UNIX socket endpoint, got \(lease.endpoint)")
            return
        }
        #expect(path.hasPrefix(harness.directory + "/unix-"))
        #expect(try #require(get(lease.endpoint, "/v1/models")).contains(path))
        harness.pool.release(lease)
    }

    @Test func withoutAReadyPathAnAcceptedConnectionIsReady() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let command = UpstreamCommand(
            argv: [FakeServer.python, FakeServer.script, "--fake-never-ready", "--host", "127.0.0.1", "--port", "${PORT}"],
            readyPath: nil)
        let lease = try await harness.lease(Self.spec("never-healthy", command))
        #expect(harness.status("never-healthy")?.state == .ready)
        #expect(try #require(get(lease.endpoint, "/health")).hasPrefix("HTTP/1.1 503"))
        harness.pool.release(lease)
    }

    @Test func aReadyPathOtherThanHealthIsAsked() async throws {
        let harness = PoolHarness(loadTimeout: 3)
        defer { harness.finish() }
        // The fake server answers 404 for /ready: never ready, so the load times out.
        let command = UpstreamCommand(
            argv: [FakeServer.python, FakeServer.script, "--host", "127.0.0.1", "--port", "${PORT}"], readyPath: "/ready")
        let result = await harness.acquire(Self.spec("wrong-path", command))
        guard case .failure(let error) = result else {
            Issue.record("a child whose ready path answers 404 should never be ready")
            return
        }
        #expect(error.kind == .loadTimeout, "\(error)")
    }

    /// The fake server ignores SIGTERM here, so only the configured SIGINT stops it before the
    /// (long) stop grace runs out and SIGKILL would.
    @Test func stopsByItsStopSignal() async throws {
        let harness = PoolHarness()
        let command = UpstreamCommand(
            argv: [FakeServer.python, FakeServer.script, "--fake-ignore-sigterm", "--host", "${SOCKET}"], stopSignal: SIGINT)
        harness.pool.release(try await harness.lease(Self.spec("interrupted", command, stopSeconds: 120)))
        let pid = try #require(harness.status("interrupted")?.pid)
        let started = Date()
        harness.finish()
        #expect(Date().timeIntervalSince(started) < 120, "not a speed check: SIGKILL after the grace would take 120 s")
        #expect(!processExists(pid))
    }

    @Test func stopsByItsStopCommandWithThePid() async throws {
        let harness = PoolHarness()
        let marker = harness.directory + "/stopped-pid"
        let command = UpstreamCommand(
            argv: [FakeServer.python, FakeServer.script, "--fake-ignore-sigterm", "--host", "127.0.0.1", "--port", "${PORT}"],
            stopCommand: ["/bin/sh", "-c", #"echo "$0" > "$1"; kill -INT "$0""#, "${PID}", marker])
        harness.pool.release(try await harness.lease(Self.spec("contained", command, stopSeconds: 120)))
        let pid = try #require(harness.status("contained")?.pid)
        let started = Date()
        harness.pool.shutdown(grace: 0)
        #expect(Date().timeIntervalSince(started) < 120, "not a speed check: SIGKILL after the grace would take 120 s")
        #expect(!processExists(pid))
        let written = try String(contentsOfFile: marker, encoding: .utf8)
        #expect(written.trimmingCharacters(in: .whitespacesAndNewlines) == String(pid))
        harness.finish()
    }

    @Test func aCommandThatCannotBeExecutedFailsTheLoad() async throws {
        let harness = PoolHarness()
        defer { harness.finish() }
        let result = await harness.acquire(Self.spec("missing", UpstreamCommand(argv: ["/nonexistent/server", "${PORT}"])))
        guard case .failure(let error) = result else {
            Issue.record("a missing executable should fail the load")
            return
        }
        #expect((error.message + error.logTail.joined()).contains("/nonexistent/server"), "\(error) \(error.logTail)")
    }

    /// One blocking GET; the whole response (status line, headers, body) as text.
    private func get(_ endpoint: UpstreamEndpoint, _ path: String) -> String? {
        let fd = BlockingSocket.connect(endpoint, timeout: 10)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        guard BlockingSocket.sendAll(fd, Array("GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".utf8)) else { return nil }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(fd, &buffer, buffer.count, 0)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
