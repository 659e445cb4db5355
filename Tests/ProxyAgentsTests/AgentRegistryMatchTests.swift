import ProxyAgents
import Testing

@Suite struct AgentRegistryMatchTests {
    static let registry: AgentRegistry = {
        let fixtures = try! PluginFixtures()
        try! fixtures.addCPlugin(as: "echo.so")
        return fixtures.loader.load(folder: fixtures.folder)
    }()

    @Test func findsARegisteredCommandAndItsArguments() throws {
        let match = try #require(Self.registry.match("/echo \t hello  world "))
        #expect(match.agent.command == "echo")
        #expect(match.arguments == "hello  world ")
    }

    @Test func aCommandAloneHasNoArguments() throws {
        #expect(try #require(Self.registry.match("/echo")).arguments == "")
        #expect(try #require(Self.registry.match("/echo\nnext line")).arguments == "\nnext line")
    }

    @Test(arguments: ["/etc/hosts is odd", "/echoes hello", "echo /echo", " /echo x", "/", "", "/ECHO x"])
    func onlyARegisteredCommandAtTheStartMatches(_ text: String) {
        #expect(Self.registry.match(text) == nil)
    }
}
