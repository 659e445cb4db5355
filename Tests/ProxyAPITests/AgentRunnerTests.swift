import Dispatch
import Glibc
import ProxyAgents
import ProxyHTTP
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

    @Test func aTimedOutAgentsSubCallIsStoppedAndFurtherCallsFailAtOnce() throws {
        let group = EventLoopGroup(count: 1)
        defer { group.stop() }
        let handler = SilentHandler()
        let route = InProcessRoute(credentialToken: "token")
        route.attach(handler: handler, group: group)
        let client = InProcessChatCompletion(route: route)
        let runner = AgentRunner(timeout: 0.2, executor: BoundedExecutor(name: "test-cut", threads: 1, queueLimit: 0))
        let subCalls = Mutex<[Int]>([])
        let agentReturned = DispatchSemaphore(value: 0)
        let recorder = Recorder()
        runner.run({
            // The first call hangs (the handler never answers) until the deadline stops it.
            client.complete(#"{"model":"m","messages":[]}"#) { status, _ in subCalls.withLock { $0.append(status) } }
            client.complete(#"{"model":"m","messages":[]}"#) { status, _ in subCalls.withLock { $0.append(status) } }
            agentReturned.signal()
            return .reply("done")
        }, completion: recorder.record)
        try #require(recorder.waitFor(1))
        #expect(recorder.all == ["timedOut"])
        try #require(agentReturned.wait(timeout: .now() + 60) == .success)
        #expect(subCalls.withLock { $0 } == [504, 504])
        // The router saw its client leave (the model slot would be freed), and the second call
        // never reached it.
        #expect(handler.requests == 1 && handler.clientsGone == 1)
        #expect(handler.sawCredential)
    }
}

/// A router that takes requests and never answers; it counts them and the clients that leave.
final class SilentHandler: HTTPRequestHandler, @unchecked Sendable {
    private let state = Mutex<(requests: Int, gone: Int, credential: Bool)>((0, 0, false))
    var requests: Int { state.withLock { $0.requests } }
    var clientsGone: Int { state.withLock { $0.gone } }
    var sawCredential: Bool { state.withLock { $0.credential } }

    func handle(_ request: HTTPServerRequest, responder: HTTPResponder) {
        let credential = request.head.headers[LoopbackCredential.headerName] == "token"
        state.withLock { state in
            state.requests += 1
            state.credential = credential
        }
        responder.onClientGone = { [self] in state.withLock { $0.gone += 1 } }
    }
}
