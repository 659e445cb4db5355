import Testing
import ProxyConfig

@Suite struct CommandLineTests {
    static let accepted: [([String], CommandLineAction)] = [
        ([], .run(CommandLineOptions(configPath: "config.json"))),
        (["--config", "a.json"], .run(CommandLineOptions(configPath: "a.json"))),
        (["--config=b.json"], .run(CommandLineOptions(configPath: "b.json"))),
        (["--config=x=y.json"], .run(CommandLineOptions(configPath: "x=y.json"))),
        (["--host", "0.0.0.0", "--port", "9000"], .run(CommandLineOptions(host: "0.0.0.0", port: 9000))),
        (["--host=::1", "--port=0"], .run(CommandLineOptions(host: "::1", port: 0))),
        (["--port", "65535", "--config", "c.json"], .run(CommandLineOptions(configPath: "c.json", port: 65535))),
        (["--port", "1", "--port", "2"], .run(CommandLineOptions(port: 2))),  // the last one wins
        (["-h"], .help),
        (["--help"], .help),
        (["--config", "a.json", "--help"], .help),
        (["--version"], .version(configPath: "config.json")),
        (["--version", "--help"], .version(configPath: "config.json")),
        (["--config", "a.json", "--version"], .version(configPath: "a.json")),
        (["--pid-file", "/run/p.pid"], .run(CommandLineOptions(pidFile: "/run/p.pid"))),
        (["--pid-file=p.pid", "--port", "1"], .run(CommandLineOptions(port: 1, pidFile: "p.pid"))),
    ]

    @Test(arguments: accepted)
    func accepts(_ arguments: [String], _ expected: CommandLineAction) throws {
        #expect(try CommandLine.parse(arguments) == expected)
    }

    static let refused: [([String], String)] = [
        (["--cofig", "a.json"], "unknown option --cofig"),
        (["-c", "a.json"], "unknown option -c"),
        (["--verbose=1"], "unknown option --verbose"),
        (["config.json"], "unexpected argument config.json"),
        (["--config"], "missing value for --config"),
        (["--config="], "missing value for --config"),
        (["--config", "--port", "1"], "missing value for --config"),
        (["--host"], "missing value for --host"),
        (["--port"], "missing value for --port"),
        (["--pid-file"], "missing value for --pid-file"),
        (["--port", "http"], "invalid port http: expected an integer from 0 to 65535"),
        (["--port", "65536"], "invalid port 65536: expected an integer from 0 to 65535"),
        (["--port=-1"], "invalid port -1: expected an integer from 0 to 65535"),
        (["--port", "+80"], "invalid port +80: expected an integer from 0 to 65535"),
        (["--port", "８０"], "invalid port ８０: expected an integer from 0 to 65535"),
        (["--help=yes"], "--help takes no value"),
        (["--version=2"], "--version takes no value"),
        (["--bogus", "--help"], "unknown option --bogus"),
    ]

    @Test(arguments: refused)
    func refuses(_ arguments: [String], _ message: String) {
        #expect(throws: CommandLineError(message)) { try CommandLine.parse(arguments) }
    }

    @Test func usageMentionsEveryOption() {
        for option in ["--config PATH", "--host HOST", "--port PORT", "--pid-file PATH", "-h, --help", "--version"] {
            #expect(CommandLine.usage.contains(option))
        }
    }

    @Test func forwardsTheProcessArguments() {
        #expect(CommandLine.arguments == Swift.CommandLine.arguments)
    }
}
