/// What llama-server says it allocated, in bytes, per buffer (or per device and host, from its
/// `memory breakdown [MiB]` table).
public struct LlamaServerMemoryReport: Sendable, Equatable {
    /// Where the figures come from.
    public enum Source: Sendable, Equatable {
        /// The `... buffer size = N MiB` lines llama.cpp logs while it loads (MiB with two decimals).
        case bufferLines
        /// The `memory breakdown [MiB]` table (whole MiB, rounded down), logged at verbosity 4
        /// (`-lv 4`) by --fit's dry run before the load and by llama-server when it exits.
        case breakdownTable
    }

    /// One buffer type (`CPU_Mapped`, `CPU`, `CUDA0`, ...) or one row of the table
    /// (`CUDA0 (RTX 4090)`, `Host`, ...).
    public struct Part: Sendable, Equatable {
        public let name: String
        public var model: UInt64 = 0
        public var context: UInt64 = 0
        public var compute: UInt64 = 0
        /// The logits/embeddings output buffer (buffer lines only; the table leaves it out).
        public var output: UInt64 = 0

        public var total: UInt64 { model + context + compute + output }

        /// Held by a llama.cpp RPC server (`--rpc`), on its host rather than where the child
        /// runs: a buffer type `RPC0[host:port]` or a table row `RPC0 (host:port)`.
        public var isOnRPCServer: Bool {
            guard name.hasPrefix("RPC") else { return false }
            let rest = name.dropFirst(3).drop { $0.isASCII && $0.isNumber }
            return rest.count < name.count - 3 && (rest.hasPrefix("[") || rest.hasPrefix(" ("))
        }

        public init(name: String, model: UInt64 = 0, context: UInt64 = 0, compute: UInt64 = 0, output: UInt64 = 0) {
            self.name = name
            self.model = model
            self.context = context
            self.compute = compute
            self.output = output
        }
    }

    public let source: Source
    public let parts: [Part]

    public init(source: Source, parts: [Part]) {
        self.source = source
        self.parts = parts
    }

    /// Weights (model buffers, LoRA adapters).
    public var model: UInt64 { parts.reduce(0) { $0 + $1.model } }
    /// KV cache (and recurrent state).
    public var context: UInt64 { parts.reduce(0) { $0 + $1.context } }
    public var compute: UInt64 { parts.reduce(0) { $0 + $1.compute } }
    public var output: UInt64 { parts.reduce(0) { $0 + $1.output } }
    public var total: UInt64 { model + context + compute + output }
    /// What the child's own host holds: every part but those on RPC servers.
    public var localTotal: UInt64 { parts.filter { !$0.isOnRPCServer }.reduce(0) { $0 + $1.total } }
}
