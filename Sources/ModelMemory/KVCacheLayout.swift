/// How llama-server lays out its KV cache for a given context and slot count
/// (tools/server/server.cpp and llama_context's constructor in src/llama-context.cpp):
///
/// - `-np` absent (or -1, "auto") gives 4 slots *and* a unified cache; an explicit `-np N` gives
///   N slots with one cache stream per slot unless `--kv-unified` is given.
/// - `-c` is the context of the whole cache, not per slot; absent or 0 means the model's
///   training context (`<arch>.context_length`), except that `--kv-unified-per-slot N` without
///   `-c` sizes it as slots × N.
/// - The context is rounded up to a multiple of 256. A unified cache is one stream of that many
///   cells shared by every slot; otherwise each slot has a stream of context / slots cells,
///   rounded up to a multiple of 256.
public struct KVCacheLayout: Sendable, Equatable {
    public static let padding: UInt64 = 256
    public static let automaticSlots: UInt64 = 4

    /// The context asked for (or the training context), before rounding: llama.cpp caps a batch
    /// at it.
    public let context: UInt64
    public let slots: UInt64
    public let unified: Bool
    /// Cells of one stream (kv_size).
    public let cellsPerStream: UInt64
    public let streams: UInt64

    /// Cells of the whole cache: how many tokens it holds across all slots.
    public var cells: UInt64 { cellsPerStream.saturatingMultiplied(by: streams) }

    public init(context: UInt64, slots: UInt64, unified: Bool, cellsPerStream: UInt64, streams: UInt64) {
        self.context = context
        self.slots = slots
        self.unified = unified
        self.cellsPerStream = cellsPerStream
        self.streams = streams
    }

    public init(arguments: LlamaServerMemoryArguments, trainingContext: UInt64) {
        var slots: UInt64
        var unified = arguments.unifiedCache ?? false
        if let parallel = arguments.parallel, parallel > 0 {
            slots = UInt64(parallel)
        } else {
            slots = Self.automaticSlots
            unified = true
        }
        var context = arguments.contextSize ?? 0
        if arguments.contextSize == nil && arguments.contextPerSlot > 0 {
            context = slots.saturatingMultiplied(by: arguments.contextPerSlot)
        }
        if context == 0 { context = trainingContext }
        let cells = Self.padded(context)
        if unified {
            self.init(context: context, slots: slots, unified: true, cellsPerStream: cells, streams: 1)
        } else {
            self.init(context: context, slots: slots, unified: false, cellsPerStream: Self.padded(cells / slots), streams: slots)
        }
    }

    static func padded(_ value: UInt64) -> UInt64 {
        value.saturatingAdding(padding - 1) / padding * padding
    }
}
