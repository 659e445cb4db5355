import Dispatch
import Glibc
import ProxyAgents
import Synchronization
import Testing

@testable import ProxyAPI

/// The agent executor: a fixed set of threads, a bounded queue, deadlines that fire however busy
/// the threads are, and sub-calls cut at the deadline. Agents here block until the test lets
/// them go, so "past the deadline" never depends on the machine's speed.
@Suite struct AgentRunnerTests {
    /// Outcomes as they arrive, in order.
    final class Recorder: Sendable {
        private let outcomes = Mutex<[String]>([])
        private let arrived = DispatchSemaphore(value: 0)

        func record(_ outcome: AgentRunner.Outcome) {
            let name: String
            switch outcome {
            case .finished(let result): name = "finished \(result)"
            case .timedOut: name = "timedOut"
            case .busy: name = "busy"
            }
            outcomes.withLock { $0.append(name) }
            arrived.signal()
        }

        /// Waits for `count` more outcomes (the bound only guards against a hang).
        func waitFor(_ count: Int) -> Bool {
            (0..<count).allSatisfy { _ in arrived.wait(timeout: .now() + 60) == .success }
        }

        var all: [String] { outcomes.withLock { $0 } }
    }

    @Test func twentyAgentsPastTheirDeadlineOnFourThreadsAllGet504WhileStillRunning() throws {
        let runner = AgentRunner(timeout: 0.2, executor: BoundedExecutor(name: "test-agent", threads: 4, queueLimit: 256))
        let started = Atomic(0)
        let release = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        for _ in 0..<20 {
            runner.run({
                started.add(1, ordering: .relaxed)
                release.wait()  // sleeps past its deadline until the test lets it go
                return .reply("late")
            }, completion: recorder.record)
        }
        try #require(recorder.waitFor(20))
        // Every request timed out while the four running agents are still stuck.
        #expect(recorder.all == Array(repeating: "timedOut", count: 20))
        #expect(started.load(ordering: .relaxed) == 4)

        for _ in 0..<20 { release.signal() }
        // FIFO: once this marker runs, every earlier invocation has been taken by a thread.
        let drained = DispatchSemaphore(value: 0)
        #expect(runner.executor.submit { drained.signal() })
        try #require(drained.wait(timeout: .now() + 60) == .success)
        // The 16 that timed out in the queue never started, and the late results are ignored.
        #expect(started.load(ordering: .relaxed) == 4)
        #expect(recorder.all.count == 20)
    }

    @Test func beyondTheQueueARequestIsRefusedAtOnce() throws {
        let runner = AgentRunner(timeout: 600, executor: BoundedExecutor(name: "test-busy", threads: 1, queueLimit: 2))
        let release = DispatchSemaphore(value: 0)
        let running = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        runner.run({
            running.signal()
            release.wait()
            return .reply("first")
        }, completion: recorder.record)
        try #require(running.wait(timeout: .now() + 60) == .success)
        runner.run({ .reply("second") }, completion: recorder.record)
        runner.run({ .reply("third") }, completion: recorder.record)
        runner.run({ .reply("fourth") }, completion: recorder.record)
        // Refused synchronously, before anything else finished.
        #expect(recorder.all == ["busy"])
        release.signal()
        try #require(recorder.waitFor(4))
        #expect(recorder.all == ["busy", #"finished reply("first")"#, #"finished reply("second")"#, #"finished reply("third")"#])
    }

    @Test func aTimedOutAgentsSubCallIsClosedAndFurtherCallsFailAtOnce() throws {
        let server = try SilentServer()
        let client = LoopbackChatClient(credential: .random())
        client.setAddress(host: "127.0.0.1", port: server.port)
        let runner = AgentRunner(timeout: 0.2, executor: BoundedExecutor(name: "test-cut", threads: 1, queueLimit: 0))
        let subCalls = Mutex<[Int]>([])
        let agentReturned = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        runner.run({
            // The first call hangs (the server never answers) until the deadline cuts it.
            client.complete(#"{"model":"m","messages":[]}"#) { status, _ in subCalls.withLock { $0.append(status) } }
            client.complete(#"{"model":"m","messages":[]}"#) { status, _ in subCalls.withLock { $0.append(status) } }
            agentReturned.signal()
            return .reply("done")
        }, completion: recorder.record)
        try #require(recorder.waitFor(1))
        #expect(recorder.all == ["timedOut"])
        try #require(agentReturned.wait(timeout: .now() + 60) == .success)
        #expect(subCalls.withLock { $0 } == [504, 504])
        // The proxy side saw its client leave (end of file after the request), and the second
        // call never connected.
        #expect(server.sawEndOfFileAfterARequest())
        #expect(server.acceptedConnections == 1)
    }
}

/// A TCP listener on loopback that accepts, reads everything and never answers.
final class SilentServer: Sendable {
    let port: Int
    private let listener: Int32
    private let accepted = Atomic(0)
    private let endOfFile = DispatchSemaphore(value: 0)
    private let requestBytes = Atomic(0)

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(listener, pointer, length) == 0 && listen(listener, 8) == 0
                    && getsockname(listener, pointer, &length) == 0
            }
        }
        try #require(bound)
        port = Int(UInt16(bigEndian: address.sin_port))
        DispatchQueue(label: "silent-server").async { [self] in serveOneConnection() }
    }

    private func serveOneConnection() {
        let connection = accept(listener, nil, nil)
        guard connection >= 0 else { return }
        accepted.add(1, ordering: .relaxed)
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(connection, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            requestBytes.add(count, ordering: .relaxed)
        }
        endOfFile.signal()
        close(connection)
    }

    func sawEndOfFileAfterARequest() -> Bool {
        endOfFile.wait(timeout: .now() + 60) == .success && requestBytes.load(ordering: .relaxed) > 0
    }

    /// Connections accepted so far, counting any still waiting in the backlog.
    var acceptedConnections: Int {
        var pending = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        return accepted.load(ordering: .relaxed) + (poll(&pending, 1, 0) > 0 ? 1 : 0)
    }

    deinit { close(listener) }
}
