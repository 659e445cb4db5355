/// The llama-server arguments that change how much memory a model takes, read the way
/// llama-server reads them (common/arg.cpp): the last occurrence wins, `--long_name` is
/// `--long-name`, values follow as the next argument. Everything else is ignored.
///
/// Environment variables (`LLAMA_ARG_CTX_SIZE`, ...) are not read: the proxy sets none.
public struct LlamaServerMemoryArguments: Sendable, Equatable {
    /// `-c/--ctx-size`: nil when absent; 0 means the model's training context.
    public var contextSize: UInt64?
    /// `-np/--parallel`: nil when absent (llama-server's default, -1, is "auto": 4 slots).
    public var parallel: Int64?
    /// `-ctk/--cache-type-k`, `-ctv/--cache-type-v`: f16 by default.
    public var keyCacheType: GGMLType = .f16
    public var valueCacheType: GGMLType = .f16
    /// `-kvu/--kv-unified` (true), `-no-kvu/--no-kv-unified` (false); nil when absent.
    public var unifiedCache: Bool?
    /// `--kv-unified-per-slot N`: 0 when absent.
    public var contextPerSlot: UInt64 = 0
    /// `-b/--batch-size` (2048) and `-ub/--ubatch-size` (512).
    public var batchSize: UInt64 = 2048
    public var microBatchSize: UInt64 = 512
    /// `-fa/--flash-attn on|off|auto`: nil when absent (auto).
    public var flashAttention: Bool?
    /// `-mm/--mmproj FILE`.
    public var projectorFile: String?

    public init() {}

    public init(parsing arguments: [String]) throws {
        self.init()
        var index = 0
        func value(_ name: String) throws -> String {
            guard index + 1 < arguments.count else {
                throw ModelMemoryError.invalidArgument(argument: name, value: "", reason: "needs a value")
            }
            index += 1
            return arguments[index]
        }
        // llama-server reads numbers with std::stoi: 32-bit integers.
        func number(_ name: String) throws -> Int64 {
            let text = try value(name)
            guard let number = Int32(text) else {
                throw ModelMemoryError.invalidArgument(argument: name, value: text, reason: "is not a 32-bit integer")
            }
            return Int64(number)
        }
        func count(_ name: String) throws -> UInt64 {
            let value = try number(name)
            guard value >= 0 else {
                throw ModelMemoryError.invalidArgument(argument: name, value: String(value), reason: "is negative")
            }
            return UInt64(value)
        }
        func cacheType(_ name: String) throws -> GGMLType {
            let text = try value(name)
            guard GGMLType.cacheTypeNames.contains(text), let type = GGMLType.named(text) else {
                throw ModelMemoryError.invalidArgument(
                    argument: name, value: text, reason: "is not one of \(GGMLType.cacheTypeNames.joined(separator: ", "))")
            }
            return type
        }
        while index < arguments.count {
            var name = arguments[index]
            if name.hasPrefix("--") { name = String(name.map { $0 == "_" ? "-" : $0 }) }
            switch name {
            case "-c", "--ctx-size": contextSize = try count(name)
            case "-np", "--parallel":
                let slots = try number(name)
                guard slots != 0 else { throw ModelMemoryError.invalidArgument(argument: name, value: "0", reason: "must not be 0") }
                parallel = slots
            case "-ctk", "--cache-type-k": keyCacheType = try cacheType(name)
            case "-ctv", "--cache-type-v": valueCacheType = try cacheType(name)
            case "-kvu", "--kv-unified": unifiedCache = true
            case "-no-kvu", "--no-kv-unified": unifiedCache = false
            case "--kv-unified-per-slot": contextPerSlot = try count(name)
            case "-b", "--batch-size": batchSize = try count(name)
            case "-ub", "--ubatch-size": microBatchSize = try count(name)
            case "-fa", "--flash-attn":
                let text = try value(name)
                switch text {
                case "on", "1", "true", "enabled": flashAttention = true
                case "off", "0", "false", "disabled": flashAttention = false
                case "auto", "-1": flashAttention = nil
                default: throw ModelMemoryError.invalidArgument(argument: name, value: text, reason: "is not on, off or auto")
                }
            case "-mm", "--mmproj": projectorFile = try value(name)
            default: break
            }
            index += 1
        }
    }
}
