/// Why a model's memory could not be estimated. Messages name the file and the key.
public enum ModelMemoryError: Error, Sendable, Equatable, CustomStringConvertible {
    case unreadableFile(path: String, GGUFError)
    case missingKey(path: String, key: String)
    case invalidKey(path: String, key: String, reason: String)
    case splitMismatch(path: String, reason: String)
    case invalidArgument(argument: String, value: String, reason: String)
    case noModelFile

    public var description: String {
        switch self {
        case .unreadableFile(let path, let error): "\(path): \(error)"
        case .missingKey(let path, let key): "\(path): metadata key \(key) is missing"
        case .invalidKey(let path, let key, let reason): "\(path): metadata key \(key) \(reason)"
        case .splitMismatch(let path, let reason): "\(path): \(reason)"
        case .invalidArgument(let argument, let value, let reason): "llama-server argument \(argument) \(value): \(reason)"
        case .noModelFile: "no model file given"
        }
    }
}
