import Testing
@testable import ModelMemory

@Suite struct KVCacheLayoutTests {
    func layout(_ arguments: [String], training: UInt64 = 16_384) throws -> KVCacheLayout {
        KVCacheLayout(arguments: try LlamaServerMemoryArguments(parsing: arguments), trainingContext: training)
    }

    @Test func withoutArgumentsFourSlotsShareTheTrainingContext() throws {
        #expect(try layout([]) == KVCacheLayout(context: 16_384, slots: 4, unified: true, cellsPerStream: 16_384, streams: 1))
        #expect(try layout(["-c", "0"]) == KVCacheLayout(context: 16_384, slots: 4, unified: true, cellsPerStream: 16_384, streams: 1))
        #expect(try layout(["-np", "-1", "-c", "2048"]) == KVCacheLayout(context: 2048, slots: 4, unified: true, cellsPerStream: 2048, streams: 1))
    }

    @Test func theContextIsTheWholeCacheRoundedTo256() throws {
        #expect(try layout(["-c", "1000"]).cells == 1024)
        #expect(try layout(["--ctx-size", "4096"]).cells == 4096)
        #expect(try layout(["--ctx_size", "300"]).cells == 512)
        #expect(try layout([], training: 1000).cells == 1024)
    }

    @Test func explicitSlotsGetOneStreamEach() throws {
        #expect(try layout(["-np", "4", "-c", "4096"]) == KVCacheLayout(context: 4096, slots: 4, unified: false, cellsPerStream: 1024, streams: 4))
        // 1024 / 3 = 341, rounded up to 512 per slot.
        #expect(try layout(["-np", "3", "-c", "1000"]) == KVCacheLayout(context: 1000, slots: 3, unified: false, cellsPerStream: 512, streams: 3))
        #expect(try layout(["--parallel", "2", "--kv-unified", "-c", "4096"])
                == KVCacheLayout(context: 4096, slots: 2, unified: true, cellsPerStream: 4096, streams: 1))
        #expect(try layout(["-np", "2", "-kvu", "-no-kvu", "-c", "4096"])
                == KVCacheLayout(context: 4096, slots: 2, unified: false, cellsPerStream: 2048, streams: 2))
    }

    @Test func contextPerSlotSizesTheCacheOnlyWithoutC() throws {
        #expect(try layout(["-np", "2", "--kv-unified-per-slot", "1000"]).cells == 2048)
        #expect(try layout(["--kv-unified-per-slot", "1024"]).cells == 4096)
        #expect(try layout(["-c", "512", "--kv-unified-per-slot", "1024"]).cells == 512)
        #expect(try layout(["-c", "0", "--kv-unified-per-slot", "1024"]).cells == 16_384)
    }

    @Test func kvBytesFollowTypesAndHeads() throws {
        let model = ModelHyperparameters(architecture: "llama", layerCount: 2, trainingContext: 4096, embeddingLength: 64,
                                         headCounts: [4, 4], headCountsKV: [2, 2], keyLength: 16, valueLength: 16, vocabularySize: 300)
        let cache = KVCacheLayout(context: 1024, slots: 1, unified: true, cellsPerStream: 1024, streams: 1)
        // Per layer and cell: K and V rows of 32 elements.
        #expect(cache.bytes(of: model, keyType: .f16, valueType: .f16, flashAttention: true) == 2 * (64 + 64) * 1024)
        #expect(cache.bytes(of: model, keyType: .q8_0, valueType: .q4_0, flashAttention: true) == 2 * (34 + 18) * 1024)
        #expect(cache.bytes(of: model, keyType: .f32, valueType: .bf16, flashAttention: false) == 2 * (128 + 64) * 1024)
    }

    @Test func layersWithoutKVHeadsTakeNoCacheUnlessVIsTransposed() throws {
        let model = ModelHyperparameters(architecture: "hybrid", layerCount: 2, trainingContext: 4096, embeddingLength: 64,
                                         headCounts: [4, 4], headCountsKV: [2, 0], keyLength: 16, valueLength: 16, vocabularySize: 300)
        let cache = KVCacheLayout(context: 256, slots: 1, unified: true, cellsPerStream: 256, streams: 1)
        #expect(cache.bytes(of: model, keyType: .f16, valueType: .f16, flashAttention: true) == (64 + 64) * 256)
        // A transposed V cache is as wide as the widest layer's in every layer.
        #expect(cache.bytes(of: model, keyType: .f16, valueType: .f16, flashAttention: false) == (64 + 64 + 64) * 256)
    }
}
