import Testing
@testable import ProxyConfig

@Suite struct RemoteConfigParsingTests {
    var fileSystem = FakeFileSystem()

    func parse(_ models: String, extra: String = "") throws(ConfigError) -> ProxyConfiguration {
        try fileSystem.parse(#"{"llama_server": "bin/llama-server", "models": {"# + models + "}" + extra + "}")
    }

    func error(_ models: String, extra: String = "") -> String? {
        fileSystem.error(#"{"llama_server": "bin/llama-server", "models": {"# + models + "}" + extra + "}")
    }

    @Test func readsARemoteModelWithEveryKey() throws {
        let config = try parse("""
            "big": {"urls": ["http://10.0.0.2:8080", "http://gpu-b.lan:9000/", "http://[::1]:7000"], "api_key": "sk-remote",
                    "health_path": "/v1/models", "health_check_seconds": 2.5, "aliases": ["large"],
                    "filters": {"upstream_model": "Qwen/Qwen3-32B"}, "variants": {"fast": {"reasoning_effort": "low"}}}
            """)
        let model = try #require(config.models.first)
        #expect(model.path == "")
        #expect(model.command == nil)
        #expect(model.aliases == ["large"])
        #expect(model.filters.upstreamModel == "Qwen/Qwen3-32B")
        #expect(model.remote == ModelRemote(
            addresses: [.init(host: "10.0.0.2", port: 8080), .init(host: "gpu-b.lan", port: 9000), .init(host: "::1", port: 7000)],
            apiKey: "sk-remote", healthPath: "/v1/models", healthCheckSeconds: 2.5))
        #expect(model.remote?.addresses.last?.description == "[::1]:7000")
    }

