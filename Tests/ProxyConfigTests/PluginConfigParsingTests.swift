import Testing
@testable import ProxyConfig

/// The keys for agent plugins: their folder, their deadline and each plugin's own section.
@Suite struct PluginConfigParsingTests {
    let fileSystem = FakeFileSystem()

    func parse(_ members: String) throws(ConfigError) -> ProxyConfiguration {
        try fileSystem.parse(#"{"llama_server": "bin/llama-server", \#(members)}"#)
    }

    @Test(arguments: [
        ("plugins", "/etc/proxy/plugins"),
        ("./plugins/", "/etc/proxy/plugins"),
        ("bin/../plugins", "/etc/proxy/plugins"),
        ("/opt/shared", "/opt/shared"),
    ])
    func pluginsDirIsMadeAbsoluteRelativeToTheConfigFolder(_ written: String, _ resolved: String) throws {
        #expect(try parse(#""plugins_dir": "\#(written)""#).pluginsDir == resolved)
    }

    @Test func eachSectionIsKeptAsCompactJSONWithNumbersAsWritten() throws {
        let config = try parse("""
            "plugin_config": {
              "compare": { "models": [ "tiny", "big" ], "max_tokens": 256, "temperature": 0.50 },
              "sys": "You are \\"terse\\".\\n",
              "temp": 1e-1,
              "help": true,
              "off": null,
              "list": [ ],
              "exact": 123456789012345678901234567890
            }
            """)
        #expect(config.pluginConfig == [
            "compare": #"{"models":["tiny","big"],"max_tokens":256,"temperature":0.50}"#,
            "sys": #""You are \"terse\".\n""#,
            "temp": "1e-1",
            "help": "true",
            "off": "null",
            "list": "[]",
            "exact": "123456789012345678901234567890",
        ])
    }

    @Test func sectionsMayUseAnyKeysTheirPluginWants() throws {
        // Unknown-key checks stop at the plugin's section: its contents belong to the plugin.
        let config = try parse(#""plugin_config": {"x": {"hots": 1, "dup": 1, "dup": 2}}"#)
        #expect(config.pluginConfig == ["x": #"{"hots":1,"dup":1,"dup":2}"#])
    }

    @Test func emptyPluginConfigIsAllowed() throws {
        #expect(try parse(#""plugin_config": {}"#).pluginConfig.isEmpty)
    }

    @Test(arguments: [("0.001", 0.001), ("30", 30), ("31536000", 31_536_000)])
    func agentDeadlineAcceptsAnyPositiveNumberOfSeconds(_ written: String, _ seconds: Double) throws {
        let config = try parse(#""timeouts": {"agent_seconds": \#(written)}"#)
        #expect(config.timeouts == Timeouts(agent: seconds))
    }
}
