/// A ggml tensor data type: how many elements one block holds and how many bytes it takes.
///
/// The figures follow ggml's `type_traits` (ggml/src/ggml.c) and the block layouts in
/// ggml-common.h, with QK_K = 256. Ids are those stored in GGUF tensor infos; retired ids
/// (4, 5: Q4_2/Q4_3; 31-33, 36-38: repacked layouts that never appear in files) are unknown.
public struct GGMLType: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let id: UInt32
    public let name: String
    /// Elements per block (1 for plain types).
    public let blockElements: UInt64
    /// Bytes per block.
    public let blockBytes: UInt64

    public var description: String { name }

    /// Bytes of a row of `elements` elements. A row that does not fill its last block is rounded
    /// up to whole blocks (ggml refuses such rows; rounding up keeps an estimate on the safe side).
    public func rowBytes(elements: UInt64) -> UInt64? {
        let blocks = elements / blockElements + (elements % blockElements == 0 ? 0 : 1)
        let (bytes, overflow) = blocks.multipliedReportingOverflow(by: blockBytes)
        return overflow ? nil : bytes
    }

    public static func withID(_ id: UInt32) -> GGMLType? { byID[id] }

    /// By ggml's name (`f16`, `q8_0`, `q4_K`, ...), as `--cache-type-k` takes it.
    public static func named(_ name: String) -> GGMLType? { byName[name] }

    public static let f32 = GGMLType(id: 0, name: "f32", blockElements: 1, blockBytes: 4)
    public static let f16 = GGMLType(id: 1, name: "f16", blockElements: 1, blockBytes: 2)
    public static let q4_0 = GGMLType(id: 2, name: "q4_0", blockElements: 32, blockBytes: 18)
    public static let q8_0 = GGMLType(id: 8, name: "q8_0", blockElements: 32, blockBytes: 34)
    public static let bf16 = GGMLType(id: 30, name: "bf16", blockElements: 1, blockBytes: 2)

    /// Every type a GGUF file may hold. Block bytes are the sums of each block's fields.
    public static let all: [GGMLType] = [
        f32, f16, q4_0,
        GGMLType(id: 3, name: "q4_1", blockElements: 32, blockBytes: 2 + 2 + 16),
        GGMLType(id: 6, name: "q5_0", blockElements: 32, blockBytes: 2 + 4 + 16),
        GGMLType(id: 7, name: "q5_1", blockElements: 32, blockBytes: 2 + 2 + 4 + 16),
        q8_0,
        GGMLType(id: 9, name: "q8_1", blockElements: 32, blockBytes: 2 + 2 + 32),
        GGMLType(id: 10, name: "q2_K", blockElements: 256, blockBytes: 2 + 2 + 256 / 16 + 256 / 4),
        GGMLType(id: 11, name: "q3_K", blockElements: 256, blockBytes: 2 + 256 / 4 + 256 / 8 + 12),
        GGMLType(id: 12, name: "q4_K", blockElements: 256, blockBytes: 2 + 2 + 12 + 256 / 2),
        GGMLType(id: 13, name: "q5_K", blockElements: 256, blockBytes: 2 + 2 + 12 + 256 / 2 + 256 / 8),
        GGMLType(id: 14, name: "q6_K", blockElements: 256, blockBytes: 2 + 256 / 2 + 256 / 4 + 256 / 16),
        GGMLType(id: 15, name: "q8_K", blockElements: 256, blockBytes: 4 + 256 + 256 / 16 * 2),
        GGMLType(id: 16, name: "iq2_xxs", blockElements: 256, blockBytes: 2 + 256 / 4),
        GGMLType(id: 17, name: "iq2_xs", blockElements: 256, blockBytes: 2 + 256 / 4 + 256 / 32),
        GGMLType(id: 18, name: "iq3_xxs", blockElements: 256, blockBytes: 2 + 256 / 4 + 256 / 8),
        GGMLType(id: 19, name: "iq1_s", blockElements: 256, blockBytes: 2 + 256 / 8 + 256 / 16),
        GGMLType(id: 20, name: "iq4_nl", blockElements: 32, blockBytes: 2 + 16),
        GGMLType(id: 21, name: "iq3_s", blockElements: 256, blockBytes: 2 + 256 / 4 + 256 / 8 + 256 / 32 + 4),
        GGMLType(id: 22, name: "iq2_s", blockElements: 256, blockBytes: 2 + 256 / 4 + 256 / 16),
        GGMLType(id: 23, name: "iq4_xs", blockElements: 256, blockBytes: 2 + 2 + 256 / 2 + 256 / 64),
        GGMLType(id: 24, name: "i8", blockElements: 1, blockBytes: 1),
        GGMLType(id: 25, name: "i16", blockElements: 1, blockBytes: 2),
        GGMLType(id: 26, name: "i32", blockElements: 1, blockBytes: 4),
        GGMLType(id: 27, name: "i64", blockElements: 1, blockBytes: 8),
        GGMLType(id: 28, name: "f64", blockElements: 1, blockBytes: 8),
        GGMLType(id: 29, name: "iq1_m", blockElements: 256, blockBytes: 256 / 8 + 256 / 16 + 256 / 32),
        bf16,
        GGMLType(id: 34, name: "tq1_0", blockElements: 256, blockBytes: 2 + 256 / 64 + (256 - 4 * 256 / 64) / 5),
        GGMLType(id: 35, name: "tq2_0", blockElements: 256, blockBytes: 2 + 256 / 4),
        GGMLType(id: 39, name: "mxfp4", blockElements: 32, blockBytes: 1 + 16),
        GGMLType(id: 40, name: "nvfp4", blockElements: 64, blockBytes: 4 + 32),
        GGMLType(id: 41, name: "q1_0", blockElements: 128, blockBytes: 2 + 128 / 8),
        GGMLType(id: 42, name: "q2_0", blockElements: 64, blockBytes: 2 + 64 / 4),
    ]

    /// The types llama-server accepts for `--cache-type-k` / `--cache-type-v`.
    public static let cacheTypeNames = ["f32", "f16", "bf16", "q8_0", "q4_0", "q4_1", "iq4_nl", "q5_0", "q5_1"]

    private static let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
