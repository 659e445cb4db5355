import Testing
@testable import ProxyConfig

/// Every way a configuration can be refused, with the exact message the user reads.
@Suite struct ConfigErrorTests {
    let fileSystem = FakeFileSystem()

    /// Wraps `members` into a config that is otherwise valid.
    static func config(_ members: String) -> String {
        #"{"llama_server": "bin/llama-server"\#(members.isEmpty ? "" : ", " + members)}"#
    }

    static let cases: [(String, String)] = [
        // The document as a whole
        ("[]", "the configuration must be a JSON object"),
        ("\"x\"", "the configuration must be a JSON object"),
        (#"{"port": 1, "port": 2, "llama_server": "bin/llama-server"}"#, "port: duplicate key"),
        (config(#""hots": "x""#), "hots: unknown key (did you mean host?)"),
        (config(#""model": {}"#), "model: unknown key (did you mean models?)"),
        (config(#""zzzzzzzz": 1"#),
         "zzzzzzzz: unknown key (known keys: host, port, llama_server, models_dir, max_loaded, queue_max, loading_comment_seconds, send_loading_state, default_args, models, timeouts, limits, log_requests, plugins_dir, plugin_config, api_keys, api_keys_file, admin_api_keys, admin_api_keys_file, cors_origins, devices, scheduling, ttl_seconds, preload, groups, peers, nvidia_smi, pid_file, log_patched_requests)"),
        (config(#""plugin_dir": "plugins""#), "plugin_dir: unknown key (did you mean plugins_dir?)"),
        (config(#""plugins_config": {}"#), "plugins_config: unknown key (did you mean plugin_config?)"),
        (config(#""pluginConfig": {}"#), "pluginConfig: unknown key (did you mean plugin_config?)"),
        // Scalars
        (config(#""host": 1"#), "host: expected a host name or IP address, got 1"),
        (config(#""host": """#), #"host: expected a host name or IP address, got """#),
        (config(#""port": "a\"b\n""#), #"port: expected an integer from 0 to 65535, got "a\"b\n""#),
        (config(#""port": "80""#), #"port: expected an integer from 0 to 65535, got "80""#),
        (config(#""port": 65536"#), "port: expected an integer from 0 to 65535, got 65536"),
        (config(#""port": -1"#), "port: expected an integer from 0 to 65535, got -1"),
        (config(#""port": 80.0"#), "port: expected an integer from 0 to 65535, got 80.0"),
        (config(#""port": 1e2"#), "port: expected an integer from 0 to 65535, got 1e2"),
        (config(#""port": 99999999999999999999999"#), "port: expected an integer from 0 to 65535, got 99999999999999999999999"),
        (config(#""max_loaded": "two""#), #"max_loaded: expected an integer >= 1, got "two""#),
        (config(#""limits": {"agent_threads": 0}"#), "limits.agent_threads: expected an integer from 1 to 1024, got 0"),
        (config(#""limits": {"agent_queue": -1}"#), "limits.agent_queue: expected an integer from 0 to 1000000, got -1"),
        (config(#""max_loaded": 0"#), "max_loaded: expected an integer >= 1, got 0"),
        (config(#""max_loaded": null"#), "max_loaded: expected an integer >= 1, got null"),
        (config(#""log_requests": "yes""#), #"log_requests: expected true or false, got "yes""#),
        (config(#""log_requests": 1"#), "log_requests: expected true or false, got 1"),
        // Paths
        ("{}", "llama_server: missing; give the path of the llama-server binary"),
        (#"{"llama_server": ["a"]}"#, "llama_server: expected a path, got an array"),
        (#"{"llama_server": "nope"}"#, "llama_server: file not found: /etc/proxy/nope"),
        (#"{"llama_server": "not-executable"}"#, "llama_server: not executable: /etc/proxy/not-executable"),
        (#"{"llama_server": "bin"}"#, "llama_server: expected a file, found a folder: /etc/proxy/bin"),
        (config(#""models_dir": "missing""#), "models_dir: folder not found: /etc/proxy/missing"),
        (config(#""models_dir": "models/tiny-a.gguf""#), "models_dir: expected a folder, found a file: /etc/proxy/models/tiny-a.gguf"),
        (config(#""models_dir": {}"#), "models_dir: expected a path, got an object"),
        (config(#""plugins_dir": "missing""#), "plugins_dir: folder not found: /etc/proxy/missing"),
        (config(#""plugins_dir": "bin/llama-server""#), "plugins_dir: expected a folder, found a file: /etc/proxy/bin/llama-server"),
        (config(#""plugins_dir": """#), #"plugins_dir: expected a path, got """#),
        (config(#""plugins_dir": null"#), "plugins_dir: expected a path, got null"),
        (config(#""pid_file": "run/proxy.pid""#), "pid_file: folder not found: /etc/proxy/run"),
        (config(#""pid_file": "models""#), "pid_file: expected a file, found a folder: /etc/proxy/models"),
        (config(#""pid_file": 1"#), "pid_file: expected a path, got 1"),
        // Plugin sections
        (config(#""plugin_config": []"#), "plugin_config: expected an object, got an array"),
        (config(#""plugin_config": "compare""#), #"plugin_config: expected an object, got "compare""#),
        (config(#""plugin_config": {"compare": 1, "compare": 2}"#), "plugin_config.compare: duplicate key"),
        (config(#""plugin_config": {"": {}}"#), "plugin_config.: a plugin name must be non-empty"),
        // Arrays of strings
        (config(#""default_args": "--ctx-size 10""#), #"default_args: expected an array of strings, got "--ctx-size 10""#),
        (config(#""default_args": ["--ctx-size", 2048]"#), "default_args[1]: expected a string, got 2048"),
        // Models
        (config(#""models": []"#), "models: expected an object, got an array"),
        (config(#""models": {"a": "x.gguf"}"#), #"models.a: expected an object, got "x.gguf""#),
        (config(#""models": {"a": {}}"#), "models.a.path: missing; give the path of the model's .gguf file (or a `cmd`, or a `url`)"),
        (config(#""models": {"a": {"pth": "x"}}"#), "models.a.pth: unknown key (did you mean path?)"),
        // A model's agent
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "agent": "JSON Check"}}"#),
         "models.a.agent: an agent's command is lowercase letters, digits, - and _"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "agent": "/"}}"#),
         "models.a.agent: an agent's command is lowercase letters, digits, - and _"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "agent": 1}}"#),
         #"models.a.agent: expected an agent's command, e.g. "json-check", got 1"#),
        // A model's response hook
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "response_hook": "JSON"}}"#),
         "models.a.response_hook: a response hook's name is lowercase letters, digits, - and _"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "response_hook": ["json-check"]}}"#),
         #"models.a.response_hook: expected a response hook's name, e.g. "json-check", got an array"#),
        (config(#""limits": {"response_hook_rounds": 0}"#), "limits.response_hook_rounds: expected an integer from 1 to 1000, got 0"),
        // llama.cpp RPC servers named in arguments
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "args": ["-ngl", "99", "--rpc", "10.0.0.2"]}}"#),
         #"models.a.args: --rpc entry "10.0.0.2": expected host:port"#),
        (config(#""default_args": ["--rpc=h:1,h:99999"]"#), #"default_args: --rpc entry "h:99999": the port must be a number from 1 to 65535"#),
        (config(#""devices": {"cluster": {"memory_mib": 1024, "args": ["--rpc"]}}"#), "devices.cluster.args: --rpc needs a value"),
        (config(#""models": {"a": {"path": "models/x.gguf"}}"#), "models.a.path: file not found: /etc/proxy/models/x.gguf"),
        (config(#""models": {"a": {"path": "models"}}"#), "models.a.path: expected a file, found a folder: /etc/proxy/models"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "args": [true]}}"#), "models.a.args[0]: expected a string, got true"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": "b"}}"#),
         #"models.a.aliases: expected an array of strings, got "b""#),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": [""]}}"#),
         "models.a.aliases[0]: an alias must be non-empty, without spaces or control characters"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": ["x", "my model"]}}"#),
         "models.a.aliases[1]: an alias must be non-empty, without spaces or control characters"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf"}, "a": {"path": "models/tiny-b.gguf"}}"#),
         "models.a: duplicate key"),
        (config(#""models": {"": {"path": "models/tiny-a.gguf"}}"#),
         "models.: a model id must be non-empty, without spaces or control characters"),
        (config(#""models": {"my model": {"path": "models/tiny-a.gguf"}}"#),
         "models.my model: a model id must be non-empty, without spaces or control characters"),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": ["x", "x"]}}"#),
         #"models.a.aliases: alias "x" is listed twice"#),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": ["x"]}, "b": {"path": "models/tiny-b.gguf", "aliases": ["x"]}}"#),
         #"models.b.aliases: alias "x" is already an alias of model a"#),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": ["b"]}, "b": {"path": "models/tiny-b.gguf"}}"#),
         #"models.a.aliases: alias "b" is the id of model b"#),
        (config(#""models": {"a": {"path": "models/tiny-a.gguf", "aliases": ["a"]}}"#),
         #"models.a.aliases: alias "a" is this model's own id"#),
        // Timeouts and limits
        (config(#""timeouts": {"load_secs": 1}"#), "timeouts.load_secs: unknown key (did you mean load_seconds?)"),
        (config(#""timeouts": {"keepalive_seconds": 1}"#), "timeouts.keepalive_seconds: unknown key (did you mean keep_alive_seconds?)"),
        (config(#""timeouts": {"agent": 1}"#), "timeouts.agent: unknown key (did you mean agent_seconds?)"),
        (config(#""timeouts": {"agent_seconds": 0}"#),
         "timeouts.agent_seconds: expected a number of seconds above 0, at most 31536000, got 0"),
        (config(#""timeouts": {"agent_seconds": -0.5}"#),
         "timeouts.agent_seconds: expected a number of seconds above 0, at most 31536000, got -0.5"),
        (config(#""timeouts": {"agent_seconds": 1e-400}"#),
         "timeouts.agent_seconds: expected a number of seconds above 0, at most 31536000, got 1e-400"),
        (config(#""timeouts": {"agent_seconds": 1e9}"#),
         "timeouts.agent_seconds: expected a number of seconds above 0, at most 31536000, got 1e9"),
        (config(#""timeouts": {"agent_seconds": "1"}"#),
         #"timeouts.agent_seconds: expected a number of seconds above 0, at most 31536000, got "1""#),
        (config(#""timeouts": 5"#), "timeouts: expected an object, got 5"),
        (config(#""timeouts": {"load_seconds": -1}"#), "timeouts.load_seconds: expected a number of seconds from 0 to 31536000, got -1"),
        (config(#""timeouts": {"queue_seconds": 1e9}"#), "timeouts.queue_seconds: expected a number of seconds from 0 to 31536000, got 1e9"),
        (config(#""timeouts": {"shutdown_grace_seconds": "30"}"#),
         #"timeouts.shutdown_grace_seconds: expected a number of seconds from 0 to 31536000, got "30""#),
        (config(#""limits": {"max_body": 1}"#), "limits.max_body: unknown key (did you mean max_body_bytes?)"),
        (config(#""limits": {"max_body_bytes": 0}"#), "limits.max_body_bytes: expected an integer >= 1, got 0"),
        (config(#""limits": {"max_header_bytes": 100}"#), "limits.max_header_bytes: expected an integer >= 1024, got 100"),
        (config(#""limits": {"max_header_bytes": 2048.5}"#), "limits.max_header_bytes: expected an integer >= 1024, got 2048.5"),
    ]

    @Test(arguments: cases)
    func refusesWithAClearMessage(_ json: String, _ expected: String) {
        #expect(fileSystem.error(json) == expected)
    }

    @Test func errorsCarryTheirKeyPathSeparately() {
        #expect(throws: ConfigError(keyPath: "max_loaded", message: "expected an integer >= 1, got 0")) {
            try fileSystem.parse(Self.config(#""max_loaded": 0"#))
        }
        #expect(ConfigError(keyPath: nil, message: "m").description == "m")
    }

    @Test func longStringsAreShortenedInMessages() {
        let long = String(repeating: "x", count: 100)
        #expect(fileSystem.error(Self.config(#""port": "\#(long)""#))
            == "port: expected an integer from 0 to 65535, got \"\(String(repeating: "x", count: 57))...\"")
    }
}
