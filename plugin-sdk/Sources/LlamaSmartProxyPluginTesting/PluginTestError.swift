/// Why the test host could not load a plugin or call an agent.
public enum PluginTestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The proxy would skip the plugin for this reason (toolchain, ABI, registration).
    case refused(String)
    /// The request's last user message names no registered command.
    case noCommand(String)
    /// The request is not valid JSON (the proxy would not look for a command in it).
    case invalidRequest(String)
    /// No response hook of this name is registered.
    case noHook(String)
    /// `load` was called twice: one host holds one plugin, as one proxy load of one file does.
    case alreadyLoaded

    public var description: String {
        switch self {
        case .refused(let reason): return "the proxy would skip this plugin: \(reason)"
        case .noCommand(let text): return "no registered command starts the last user message: \(text)"
        case .invalidRequest(let request): return "not a valid JSON request: \(request)"
        case .noHook(let name): return "no response hook \(name) is registered"
        case .alreadyLoaded: return "this test host already holds a plugin"
        }
    }
}
