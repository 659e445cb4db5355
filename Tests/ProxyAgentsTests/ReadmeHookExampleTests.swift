import Foundation
import LlamaSmartProxyPluginContract
import ProxyAgents
import Testing

/// The C response hook of plugin-sdk/README.md, compiled from the README itself and loaded by
/// the proxy's loader: the example stays complete and true.
@Suite struct ReadmeHookExampleTests {
    static func readmeBlock() throws -> String {
        let readme = try String(contentsOfFile: PluginFixtures.sdkInclude + "/../README.md", encoding: .utf8)
        let marker = try #require(readme.range(of: "<!-- c-hook-example"))
        let start = try #require(readme.range(of: "```c\n", range: marker.upperBound..<readme.endIndex))
        let end = try #require(readme.range(of: "```\n", range: start.upperBound..<readme.endIndex))
        return String(readme[start.upperBound..<end.lowerBound])
    }

    static let request = Array(#"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#.utf8)

    func call(_ part: AnswerPart, _ data: String = "", round: Int = 0) -> AnswerCall {
        AnswerCall(exchange: 1, round: round, part: part, data: Array(data.utf8), requestJSON: Self.request, model: "m")
    }

    @Test func theCHookHoldsAStreamToItsEndAndAsksAgainForAnEmptyAnswer() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addCPlugin(as: "whole-stream.so", source: try Self.readmeBlock())
        let registry = fixtures.loader.load(folder: fixtures.folder)
        let hook = try #require(registry.hooks["whole-stream"])
        #expect(registry.agents.isEmpty)
        #expect(hook.invoke(call(.chunk, #"{"choices":[{"delta":{"content":"Hi"}}]}"#)) == .hold)
        #expect(hook.invoke(call(.end)) == .pass)
        let empty = #"{"choices":[{"message":{"role":"assistant","content":""}}]}"#
        #expect(hook.invoke(call(.whole, empty)) == .retry(requestJSON: String(decoding: Self.request, as: UTF8.self)))
        #expect(hook.invoke(call(.whole, empty, round: 1)) == .fail(status: 502, message: "the model answered nothing twice"))
        #expect(hook.invoke(call(.whole, #"{"choices":[{"message":{"content":"Hi"}}]}"#)) == .pass)
        #expect(hook.invoke(call(.closed)) == .pass)
    }
}
