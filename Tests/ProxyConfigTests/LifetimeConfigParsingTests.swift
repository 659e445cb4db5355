import Testing
@testable import ProxyConfig

@Suite struct LifetimeConfigParsingTests {
    let fileSystem = FakeFileSystem()

    static func config(_ members: String, modelsDir: Bool = false) -> String {
        let folder = modelsDir ? #", "models_dir": "models""# : ""
        return #"{"llama_server": "bin/llama-server"\#(folder), "models": {"a": {"path": "models/tiny-a.gguf", "aliases": ["alpha"]}, "b": {"path": "models/tiny-b.gguf"}}, \#(members)}"#
    }

    @Test func readsTTLPreloadPinningGroupsAndTheirTimeouts() throws {
        let config = try fileSystem.parse("""
            {
              "llama_server": "bin/llama-server",
              "ttl_seconds": 300,
              "preload": ["a", "alpha"],
              "models": {
                "a": {"path": "models/tiny-a.gguf", "aliases": ["alpha"], "ttl_seconds": 0, "pinned": true},
                "b": {"path": "models/tiny-b.gguf", "ttl_seconds": 2.5}
              },
              "groups": {
                "solo": {"members": ["a"]},
                "pair": {"members": ["b"], "swap": false, "exclusive": false, "persistent": true}
              },
              "timeouts": {"stop_seconds": 3, "health_check_seconds": 0.5, "health_check_timeout_seconds": 1, "slot_save_seconds": 7},
              "limits": {"health_check_failures": 5, "slot_cache_mib": 0}
            }
            """)
        #expect(config.ttlSeconds == 300)
        #expect(config.preload == ["a", "alpha"])
        #expect(config.models.map(\.ttlSeconds) == [0, 2.5])
        #expect(config.models.map(\.pinned) == [true, false])
        #expect(config.groups == [
            ModelGroup(name: "solo", members: ["a"]),
            ModelGroup(name: "pair", members: ["b"], swap: false, exclusive: false, persistent: true),
        ])
        #expect(config.timeouts.stop == 3)
        #expect(config.timeouts.healthCheck == 0.5)
        #expect(config.timeouts.healthCheckTimeout == 1)
        #expect(config.limits.healthCheckFailures == 5)
        #expect(config.timeouts.slotSave == 7)
        #expect(config.limits.slotCacheMiB == 0)
    }

    @Test func defaultsKeepTodaysBehaviour() throws {
        let config = try fileSystem.parse(#"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf"}}}"#)
        #expect(config.ttlSeconds == 0)
        #expect(config.preload.isEmpty)
        #expect(config.groups.isEmpty)
        #expect(config.models[0].ttlSeconds == nil)
        #expect(config.models[0].pinned == false)
        #expect(config.timeouts.stop == 10)
        #expect(config.timeouts.healthCheck == 10)
        #expect(config.timeouts.healthCheckTimeout == 5)
        #expect(config.limits.healthCheckFailures == 3)
        #expect(config.timeouts.slotSave == 30)
        #expect(config.limits.slotCacheMiB == 4096)
    }

    @Test func withAModelsFolderAnyNameMayBeAMemberOrPreloaded() throws {
        let config = try fileSystem.parse(Self.config(#""preload": ["found-later"], "groups": {"g": {"members": ["found-later"]}}"#, modelsDir: true))
        #expect(config.preload == ["found-later"])
        #expect(config.groups.first?.members == ["found-later"])
    }

    static let errors: [(String, String)] = [
        (config(#""ttl_seconds": -1"#), "ttl_seconds: expected a number of seconds from 0 to 31536000, got -1"),
        (config(#""ttl_second": 1"#), "ttl_second: unknown key (did you mean ttl_seconds?)"),
        (config(#""preload": "a""#), #"preload: expected an array of strings, got "a""#),
        (config(#""preload": ["a", "nope"]"#), "preload[1]: unknown model nope (no such id in models, and there is no models_dir)"),
        (config(#""groups": []"#), "groups: expected an object, got an array"),
        (config(#""groups": {"g": {"members": []}}"#), "groups.g.members: missing or empty; list the model ids of the group"),
        (config(#""groups": {"g": {}}"#), "groups.g.members: missing or empty; list the model ids of the group"),
        (config(#""groups": {"g": {"members": ["a"], "swaps": true}}"#), "groups.g.swaps: unknown key (did you mean swap?)"),
        (config(#""groups": {"g": {"members": ["a"], "exclusive": 1}}"#), "groups.g.exclusive: expected true or false, got 1"),
        (config(#""groups": {"g": {"members": ["alpha"]}}"#), "groups.g.members[0]: alpha is an alias of model a; name the model by its id"),
        (config(#""groups": {"g": {"members": ["a", "a"]}}"#), "groups.g.members[1]: model a is listed twice; a model belongs to one group at most"),
        (config(#""groups": {"g": {"members": ["a"]}, "h": {"members": ["b", "a"]}}"#),
         "groups.h.members[1]: model a is already a member of group g; a model belongs to one group at most"),
        (config(#""groups": {"g": {"members": ["zz"]}}"#), "groups.g.members[0]: unknown model zz (no such id in models, and there is no models_dir)"),
        (#"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf", "pinned": "yes"}}}"#,
         #"models.a.pinned: expected true or false, got "yes""#),
        (#"{"llama_server": "bin/llama-server", "models": {"a": {"path": "models/tiny-a.gguf", "pined": true}}}"#,
         "models.a.pined: unknown key (did you mean pinned?)"),
        (config(#""timeouts": {"health_check_timeout_seconds": 0}"#),
         "timeouts.health_check_timeout_seconds: expected a number of seconds above 0, at most 31536000, got 0"),
        (config(#""timeouts": {"stop_seconds": -2}"#), "timeouts.stop_seconds: expected a number of seconds from 0 to 31536000, got -2"),
        (config(#""limits": {"health_check_failures": 0}"#), "limits.health_check_failures: expected an integer from 1 to 1000, got 0"),
        (config(#""limits": {"slot_cache_mib": -1}"#), "limits.slot_cache_mib: expected an integer from 0 to 1073741824 (0: off), got -1"),
        (config(#""timeouts": {"slot_save_seconds": "x"}"#), #"timeouts.slot_save_seconds: expected a number of seconds from 0 to 31536000, got "x""#),
    ]

    @Test(arguments: errors)
    func refusesWithAClearMessage(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == expected)
    }
}
