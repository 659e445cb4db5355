/// Parses `llama-smart-proxy`'s arguments. Lives here rather than in the executable so that every
/// accepted and refused form is covered by tests.
public enum CommandLine {
    /// The process's arguments, program name first. This type shadows the standard library's
    /// `CommandLine` wherever ProxyConfig is imported, so it forwards the one member callers use.
    public static var arguments: [String] { Swift.CommandLine.arguments }

    /// `arguments` excludes the program name (argv[0]).
    public static func parse(_ arguments: [String]) throws(CommandLineError) -> CommandLineAction {
        var options = CommandLineOptions()
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            let (name, inlineValue) = split(argument)
            switch name {
            case "-h", "--help":
                try requireNoValue(name, inlineValue)
                return .help
            case "--version":
                try requireNoValue(name, inlineValue)
                return .version(configPath: options.configPath)
            case "--config":
                options.configPath = try value(for: name, inlineValue, &remaining)
            case "--host":
                options.host = try value(for: name, inlineValue, &remaining)
            case "--port":
                options.port = try port(try value(for: name, inlineValue, &remaining))
            case "--pid-file":
                options.pidFile = try value(for: name, inlineValue, &remaining)
            default:
                if argument.hasPrefix("-") {
                    throw CommandLineError("unknown option \(name)")
                }
                throw CommandLineError("unexpected argument \(argument)")
            }
        }
        return .run(options)
    }

    /// `--name=value` into its parts; other arguments are returned whole.
    private static func split(_ argument: String) -> (String, String?) {
        guard argument.hasPrefix("--"), let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    private static func requireNoValue(_ name: String, _ inlineValue: String?) throws(CommandLineError) {
        if inlineValue != nil { throw CommandLineError("\(name) takes no value") }
    }

    /// The option's value, from `--name=value` or the next argument. A following argument that
    /// looks like an option is not taken as a value, so `--config --port 1` reports the mistake.
    private static func value(
        for name: String, _ inlineValue: String?, _ remaining: inout ArraySlice<String>
    ) throws(CommandLineError) -> String {
        if let inlineValue {
            guard !inlineValue.isEmpty else { throw CommandLineError("missing value for \(name)") }
            return inlineValue
        }
        guard let next = remaining.first, !next.isEmpty, !next.hasPrefix("-") else {
            throw CommandLineError("missing value for \(name)")
        }
        remaining.removeFirst()
        return next
    }

    private static func port(_ text: String) throws(CommandLineError) -> Int {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let number = Int(text), (0...65535).contains(number)
        else {
            throw CommandLineError("invalid port \(text): expected an integer from 0 to 65535")
        }
        return number
    }
}