    @Test func oneURLDefaultsToPort80HealthAndNoKey() throws {
        let config = try parse(#""r": {"url": "http://example.test"}"#)
        #expect(config.models.first?.remote == ModelRemote(addresses: [.init(host: "example.test", port: 80)], healthPath: "/health"))
    }

    @Test func healthPathNullOrEmptyMeansConnectOnly() throws {
        for value in ["null", #""""#] {
            let config = try parse(#""r": {"url": "http://127.0.0.1:1", "health_path": "# + value + "}")
            #expect(config.models.first?.remote?.healthPath == nil, "health_path \(value)")
        }
    }

    @Test mutating func readsTheKeyFromAFileWithoutQuotingIt() throws {
        fileSystem.contents["/etc/proxy/remote.key"] = "# the key of gpu-b\nsk-from-file\n"
        let config = try parse(#""r": {"url": "http://127.0.0.1:1", "api_key_file": "remote.key"}"#)
        #expect(config.models.first?.remote?.apiKey == "sk-from-file")
        fileSystem.contents["/etc/proxy/remote.key"] = "sk-one\nsk-two secret-part\n"
        let message = error(#""r": {"url": "http://127.0.0.1:1", "api_key_file": "remote.key"}"#)
        #expect(message?.contains("models.r.api_key_file: line 2: a key must be") == true, "\(message ?? "accepted")")
        #expect(message?.contains("secret-part") == false)
    }

    @Test func aKeyFileMustHoldOneKey() {
        var fileSystem = fileSystem
        fileSystem.contents["/etc/proxy/remote.key"] = "sk-one\nsk-two\n"
        let message = fileSystem.error(#"{"llama_server": "bin/llama-server", "models": {"r": {"url": "http://h:1", "api_key_file": "remote.key"}}}"#)
        #expect(message?.contains("must hold exactly one key, has 2") == true, "\(message ?? "accepted")")
        #expect(message?.contains("sk-one") == false)
    }

    @Test func anInvalidInlineKeyIsRefusedWithoutQuotingIt() {
        let message = error(#""r": {"url": "http://h:1", "api_key": "sk bad\nkey"}"#)
        #expect(message?.contains("models.r.api_key: a key must be 1 to 1024 printable ASCII characters") == true, "\(message ?? "accepted")")
        #expect(message?.contains("bad") == false)
    }

    @Test func aRemoteModelCannotBePreloadedOrGrouped() {
        let preload = error(#""r": {"url": "http://h:1", "aliases": ["ra"]}"#, extra: #", "preload": ["ra"]"#)
        #expect(preload?.contains("preload[0]: model r is served at a URL: the proxy does not load it") == true, "\(preload ?? "accepted")")
        let group = error(#""r": {"url": "http://h:1"}, "a": {"path": "models/tiny-a.gguf"}"#,
                          extra: #", "groups": {"g": {"members": ["a", "r"]}}"#)
        #expect(group?.contains("model r is served at a URL") == true, "\(group ?? "accepted")")
    }

    @Test(arguments: [
        (#""m": {"url": "https://api.example.com"}"#, "models.m.url: https is not supported (the proxy speaks plain HTTP/1.1); run a TLS sidecar"),
        (#""m": {"url": "HTTPS://api.example.com"}"#, "models.m.url: https is not supported"),
        (#""m": {"url": "ftp://host"}"#, "models.m.url: expected an http://host:port URL"),
        (#""m": {"url": "host:8080"}"#, "models.m.url: expected an http://host:port URL"),
        (#""m": {"url": "http://host:8080/v1"}"#, "models.m.url: give the server's root (http://host:port), without a path"),
        (#""m": {"url": "http://host:8080?x=1"}"#, "models.m.url: give the server's root"),
        (#""m": {"url": "http://user:pw@host:8080"}"#, "models.m.url: credentials in the URL are not supported"),
        (#""m": {"url": "http://host:0"}"#, "models.m.url: the port must be a number from 1 to 65535"),
        (#""m": {"url": "http://host:99999"}"#, "models.m.url: the port must be a number from 1 to 65535"),
        (#""m": {"url": "http://host:"}"#, "models.m.url: the port must be a number"),
        (#""m": {"url": "http://:80"}"#, "models.m.url: the host is missing"),
        (#""m": {"url": "http://[::1"}"#, "models.m.url: an IPv6 address must end with ]"),
        (#""m": {"url": ""}"#, "models.m.url: expected an http://host:port URL, got"),
        (#""m": {"url": 8080}"#, "models.m.url: expected an http://host:port URL, got"),
        (#""m": {"urls": []}"#, "models.m.urls: give at least one http://host:port URL"),
        (#""m": {"urls": ["http://a:1", "https://b:2"]}"#, "models.m.urls[1]: https is not supported"),
        (#""m": {"urls": ["http://a:1", "http://a:1/"]}"#, "models.m.urls[1]: a:1 is listed twice"),
        (#""m": {"url": "http://a:1", "urls": ["http://b:1"]}"#, "models.m.urls: give either `url` or `urls`, not both"),
        (#""m": {"url": "http://a:1", "path": "models/tiny-a.gguf"}"#, "models.m.path: not for a remote model (`url`/`urls`)"),
        (#""m": {"url": "http://a:1", "cmd": ["x", "${PORT}"]}"#, "models.m.cmd: not for a remote model"),
        (#""m": {"url": "http://a:1", "args": ["-c", "1"]}"#, "models.m.args: not for a remote model"),
        (#""m": {"url": "http://a:1", "memory_mib": 100}"#, "models.m.memory_mib: not for a remote model"),
        (#""m": {"url": "http://a:1", "ttl_seconds": 5}"#, "models.m.ttl_seconds: not for a remote model"),
        (#""m": {"url": "http://a:1", "pinned": true}"#, "models.m.pinned: not for a remote model"),
        (#""m": {"url": "http://a:1", "queue_max": 5}"#, "models.m.queue_max: not for a remote model"),
        (#""m": {"url": "http://a:1", "api_key": "k", "api_key_file": "k.txt"}"#, "models.m.api_key_file: give either `api_key` or `api_key_file`"),
        (#""m": {"url": "http://a:1", "api_key_file": "missing.key"}"#, "models.m.api_key_file:"),
        (#""m": {"url": "http://a:1", "health_path": "health"}"#, "models.m.health_path: expected a path starting with \"/\""),
        (#""m": {"url": "http://a:1", "health_check_seconds": 0}"#, "models.m.health_check_seconds: expected a number of seconds above 0"),
        (#""m": {"path": "models/tiny-a.gguf", "api_key": "k"}"#, "models.m.api_key: only for a remote model (with `url` or `urls`)"),
        (#""m": {"path": "models/tiny-a.gguf", "health_path": "/h"}"#, "models.m.health_path: only for a remote model"),
        (#""m": {"cmd": ["x", "${PORT}"], "health_check_seconds": 1}"#, "models.m.health_check_seconds: only for a remote model"),
    ])
    func refusesWithTheKeyNamed(_ models: String, _ expected: String) {
        let message = error(models)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }
}
