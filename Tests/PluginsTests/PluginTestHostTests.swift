import Dispatch
import LlamaSmartProxyPluginSDK
import LlamaSmartProxyPluginTesting
import ProxyJSON
import Synchronization
import Testing

/// The test host itself, with agents given as values: what it records, what it refuses, and
/// the bytes it says a model would get.
@Suite struct PluginTestHostTests {
    struct Configured: Agent {
        let command = "conf"
        let summary = "Replies with its configuration."
        let usage = "/conf"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
            invocation.host.log("reading config", level: .warning)
            return .reply(invocation.host.configJSON())
        }
    }

    struct Rewriting: Agent {
        let command = "rewrite"
        let summary = "Sends a new request."
        let usage = "/rewrite"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
            .continueWith(requestJSON: #"{"model":"\#(invocation.model)","messages":[]}"#)
        }
    }

    struct Broken: Agent {
        struct Oops: Error {}
        let command = "broken"
        let summary = "Throws, or patches badly."
        let usage = "/broken [patch]"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
            if invocation.arguments == "patch" { return .patch(RequestPatch(set: ["x": .raw("not json")])) }
            throw Oops()
        }
    }

    struct Asking: Agent {
        let command = "ask"
        let summary = "Asks a model and waits for the answer, which arrives on another thread."
        let usage = "/ask <prompt>"
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome {
            let answer = Mutex<(Int, String)?>(nil)
            let done = DispatchSemaphore(value: 0)
            invocation.host.completeChat(requestJSON: TestChatRequest.json(messages: [.user(invocation.arguments)])) { status, body in
                answer.withLock { $0 = (status, body) }
                done.signal()
            }
            done.wait()
            let (status, body) = answer.withLock { $0 } ?? (0, "")
            return .reply("\(status) \(body)")
        }
    }

    struct FirstWord: StreamingAgent {
        let command = "first"
        let summary = "Streams the model's first chunk, then stops its call."
        let usage = "/first <prompt>"
        func stream(_ invocation: AgentInvocation, to reply: AgentReplyWriter) async throws {
            for try await chunk in invocation.host.streamChat(requestJSON: TestChatRequest.json(messages: [.user(invocation.arguments)]),
                                                              reply: reply.id) {
                reply.send(chunk.contentDelta ?? "")
                break
            }
        }
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome { .fail(status: 501, message: "needs a streaming host") }
    }

    struct Silent: StreamingAgent {
        let command = "silent"
        let summary = "Never ends its reply."
        let usage = "/silent"
        func stream(_ invocation: AgentInvocation, to reply: AgentReplyWriter) async throws {
            try await Task.sleep(for: .seconds(30))
        }
        func handle(_ invocation: AgentInvocation) throws -> AgentOutcome { .fail(status: 501, message: "needs a streaming host") }
    }

    @Test func aStreamedCallLeftEarlyIsCancelledOnce() async throws {
        let host = PluginTestHost(streams: { _ in .deltas(["Hello", " there"], endsAfterChunks: false) })
        try host.load(agents: [FirstWord()])
        let call = try await host.invoke(messages: [.user("/first hi")])
        #expect(call.outcome == .reply("Hello") && call.deltas == ["Hello"])
        #expect(host.streamRequests == [#"{"messages":[{"content":"hi","role":"user"}],"model":"test-model"}"#])
        #expect(host.cancelledStreams == 1)
    }

    @Test func aReplyNeverFinishedFailsWith504AtTheDeadline() async throws {
        let host = PluginTestHost(replyTimeoutSeconds: 0.2)
        try host.load(agents: [Silent()])
        let call = try await host.invoke(messages: [.user("/silent")])
        #expect(call.outcome == .fail(status: 504, message: "/silent did not finish its reply within 0.2 s"))
    }

    @Test func onAnOlderHostAStreamingAgentRunsItsHandle() async throws {
        let host = PluginTestHost(supportsReplies: false)
        try host.load(agents: [Silent()])
        let call = try await host.invoke(messages: [.user("/silent")])
        #expect(!call.pending && call.outcome == .fail(status: 501, message: "needs a streaming host"))
    }

    @Test func configurationAndLogLinesAreRecorded() throws {
        let host = PluginTestHost(pluginConfig: #"{"greeting":"Hi"}"#)
        try host.load(name: "configured", agents: [Configured()])
        #expect(try host.invoke(messages: [.user("/conf")]).outcome == .reply(#"{"greeting":"Hi"}"#))
        #expect(host.configReads == 1)
        #expect(host.logLines == [PluginTestHost.LogLine(level: .warning, text: "reading config")])
    }

    @Test func aCompletionIsScriptedRecordedAndAnsweredOnce() throws {
        let host = PluginTestHost { _ in .error(status: 429, message: "busy") }
        try host.load(agents: [Asking()])
        let call = try host.invoke(messages: [.user("/ask why?")])
        #expect(call.outcome == .reply(#"429 {"error":{"message":"busy","type":"server_error"}}"#))
        #expect(host.completionRequests == [#"{"messages":[{"content":"why?","role":"user"}],"model":"test-model"}"#])
    }

    @Test func aNewRequestIsWhatTheModelGets() throws {
        let host = PluginTestHost()
        try host.load(agents: [Rewriting()])
        let call = try host.invoke(messages: [.user("/rewrite")], model: "tiny-b")
        #expect(try call.modelRequest() == #"{"model":"tiny-b","messages":[]}"#)
    }

    @Test func aThrownErrorFailsWith500AndABadPatchIsRefusedAsTheProxyWould() throws {
        let host = PluginTestHost()
        try host.load(agents: [Broken()])
        let thrown = try host.invoke(messages: [.user("/broken")])
        #expect(thrown.outcome == .fail(status: 500, message: "agent /broken failed: Oops()"))
        let patched = try host.invoke(messages: [.user("/broken patch")])
        #expect(patched.outcome == .patch(json: #"{"x":not json}"#))
        #expect(throws: TopLevelPatchError.self) { try patched.modelRequest() }
    }

    @Test func aCommandAnotherPluginServesRefusesTheWholePlugin() throws {
        let host = PluginTestHost(otherAgents: [AgentListing(command: "/conf", summary: "", usage: "/conf", plugin: "elsewhere")])
        #expect(throws: PluginTestError.refused("registration failed (code -2): command /conf is already registered by elsewhere")) {
            try host.load(agents: [Configured()])
        }
        #expect(host.commands == [])
    }

    @Test func oneHostHoldsOnePluginAndItsOwnCommandsOnce() throws {
        let twice = PluginTestHost()
        #expect(throws: PluginTestError.refused("registration failed (code -2): command /conf is already registered by test-plugin")) {
            try twice.load(agents: [Configured(), Configured()])
        }
        let host = PluginTestHost()
        try host.load(agents: [Configured()])
        #expect(throws: PluginTestError.alreadyLoaded) { try host.load(agents: [Rewriting()]) }
    }

    @Test func aLibraryThatIsNoPluginIsRefused() {
        #expect(throws: PluginTestError.self) { try PluginTestHost().load(library: "/nonexistent/libNothing.so") }
    }
}
