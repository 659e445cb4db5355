import Testing
@testable import ModelMemory

@Suite struct GGUFParserTests {
    func parse(_ bytes: [UInt8], limits: GGUFLimits = .standard) throws -> GGUFFile {
        try GGUFParser.parse(GGUFMemorySource(bytes), limits: limits)
    }

    func expectError(_ expected: GGUFError, _ bytes: [UInt8], limits: GGUFLimits = .standard) {
        #expect(throws: expected) { try parse(bytes, limits: limits) }
    }

    @Test func readsMetadataAndTensorInfos() throws {
        let builder = GGUFBuilder.llama()
        let file = try parse(builder.bytes)
        #expect(file.version == 3)
        #expect(file.alignment == 32)
        #expect(file.headerBytes == UInt64(builder.bytes.count))
        #expect(file["general.architecture"] == .string("llama"))
        #expect(file["llama.block_count"] == .uint32(2))
        #expect(file["llama.rope.freq_base"] == .float32(10000))
        #expect(file["missing"] == nil)
        #expect(file.metadata.map(\.key) == builder.metadata.map(\.0))
        #expect(file.tensors.map(\.name) == ["token_embd.weight",
                                             "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_norm.weight",
                                             "blk.1.attn_q.weight", "blk.1.attn_k.weight", "blk.1.attn_norm.weight"])
        // f32 64x300; q8_0 64x64 (2 blocks of 34 bytes per row); f16 64x32; f32 64.
        #expect(file.tensors.map(\.byteCount) == [76_800, 4_352, 4_096, 256, 4_352, 4_096, 256])
        #expect(file.tensors[1].type == .q8_0)
        #expect(file.tensors[1].dimensions == [64, 64])
        #expect(file.tensorBytes == 76_800 + 2 * (4_352 + 4_096 + 256))
    }

    @Test func readsEveryValueType() throws {
        var builder = GGUFBuilder()
        builder.metadata = [
            ("u8", .uint8(200)), ("i8", .int8(-3)), ("u16", .uint16(65_000)), ("i16", .int16(-300)),
            ("u32", .uint32(4_000_000_000)), ("i32", .int32(-70_000)), ("u64", .uint64(1 << 40)), ("i64", .int64(-(1 << 40))),
            ("f32", .float32(1.5)), ("f64", .float64(-2.25)), ("yes", .bool(true)), ("no", .bool(false)),
            ("text", .string("héllo")),
            ("ints", .array(.int32, [.int32(1), .int32(-2)])),
            ("nested", .array(.array, [.array(.uint8, [.uint8(7)]), .array(.string, [.string("a"), .string("b")])])),
            ("flags", .array(.bool, [.bool(true), .bool(false)])),
        ]
        let file = try parse(builder.bytes)
        #expect(file["u8"] == .uint8(200))
        #expect(file["i8"] == .int8(-3))
        #expect(file["u16"] == .uint16(65_000))
        #expect(file["i16"] == .int16(-300))
        #expect(file["u32"] == .uint32(4_000_000_000))
        #expect(file["i32"] == .int32(-70_000))
        #expect(file["u64"] == .uint64(1 << 40))
        #expect(file["i64"] == .int64(-(1 << 40)))
        #expect(file["f32"] == .float32(1.5))
        #expect(file["f64"] == .float64(-2.25))
        #expect(file["yes"] == .bool(true))
        #expect(file["no"] == .bool(false))
        #expect(file["text"] == .string("héllo"))
        #expect(file["ints"] == .array(GGUFArray(elementType: .int32, count: 2, elements: [.int32(1), .int32(-2)])))
        #expect(file["ints"]?.integers == [1, -2])
        #expect(file["nested"] == .array(GGUFArray(elementType: .array, count: 2, elements: [
            .array(GGUFArray(elementType: .uint8, count: 1, elements: [.uint8(7)])),
            .array(GGUFArray(elementType: .string, count: 2, elements: [.string("a"), .string("b")])),
        ])))
        #expect(file["flags"] == .array(GGUFArray(elementType: .bool, count: 2, elements: [.bool(true), .bool(false)])))
    }

    @Test func longArraysKeepTheirCountButNotTheirElements() throws {
        var builder = GGUFBuilder()
        builder.metadata = [
            ("numbers", .array(.float32, (0..<10).map { .float32(Float($0)) })),
            ("words", .array(.string, (0..<10).map { .string("w\($0)") })),
            ("after", .uint8(1)),
        ]
        var limits = GGUFLimits()
        limits.keptArrayElements = 5
        let file = try parse(builder.bytes, limits: limits)
        #expect(file["numbers"] == .array(GGUFArray(elementType: .float32, count: 10, elements: nil)))
        #expect(file["words"] == .array(GGUFArray(elementType: .string, count: 10, elements: nil)))
        #expect(file["after"] == .uint8(1))  // the skipped bytes were exactly the arrays'
    }

    @Test func honoursGeneralAlignment() throws {
        var builder = GGUFBuilder()
        builder.metadata = [("general.alignment", .uint32(64))]
        builder.addTensors([("a", [8], .f32), ("b", [8], .f32)], alignment: 64)
        let file = try parse(builder.bytes)
        #expect(file.alignment == 64)
        #expect(file.tensors.map(\.offset) == [0, 64])
        #expect(file.tensorBytes == 128)
    }

    @Test func readsVersionTwo() throws {
        var builder = GGUFBuilder.llama()
        builder.version = 2
        #expect(try parse(builder.bytes).version == 2)
    }

    @Test func everyTruncationIsATruncationError() throws {
        let bytes = GGUFBuilder.llama().bytes
        _ = try parse(bytes)
        for length in 0..<bytes.count {
            do {
                _ = try parse(Array(bytes[..<length]))
                Issue.record("a header cut at \(length) of \(bytes.count) bytes was accepted")
            } catch let error as GGUFError {
                guard case .truncated(let offset, let needed) = error else {
                    Issue.record("cut at \(length): \(error)")
                    continue
                }
                #expect(offset <= UInt64(length) && needed > 0, "cut at \(length): \(error)")
            }
        }
    }

    @Test func refusesOtherFiles() {
        expectError(.notGGUF(magic: Array("GGML".utf8)), Array("GGML".utf8) + [3, 0, 0, 0])
        var bigEndian = GGUFBuilder.llama().bytes
        bigEndian.replaceSubrange(4..<8, with: [0, 0, 0, 3])
        expectError(.bigEndian(version: 0x0300_0000), bigEndian)
        for version: UInt32 in [0, 1, 4] {
            var builder = GGUFBuilder.llama()
            builder.version = version
            expectError(.unsupportedVersion(version), builder.bytes)
        }
    }

    @Test func absurdCountsAreRefusedBeforeAnythingIsAllocated() {
        var tensors = GGUFBuilder.llama()
        tensors.claimedTensorCount = 1 << 40
        expectError(.overLimit(what: "tensor count", value: 1 << 40, limit: 1 << 20, offset: 8), tensors.bytes)

        var entries = GGUFBuilder.llama()
        entries.claimedMetadataCount = .max
        expectError(.overLimit(what: "metadata entry count", value: .max, limit: 1 << 20, offset: 16), entries.bytes)

        // A string claiming 2^62 bytes, as the first key.
        let header = Array("GGUF".utf8) + GGUFBuilder.little(3, 4) + GGUFBuilder.little(0, 8) + GGUFBuilder.little(1, 8)
        expectError(.overLimit(what: "string length", value: 1 << 62, limit: 16 << 20, offset: 24),
                    header + GGUFBuilder.little(1 << 62, 8))

        // An array claiming 2^40 elements.
        let array = header + GGUFBuilder.string("a") + GGUFBuilder.little(9, 4) + GGUFBuilder.little(0, 4) + GGUFBuilder.little(1 << 40, 8)
        expectError(.overLimit(what: "array length", value: 1 << 40, limit: 1 << 26, offset: 41), array)

        // More tensors claimed than there are: the file ends.
        var short = GGUFBuilder.llama()
        short.claimedTensorCount = 1000
        #expect {
            try parse(short.bytes)
        } throws: { error in
            guard case GGUFError.truncated = error else { return false }
            return true
        }
    }

    @Test func arraysNestedTooDeeplyAreRefused() {
        var value = GGUFBuilder.Value.uint8(1)
        for _ in 0..<6 { value = .array(GGUFBuilder.type(of: value), [value]) }
        var builder = GGUFBuilder()
        builder.metadata = [("deep", value)]
        #expect {
            try parse(builder.bytes)
        } throws: { error in
            guard case GGUFError.overLimit(what: "array nesting", value: 5, limit: 4, _) = error else { return false }
            return true
        }
    }

    @Test func headerSizeIsCapped() {
        var limits = GGUFLimits()
        limits.maximumHeaderBytes = 100
        #expect {
            try parse(GGUFBuilder.llama().bytes, limits: limits)
        } throws: { error in
            guard case GGUFError.overLimit(what: "header size", _, limit: 100, _) = error else { return false }
            return true
        }
    }

    @Test func badValuesAreNamed() {
        var unknownType = GGUFBuilder()
        unknownType.metadata = [("k", .uint8(0))]
        var bytes = unknownType.bytes
        bytes[24 + 9] = 13  // the value type of "k", after its 8-byte length and 1-byte name
        expectError(.unknownValueType(13, offset: 33), bytes)

        var badBool = GGUFBuilder()
        badBool.metadata = [("k", .bool(true))]
        bytes = badBool.bytes
        bytes[bytes.count - 1] = 2
        expectError(.invalidBool(2, offset: UInt64(bytes.count - 1)), bytes)

        var badText = GGUFBuilder()
        badText.metadata = [("k", .string("ab"))]
        bytes = badText.bytes
        bytes[bytes.count - 1] = 0xFF
        expectError(.invalidUTF8(offset: UInt64(bytes.count - 2)), bytes)

        var duplicate = GGUFBuilder()
        duplicate.metadata = [("k", .uint8(0)), ("k", .uint8(1))]
        expectError(.duplicateKey("k"), duplicate.bytes)

        for (value, detail) in [(GGUFBuilder.Value.uint32(48), "48 is not a power of two"), (.uint32(0), "0 is not a power of two"),
                                (.uint64(32), "is not a UInt32")] {
            var alignment = GGUFBuilder()
            alignment.metadata = [("general.alignment", value)]
            expectError(.invalidAlignment(detail), alignment.bytes)
        }
    }

    @Test func badTensorsAreNamed() {
        func tensor(_ dimensions: [UInt64], type: UInt32, offset: UInt64 = 0) -> [UInt8] {
            var builder = GGUFBuilder()
            builder.tensors = [.init(name: "w", dimensions: dimensions, type: type, offset: offset)]
            return builder.bytes
        }
        expectError(.tooManyDimensions(tensor: "w", count: 5), tensor([1, 1, 1, 1, 1], type: 0))
        expectError(.unknownTensorType(tensor: "w", type: 4), tensor([32], type: 4))
        expectError(.unknownTensorType(tensor: "w", type: 1000), tensor([32], type: 1000))
        expectError(.partialBlock(tensor: "w", rowLength: 33, blockElements: 32), tensor([33], type: GGMLType.q8_0.id))
        expectError(.tensorTooLarge(tensor: "w"), tensor([1 << 40, 1 << 40], type: 0))
        expectError(.tensorTooLarge(tensor: "w"), tensor([1 << 63], type: 0))
        expectError(.unexpectedTensorOffset(tensor: "w", offset: 32, expected: 0), tensor([8], type: 0, offset: 32))

        var twice = GGUFBuilder()
        twice.addTensors([("w", [8], .f32), ("w", [8], .f32)])
        expectError(.duplicateTensor("w"), twice.bytes)

        var gap = GGUFBuilder()
        gap.addTensors([("a", [8], .f32), ("b", [8], .f32)])
        gap.tensors[1].offset = 64
        expectError(.unexpectedTensorOffset(tensor: "b", offset: 64, expected: 32), gap.bytes)
    }
}
