import Testing
@testable import ModelMemory

@Suite struct ModelMemoryEstimatorTests {
    /// The builder's llama model: 2 layers, K and V rows of 32 elements, 94,208 bytes of tensors.
    static let weights: UInt64 = 94_208
    static let kvBytesPerCell: UInt64 = 2 * (64 + 64)

    @Test func estimatesWeightsKVCacheAndCompute() throws {
        let folder = try TemporaryFolder()
        let model = try folder.write("m.gguf", GGUFBuilder.llama().bytes)
        let estimate = try ModelMemoryEstimator.estimate(modelFiles: [model], arguments: ["-c", "1024", "-np", "2"])
        #expect(estimate.weights == Self.weights)
        #expect(estimate.kvCache == Self.kvBytesPerCell * 1024)
        let hyperparameters = try ModelHyperparameters(file: try GGUFFile.read(path: model), path: model)
        let arguments = try LlamaServerMemoryArguments(parsing: ["-c", "1024", "-np", "2"])
        let layout = KVCacheLayout(arguments: arguments, trainingContext: 4096)
        #expect(estimate.compute == ComputeMargin.bytes(of: hyperparameters, layout: layout, arguments: arguments))
        #expect(estimate.total == estimate.weights + estimate.kvCache + estimate.compute)
    }

    @Test func theTrainingContextIsUsedWithoutC() throws {
        let folder = try TemporaryFolder()
        let model = try folder.write("m.gguf", GGUFBuilder.llama(contextLength: 2000).bytes)
        let estimate = try ModelMemoryEstimator.estimate(modelFiles: [model], arguments: [])
        #expect(estimate.kvCache == Self.kvBytesPerCell * 2048)
    }

    @Test func aProjectorAddsItsTensors() throws {
        let folder = try TemporaryFolder()
        let model = try folder.write("m.gguf", GGUFBuilder.llama().bytes)
        var projector = GGUFBuilder()
        projector.metadata = [("general.architecture", .string("clip"))]
        projector.addTensors([("v.patch_embd.weight", [64, 64], .f16)])
        let projectorPath = try folder.write("mmproj-m.gguf", projector.bytes)
        let estimate = try ModelMemoryEstimator.estimate(modelFiles: [model], arguments: ["--mmproj", projectorPath, "-c", "256"])
        #expect(estimate.weights == Self.weights + 64 * 64 * 2)
        #expect(estimate.kvCache == Self.kvBytesPerCell * 256)
        // Named twice, counted once.
        let twice = try ModelMemoryEstimator.estimate(modelFiles: [model, projectorPath], arguments: ["--mmproj", projectorPath, "-c", "256"])
        #expect(twice == estimate)
    }

    @Test func splitModelsSumEveryPart() throws {
        let folder = try TemporaryFolder()
        var first = GGUFBuilder.llama()
        first.metadata.append(("split.count", .uint16(2)))
        let firstPath = try folder.write("big-00001-of-00002.gguf", first.bytes)
        var second = GGUFBuilder()
        second.metadata = [("split.count", .uint16(2)), ("split.no", .uint16(1))]
        second.addTensors([("output.weight", [64, 300], .q8_0)])
        try folder.write("big-00002-of-00002.gguf", second.bytes)
        let estimate = try ModelMemoryEstimator.estimate(modelFiles: [firstPath], arguments: ["-c", "256"])
        #expect(estimate.weights == Self.weights + 20_416)  // 68 × 300 bytes, padded to 32
    }

    @Test func aMissingOrMismatchedSplitPartIsAnError() throws {
        let folder = try TemporaryFolder()
        let firstPath = try folder.write("big-00001-of-00003.gguf", GGUFBuilder.llama().bytes)
        #expect {
            try ModelMemoryEstimator.estimate(modelFiles: [firstPath], arguments: [])
        } throws: { error in
            guard case ModelMemoryError.unreadableFile(let path, .unreadable(_, let reason)) = error else { return false }
            return path == folder.path + "/big-00002-of-00003.gguf" && reason == "No such file or directory"
        }
        var wrong = GGUFBuilder.llama()
        wrong.metadata.append(("split.count", .uint16(5)))
        let single = try folder.write("one-00001-of-00001.gguf", wrong.bytes)
        #expect(throws: ModelMemoryError.splitMismatch(path: single, reason: "split.count is 5 but the name says 1 parts")) {
            try ModelMemoryEstimator.estimate(modelFiles: [single], arguments: [])
        }
    }

    @Test func unreadableFilesNameThePath() throws {
        let folder = try TemporaryFolder()
        let junk = try folder.write("junk.gguf", Array("not a model at all".utf8))
        #expect(throws: ModelMemoryError.unreadableFile(path: junk, .notGGUF(magic: Array("not ".utf8)))) {
            try ModelMemoryEstimator.estimate(modelFiles: [junk], arguments: [])
        }
        #expect(ModelMemoryError.unreadableFile(path: junk, .notGGUF(magic: Array("not ".utf8))).description
                == "\(junk): not a GGUF file (starts with 6e 6f 74 20)")
        #expect(throws: ModelMemoryError.noModelFile) { try ModelMemoryEstimator.estimate(modelFiles: [], arguments: []) }
    }

    @Test func splitNamesAreRecognised() {
        #expect(SplitModelParts.parts(of: "/m/q-00002-of-00003.gguf") == ["/m/q-00001-of-00003.gguf", "/m/q-00002-of-00003.gguf", "/m/q-00003-of-00003.gguf"])
        #expect(SplitModelParts.parts(of: "/m/q.gguf") == ["/m/q.gguf"])
        #expect(SplitModelParts.parts(of: "/m/q-00004-of-00003.gguf") == ["/m/q-00004-of-00003.gguf"])
        #expect(SplitModelParts.parts(of: "/m/q-0000a-of-00003.gguf") == ["/m/q-0000a-of-00003.gguf"])
        #expect(SplitModelParts.parts(of: "-00001-of-00001.gguf") == ["-00001-of-00001.gguf"])
    }
}

