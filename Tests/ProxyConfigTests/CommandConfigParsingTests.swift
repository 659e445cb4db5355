import Glibc
import Testing
@testable import ProxyConfig

@Suite struct CommandConfigParsingTests {
    let fileSystem = FakeFileSystem()

    func parse(_ models: String) throws(ConfigError) -> ProxyConfiguration {
        try fileSystem.parse(#"{"llama_server": "bin/llama-server", "models": {"# + models + "}}")
    }

    func error(_ models: String) -> String? {
        fileSystem.error(#"{"llama_server": "bin/llama-server", "models": {"# + models + "}}")
    }

    @Test func readsACommandWithEveryKey() throws {
        let config = try parse("""
            "whisper": {"cmd": ["whisper-server", "--port", "${PORT}", "-m", "${MODEL_PATH}"], "path": "models/tiny-a.gguf",
                        "env": {"OMP_NUM_THREADS": "2", "TAG": "${MODEL_ID}", "EMPTY": ""}, "ready_path": "/ready",
                        "stop_signal": "SIGINT", "stop_seconds": 3.5, "memory_mib": 512}
            """)
        let model = try #require(config.models.first)
        #expect(model.path == "/etc/proxy/models/tiny-a.gguf")
        #expect(model.command == ModelCommand(
            argv: ["whisper-server", "--port", "${PORT}", "-m", "${MODEL_PATH}"],
            environment: ["OMP_NUM_THREADS": "2", "TAG": "${MODEL_ID}", "EMPTY": ""], readyPath: "/ready", stopSignal: SIGINT))
        #expect(model.stopSeconds == 3.5)
        #expect(model.memoryMiB == 512)
    }

    @Test func aCommandNeedsNoPathAndDefaultsToHealthAndSIGTERM() throws {
        let config = try parse(#""stub": {"cmd": ["/bin/stub", "--socket", "${SOCKET}"]}"#)
        let model = try #require(config.models.first)
        #expect(model.path == "")
        #expect(model.command == ModelCommand(argv: ["/bin/stub", "--socket", "${SOCKET}"], readyPath: "/health", stopSignal: SIGTERM))
        #expect(model.stopSeconds == nil)
    }

    @Test func readyPathNullOrEmptyMeansNoCheck() throws {
        for value in ["null", #""""#] {
            let config = try parse(#""stub": {"cmd": ["stub", "${PORT}"], "ready_path": "# + value + "}")
            #expect(config.models.first?.command?.readyPath == nil, "ready_path \(value)")
        }
    }

    @Test func readsAStopCommandWithThePid() throws {
        let config = try parse(#""box": {"cmd": ["docker", "run", "-p", "${PORT}:80", "img"], "stop_cmd": ["docker", "stop", "${PID}"]}"#)
        #expect(config.models.first?.command?.stopCommand == ["docker", "stop", "${PID}"])
    }

    @Test func stopSecondsAlsoAppliesToALlamaServerModel() throws {
        let config = try parse(#""plain": {"path": "models/tiny-a.gguf", "stop_seconds": 0}"#)
        #expect(config.models.first?.stopSeconds == 0)
        #expect(config.models.first?.command == nil)
    }

    @Test(arguments: [
        (#""m": {"cmd": "server --port ${PORT}"}"#, "models.m.cmd: give the command as an array of strings"),
        (#""m": {"cmd": []}"#, "models.m.cmd: give the executable and its arguments"),
        (#""m": {"cmd": [""]}"#, "models.m.cmd: give the executable and its arguments"),
        (#""m": {"cmd": ["server", 8080]}"#, "models.m.cmd[1]: expected a string"),
        (#""m": {"cmd": ["server"]}"#, "models.m.cmd: name where the command listens: ${PORT}"),
        (#""m": {"cmd": ["server", "${PORT}", "${SOCKET}"]}"#, "models.m.cmd: use either ${PORT} or ${SOCKET}, not both"),
        (#""m": {"cmd": ["server", "${PORT}", "${MODEL}"]}"#, "models.m.cmd[2]: unknown placeholder ${MODEL}"),
        (#""m": {"cmd": ["server", "${PORT"]}"#, "models.m.cmd[1]: \"${\" is not closed"),
        (#""m": {"cmd": ["server", "${PORT}", "${PID}"]}"#, "models.m.cmd[2]: unknown placeholder ${PID}"),
        (#""m": {"cmd": ["server", "${PORT}", "-m", "${MODEL_PATH}"]}"#, "models.m.path: missing; ${MODEL_PATH} needs the model's file"),
        (#""m": {"cmd": ["server", "${PORT}"], "env": {"P": "${MODEL_PATH}"}}"#, "models.m.path: missing; ${MODEL_PATH} needs"),
        (#""m": {"cmd": ["server", "${PORT}"], "env": {"N": 1}}"#, "models.m.env.N: expected a string"),
        (#""m": {"cmd": ["server", "${PORT}"], "env": {"A=B": "x"}}"#, "models.m.env.A=B: an environment variable name"),
        (#""m": {"cmd": ["server", "${PORT}"], "env": ["A"]}"#, "models.m.env: expected"),
        (#""m": {"cmd": ["server", "${PORT}"], "ready_path": "health"}"#, "models.m.ready_path: expected a path starting with \"/\""),
        (#""m": {"cmd": ["server", "${PORT}"], "ready_path": false}"#, "models.m.ready_path: expected a path"),
        (#""m": {"cmd": ["server", "${PORT}"], "stop_signal": "TERM"}"#, "models.m.stop_signal: unknown signal \"TERM\" (known: SIGTERM, SIGINT"),
        (#""m": {"cmd": ["server", "${PORT}"], "stop_cmd": []}"#, "models.m.stop_cmd: give the executable"),
        (#""m": {"cmd": ["server", "${PORT}"], "stop_cmd": ["kill", "${PPID}"]}"#, "models.m.stop_cmd[1]: unknown placeholder ${PPID}"),
        (#""m": {"cmd": ["server", "${PORT}"], "stop_cmd": ["kill", "${PID}"], "stop_signal": "SIGINT"}"#, "models.m.stop_signal: give either"),
        (#""m": {"cmd": ["server", "${PORT}"], "args": ["-c", "512"]}"#, "models.m.args: `args` are llama-server's"),
        (#""m": {"path": "models/tiny-a.gguf", "env": {"A": "b"}}"#, "models.m.env: only for a model with `cmd`"),
        (#""m": {"path": "models/tiny-a.gguf", "ready_path": "/x"}"#, "models.m.ready_path: only for a model with `cmd`"),
        (#""m": {"path": "models/tiny-a.gguf", "stop_cmd": ["x"]}"#, "models.m.stop_cmd: only for a model with `cmd`"),
        (#""m": {"aliases": ["x"]}"#, "models.m.path: missing; give the path of the model's .gguf file (or a `cmd`, or a `url`)"),
        (#""m": {"cmd": ["server", "${PORT}"], "stop_seconds": -1}"#, "models.m.stop_seconds: expected a number of seconds"),
    ])
    func refusesWithTheKeyNamed(_ models: String, _ expected: String) {
        let message = error(models)
        #expect(message?.contains(expected) == true, "\(message ?? "accepted")")
    }
}
