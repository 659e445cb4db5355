@testable import ModelMemory

/// Builds GGUF headers byte by byte, as the format describes them, for the reader's tests.
struct GGUFBuilder {
    enum Value {
        case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
        case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool), string(String)
        case array(GGUFValueType, [Value])
    }

    struct Tensor {
        var name: String
        var dimensions: [UInt64]
        var type: UInt32
        var offset: UInt64
    }

    var version: UInt32 = 3
    var metadata: [(String, Value)] = []
    var tensors: [Tensor] = []
    /// Overrides the counts written, to claim more than there is.
    var claimedTensorCount: UInt64?
    var claimedMetadataCount: UInt64?

    /// Appends tensors laid out one after the other, each padded to `alignment`.
    mutating func addTensors(_ shapes: [(String, [UInt64], GGMLType)], alignment: UInt64 = 32) {
        var offset = tensors.last.map { last -> UInt64 in
            let type = GGMLType.withID(last.type)!
            let bytes = try! GGUFTensorInfo(name: last.name, dimensions: last.dimensions, type: type, offset: 0).byteCount
            return last.offset + (bytes + alignment - 1) / alignment * alignment
        } ?? 0
        for (name, dimensions, type) in shapes {
            tensors.append(Tensor(name: name, dimensions: dimensions, type: type.id, offset: offset))
            let bytes = try! GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: 0).byteCount
            offset += (bytes + alignment - 1) / alignment * alignment
        }
    }

    var bytes: [UInt8] {
        var out: [UInt8] = Array("GGUF".utf8)
        out += Self.little(UInt64(version), 4)
        out += Self.little(claimedTensorCount ?? UInt64(tensors.count), 8)
        out += Self.little(claimedMetadataCount ?? UInt64(metadata.count), 8)
        for (key, value) in metadata {
            out += Self.string(key)
            out += Self.little(UInt64(Self.type(of: value).rawValue), 4)
            out += Self.encode(value)
        }
        for tensor in tensors {
            out += Self.string(tensor.name)
            out += Self.little(UInt64(tensor.dimensions.count), 4)
            for dimension in tensor.dimensions { out += Self.little(dimension, 8) }
            out += Self.little(UInt64(tensor.type), 4)
            out += Self.little(tensor.offset, 8)
        }
        return out
    }

    static func little(_ value: UInt64, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    static func string(_ text: String) -> [UInt8] {
        little(UInt64(text.utf8.count), 8) + Array(text.utf8)
    }

    static func type(of value: Value) -> GGUFValueType {
        switch value {
        case .uint8: .uint8
        case .int8: .int8
        case .uint16: .uint16
        case .int16: .int16
        case .uint32: .uint32
        case .int32: .int32
        case .uint64: .uint64
        case .int64: .int64
        case .float32: .float32
        case .float64: .float64
        case .bool: .bool
        case .string: .string
        case .array: .array
        }
    }

    static func encode(_ value: Value) -> [UInt8] {
        switch value {
        case .uint8(let v): [v]
        case .int8(let v): [UInt8(bitPattern: v)]
        case .uint16(let v): little(UInt64(v), 2)
        case .int16(let v): little(UInt64(UInt16(bitPattern: v)), 2)
        case .uint32(let v): little(UInt64(v), 4)
        case .int32(let v): little(UInt64(UInt32(bitPattern: v)), 4)
        case .uint64(let v): little(v, 8)
        case .int64(let v): little(UInt64(bitPattern: v), 8)
        case .float32(let v): little(UInt64(v.bitPattern), 4)
        case .float64(let v): little(v.bitPattern, 8)
        case .bool(let v): [v ? 1 : 0]
        case .string(let v): string(v)
        case .array(let elementType, let elements):
            little(UInt64(elementType.rawValue), 4) + little(UInt64(elements.count), 8) + elements.flatMap(encode)
        }
    }

    /// A small llama-shaped model: 2 layers, 64 wide, 4 heads (2 KV heads), 300 tokens.
    static func llama(layers: Int = 2, contextLength: UInt32 = 4096, headsKV: Value = .uint32(2)) -> GGUFBuilder {
        var builder = GGUFBuilder()
        builder.metadata = [
            ("general.architecture", .string("llama")),
            ("general.name", .string("test")),
            ("llama.context_length", .uint32(contextLength)),
            ("llama.embedding_length", .uint32(64)),
            ("llama.block_count", .uint32(UInt32(layers))),
            ("llama.feed_forward_length", .uint32(128)),
            ("llama.attention.head_count", .uint32(4)),
            ("llama.attention.head_count_kv", headsKV),
            ("llama.rope.freq_base", .float32(10000)),
            ("tokenizer.ggml.tokens", .array(.string, (0..<300).map { .string("t\($0)") })),
        ]
        var shapes: [(String, [UInt64], GGMLType)] = [("token_embd.weight", [64, 300], .f32)]
        for layer in 0..<layers {
            shapes.append(("blk.\(layer).attn_q.weight", [64, 64], .q8_0))
            shapes.append(("blk.\(layer).attn_k.weight", [64, 32], .f16))
            shapes.append(("blk.\(layer).attn_norm.weight", [64], .f32))
        }
        builder.addTensors(shapes)
        return builder
    }
}