@Suite struct ModelHyperparametersTests {
    func hyperparameters(_ builder: GGUFBuilder) throws -> ModelHyperparameters {
        try ModelHyperparameters(file: try GGUFParser.parse(GGUFMemorySource(builder.bytes)), path: "m.gguf")
    }

    @Test func readsTheFiguresLlamaCppReads() throws {
        let model = try hyperparameters(GGUFBuilder.llama())
        #expect(model == ModelHyperparameters(architecture: "llama", layerCount: 2, trainingContext: 4096, embeddingLength: 64,
                                              headCounts: [4, 4], headCountsKV: [2, 2], keyLength: 16, valueLength: 16,
                                              feedForwardLength: 128, vocabularySize: 300))
        #expect(model.feedForwardActivations == 128 && model.mostHeads == 4)
    }

    @Test func expertsWidenTheFeedForwardActivations() throws {
        var builder = GGUFBuilder.llama()
        builder.metadata += [("llama.expert_feed_forward_length", .uint32(96)), ("llama.expert_used_count", .uint32(8))]
        let model = try hyperparameters(builder)
        #expect(model.expertFeedForwardLength == 96 && model.expertsUsed == 8)
        #expect(model.feedForwardActivations == 768)
    }

    @Test func perLayerHeadCountsAndExplicitHeadLengths() throws {
        var builder = GGUFBuilder.llama(layers: 3, headsKV: .array(.int32, [.int32(4), .int32(0), .int32(1)]))
        builder.metadata += [("llama.attention.key_length", .uint32(24)), ("llama.attention.value_length", .uint32(8))]
        let model = try hyperparameters(builder)
        #expect(model.headCountsKV == [4, 0, 1])
        #expect(model.keyWidth(layer: 0) == 96 && model.keyWidth(layer: 1) == 0 && model.keyWidth(layer: 2) == 24)
        #expect(model.valueWidth(layer: 0) == 32 && model.widestValue == 32)
    }

    @Test func missingOrMalformedKeysAreNamed() throws {
        var noLayers = GGUFBuilder.llama()
        noLayers.metadata.removeAll { $0.0 == "llama.block_count" }
        #expect(throws: ModelMemoryError.missingKey(path: "m.gguf", key: "llama.block_count")) { try hyperparameters(noLayers) }

        var noArchitecture = GGUFBuilder.llama()
        noArchitecture.metadata.removeAll { $0.0 == "general.architecture" }
        #expect(throws: ModelMemoryError.missingKey(path: "m.gguf", key: "general.architecture")) { try hyperparameters(noArchitecture) }

        let shortArray = GGUFBuilder.llama(layers: 3, headsKV: .array(.int32, [.int32(4)]))
        #expect(throws: ModelMemoryError.invalidKey(path: "m.gguf", key: "llama.attention.head_count_kv", reason: "has 1 values for 3 layers")) {
            try hyperparameters(shortArray)
        }

        var negative = GGUFBuilder.llama()
        negative.metadata.append(("llama.attention.key_length", .int32(-1)))
        #expect(throws: ModelMemoryError.invalidKey(path: "m.gguf", key: "llama.attention.key_length", reason: "is not a non-negative integer")) {
            try hyperparameters(negative)
        }

        var huge = GGUFBuilder.llama()
        huge.metadata = huge.metadata.map { $0.0 == "llama.block_count" ? ($0.0, .uint64(1 << 40)) : $0 }
        #expect(throws: ModelMemoryError.invalidKey(path: "m.gguf", key: "llama.block_count", reason: "is over 65536")) {
            try hyperparameters(huge)
        }
        #expect(ModelMemoryError.missingKey(path: "m.gguf", key: "llama.block_count").description == "m.gguf: metadata key llama.block_count is missing")
    }
}
