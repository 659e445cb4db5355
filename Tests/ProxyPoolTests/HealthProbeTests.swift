import Endpoints
import CSystem
import Foundation
import Glibc
import Testing
@testable import ProxyPool

@Suite struct HealthProbeTests {
    @Test func statusLineParsing() {
        #expect(HealthProbe.parseStatusCode(Array("HTTP/1.1 200 OK\r\n".utf8)) == 200)
        #expect(HealthProbe.parseStatusCode(Array("HTTP/1.0 503 Service Unavailable".utf8)) == 503)
        #expect(HealthProbe.parseStatusCode(Array("SSH-2.0-OpenSSH_9".utf8)) == nil)
        #expect(HealthProbe.parseStatusCode(Array("HTTP/1.1 2".utf8)) == nil)
    }

    @Test func nothingListeningIsNotReady() {
        #expect(!HealthProbe().isReady(.unixSocket(path: "/tmp/lsp-no-such-\(getpid()).sock")))
        #expect(!HealthProbe().isReady(.tcp(host: "127.0.0.1", port: Self.unusedPort())))
    }

    @Test func unixSocketServerIsNotReadyWhileLoadingThenReady() throws {
        let path = "/tmp/lsp-probe-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        defer { unlink(path) }  // SIGKILL leaves the socket file behind
        let answers = try Self.probeUntilReady(.unixSocket(path: path), hostArguments: ["--host", path])
        #expect(answers.first == false)  // listening but answering 503 during the load
        #expect(answers.last == true)
    }

    @Test func tcpServerBecomesReady() throws {
        let port = Self.unusedPort()
        let answers = try Self.probeUntilReady(
            .tcp(host: "127.0.0.1", port: port), hostArguments: ["--host", "127.0.0.1", "--port", String(port)])
        #expect(answers.last == true)
    }

    /// Runs the fake outside any pool and probes it every 10 ms for up to 5 s.
    static func probeUntilReady(_ endpoint: UpstreamEndpoint, hostArguments: [String]) throws -> [Bool] {
        let argv = [FakeServer.python, FakeServer.script, "-m", "probe.gguf", "--fake-load-ms", "700", "--fake-quiet"]
            + hostArguments
        var pid: pid_t = 0
        var childErrno: Int32 = 0
        let spawned = ChildProcess.withCStrings(argv) { csystem_spawn(FakeServer.python, $0, nil, -1, &pid, &childErrno) }
        try #require(spawned == 0)
        defer {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        var answers: [Bool] = []
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let ready = HealthProbe(timeout: 1).isReady(endpoint)
            // Only count answers once something listens, so "false" means 503, not "not up yet".
            if ready || !answers.isEmpty || Self.listening(endpoint) { answers.append(ready) }
            if ready { break }
            usleep(10_000)
        }
        return answers
    }

    static func listening(_ endpoint: UpstreamEndpoint) -> Bool {
        let fd = BlockingSocket.connect(endpoint, timeout: 1)
        if fd >= 0 { close(fd) }
        return fd >= 0
    }

    /// A port the kernel just handed out and nobody holds (racy in theory, fine for a test).
    static func unusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                _ = bind(fd, raw, length)
                return getsockname(fd, raw, &length)
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
