import Foundation
import Testing

@testable import ProxyAPI
@testable import ProxyAgents

/// The one check every request pays when plugins are loaded: is there a `"/` in the body at all?
@Suite struct AgentPrecheckTests {
    @Test(arguments: [
        (#"{"messages":[{"role":"user","content":"/help"}]}"#, true),
        (#"{"url":"/x"}"#, true),
        (#"{"messages":[{"role":"user","content":"a/b and /c"}]}"#, false),
        (#"{"image":"data:image/png;base64,ab/cd//ef"}"#, false),
        ("\"/", true),
        ("/", false),
        ("", false),
        ("/\"/", true),
    ])
    func findsAQuoteFollowedByASlash(body: String, expected: Bool) {
        #expect(AgentInvocationRequest.containsQuoteSlash(Array(body.utf8)) == expected)
    }

    @Test func aLargeBodyWithManySlashesButNoCommand() {
        let body = Array(("{\"image\":\"" + String(repeating: "ab/c", count: 1_000_000) + "\"}").utf8)
        #expect(!AgentInvocationRequest.containsQuoteSlash(body))
        #expect(AgentInvocationRequest.containsQuoteSlash(body + Array(",\"/".utf8)))
    }
}

/// `AgentInvocationRequest.find`: which bodies reach an agent, read by ProxyJSON alone.
@Suite struct AgentInvocationFindTests {
    static let registry = AgentRegistry(agents: [
        LoadedAgent(
            command: "help", summary: "", usage: "/help",
            plugin: PluginFile(name: "test", path: "/test.so", loadedPath: "/test.so", sha256: "", loadedAt: Date()), responseHook: nil,
            handle: { _, _, _ in }, release: { _, _ in }, context: nil),
    ])

    @Test(arguments: [
        (#"{"model":"m","messages":[{"role":"user","content":"/help me"}]}"#, "me", "m", false),
        (#"{"stream":true,"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:x/y;base64,a/b"}},{"type":"text","text":"/help\nmore"}]}],"model":"x"}"#, "\nmore", "x", true),
        (#"{"messages":[{"role":"user","content":"/help \u00e9\t\"q\""}],"model":"a","model":"b","stream":false}"#, "\u{e9}\t\"q\"", "b", false),
        (#"{"messages":[{"role":"user","content":"/help"}]}"#, "", "", false),
    ])
    func findsTheCommandModelAndStream(body: String, arguments: String, model: String, stream: Bool) throws {
        let found = try Self.agent(in: body)
        #expect(found.match.agent.command == "help")
        #expect(found.match.arguments == arguments)
        #expect(found.model == model)
        #expect(found.stream == stream)
    }

    @Test(arguments: [
        #"{"messages":[{"role":"user","content":"/etc/hosts is odd"}]}"#,  // not registered
        #"{"messages":[{"role":"user","content":"/help"},{"role":"user","content":"thanks"}]}"#,  // not the last one
        #"{"messages":[{"role":"assistant","content":"/help"}]}"#,
        #"{"messages":[{"role":"user","content":"\/help"}]}"#,  // the precheck looks for the bytes "/
        #"{"messages":[{"role":"user","content":"/help"}]"#,  // truncated
        #"[{"role":"user","content":"/help"}]"#,
        #""/help""#,
        "",
    ])
    func findsNothing(body: String) {
        #expect(AgentInvocationRequest.find(in: Array(body.utf8), registry: Self.registry) == nil)
    }

    @Test func aHugeBodyWithABase64ImageAndACommand() throws {
        let image = String(repeating: "iVBORw0KGgo/AAAA+bb/", count: 400_000)  // 8 MB
        let body = #"{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,"#
            + image + #""}},{"type":"text","text":"/help with this"}]}]}"#
        let found = try Self.agent(in: body)
        #expect(found.match.arguments == "with this")
    }

    static func agent(in body: String, registry: AgentRegistry = registry) throws -> AgentInvocationRequest {
        switch AgentInvocationRequest.find(in: Array(body.utf8), registry: registry) {
        case .agent(let found): return found
        case let other: throw LookupFailure(description: "expected an agent, got \(String(describing: other))")
        }
    }

    struct LookupFailure: Error, CustomStringConvertible { let description: String }

    static let withSkipped = AgentRegistry(
        agents: Array(registry.agents.values),
        skipped: [
            SkippedPluginFile(path: "/p/libReverse.so", reason: "group or others may write it (mode 0664)", commands: ["reverse"], commandsGuessed: true),
            SkippedPluginFile(path: "/p/libDup.so", reason: "registration refused: command /help is already registered by test",
                              commands: ["help", "dup"], commandsGuessed: false),
        ])

    @Test func aCommandOfASkippedFileIsToldWhyUnlessALoadedAgentServesIt() throws {
        let body = #"{"model":"m","messages":[{"role":"user","content":"/reverse stressed"}]}"#
        guard case .skipped(let command, let file, let model)? = AgentInvocationRequest.find(in: Array(body.utf8), registry: Self.withSkipped) else {
            throw LookupFailure(description: "expected the skipped file")
        }
        #expect(command == "reverse" && file.path == "/p/libReverse.so" && model == "m")
        let error = ModelDispatcher.skippedPluginError(command: command, file: file)
        #expect(error.status == 503 && error.code == "agent_unavailable")
        #expect(error.message == "the plugin file that would serve /reverse by its name, /p/libReverse.so, was not loaded: group or others may write it (mode 0664)")
        // /help is served by the loaded agent, although the skipped file claimed it too; /dup is not.
        #expect(try Self.agent(in: #"{"messages":[{"role":"user","content":"/help"}]}"#, registry: Self.withSkipped).match.agent.command == "help")
        guard case .skipped("dup", _, _)? = AgentInvocationRequest.find(
            in: Array(#"{"messages":[{"role":"user","content":"/dup x"}]}"#.utf8), registry: Self.withSkipped) else {
            throw LookupFailure(description: "expected /dup to name its skipped file")
        }
        // Other slash words still reach the model, and a skipped file alone still makes the scan.
        #expect(AgentInvocationRequest.find(in: Array(#"{"messages":[{"role":"user","content":"/reversed"}]}"#.utf8), registry: Self.withSkipped) == nil)
        let onlySkipped = AgentRegistry(skipped: Self.withSkipped.skipped)
        guard case .skipped? = AgentInvocationRequest.find(in: Array(body.utf8), registry: onlySkipped) else {
            throw LookupFailure(description: "a registry with skipped files only must still be scanned")
        }
    }

    @Test func noAgentsMeansNoScan() {
        #expect(AgentInvocationRequest.find(in: Array(#"{"messages":[{"role":"user","content":"/help"}]}"#.utf8), registry: AgentRegistry()) == nil)
    }
}
