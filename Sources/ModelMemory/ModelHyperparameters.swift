/// The figures of a model that size its KV cache and compute buffers, from GGUF metadata as
/// llama.cpp reads them (llama_model::load_hparams): `<arch>.block_count`,
/// `<arch>.context_length`, `<arch>.embedding_length`, `<arch>.attention.head_count` and
/// `head_count_kv` (a number or one per layer; kv defaults to head_count),
/// `<arch>.attention.key_length` / `value_length` (default embedding_length / head_count of
/// layer 0), `<arch>.feed_forward_length` (a number or one per layer),
/// `<arch>.expert_feed_forward_length` and `<arch>.expert_used_count` (mixtures of experts), the
/// vocabulary from `tokenizer.ggml.tokens` (or `<arch>.vocab_size`).
public struct ModelHyperparameters: Sendable, Equatable {
    public let architecture: String
    public let layerCount: UInt64
    public let trainingContext: UInt64
    public let embeddingLength: UInt64
    /// Query heads of each layer.
    public let headCounts: [UInt64]
    /// KV heads of each layer; 0 for a layer without attention (recurrent layers of hybrids).
    public let headCountsKV: [UInt64]
    public let keyLength: UInt64
    public let valueLength: UInt64
    /// The widest feed-forward layer.
    public let feedForwardLength: UInt64
    /// Width of one expert's feed-forward layer, and how many experts each token uses (0 for
    /// dense models).
    public let expertFeedForwardLength: UInt64
    public let expertsUsed: UInt64
    public let vocabularySize: UInt64

    public init(architecture: String, layerCount: UInt64, trainingContext: UInt64, embeddingLength: UInt64,
                headCounts: [UInt64], headCountsKV: [UInt64], keyLength: UInt64, valueLength: UInt64,
                feedForwardLength: UInt64 = 0, expertFeedForwardLength: UInt64 = 0, expertsUsed: UInt64 = 0,
                vocabularySize: UInt64) {
        self.architecture = architecture
        self.layerCount = layerCount
        self.trainingContext = trainingContext
        self.embeddingLength = embeddingLength
        self.headCounts = headCounts
        self.headCountsKV = headCountsKV
        self.keyLength = keyLength
        self.valueLength = valueLength
        self.feedForwardLength = feedForwardLength
        self.expertFeedForwardLength = expertFeedForwardLength
        self.expertsUsed = expertsUsed
        self.vocabularySize = vocabularySize
    }

    /// Width of one K row (one token) in layer `layer`: n_embd_k_gqa.
    public func keyWidth(layer: Int) -> UInt64 { keyLength.saturatingMultiplied(by: headCountsKV[layer]) }
    /// Width of one V row in layer `layer`: n_embd_v_gqa.
    public func valueWidth(layer: Int) -> UInt64 { valueLength.saturatingMultiplied(by: headCountsKV[layer]) }

    /// The largest value width of any layer (llama.cpp sizes a transposed V cache by it).
    public var widestValue: UInt64 { (0..<headCountsKV.count).map(valueWidth).max() ?? 0 }

    /// Feed-forward activations per token: the dense width, or the experts a token goes through.
    public var feedForwardActivations: UInt64 {
        max(feedForwardLength, expertFeedForwardLength.saturatingMultiplied(by: expertsUsed))
    }

    /// The most query heads of any layer.
    public var mostHeads: UInt64 { headCounts.max() ?? 0 }
}

extension ModelHyperparameters {
    /// Most layers a model could have; a larger block_count is a corrupt file.
    static let maximumLayers: UInt64 = 1 << 16

    public init(file: GGUFFile, path: String) throws {
        func integer(_ key: String) throws -> UInt64? {
            guard let value = file[key] else { return nil }
            guard let number = value.integer, number >= 0 else {
                throw ModelMemoryError.invalidKey(path: path, key: key, reason: "is not a non-negative integer")
            }
            return UInt64(number)
        }
        func required(_ key: String) throws -> UInt64 {
            guard let value = try integer(key) else { throw ModelMemoryError.missingKey(path: path, key: key) }
            return value
        }
        /// A number for every layer, or one per layer.
        func perLayer(_ key: String, layers: UInt64) throws -> [UInt64]? {
            guard let value = file[key] else { return nil }
            guard let numbers = value.integers, numbers.allSatisfy({ $0 >= 0 }) else {
                throw ModelMemoryError.invalidKey(path: path, key: key, reason: "is neither a non-negative integer nor an array of them")
            }
            if numbers.count == 1, value.integer != nil { return Array(repeating: UInt64(numbers[0]), count: Int(layers)) }
            guard numbers.count == layers else {
                throw ModelMemoryError.invalidKey(path: path, key: key, reason: "has \(numbers.count) values for \(layers) layers")
            }
            return numbers.map { UInt64($0) }
        }

        guard let architectureValue = file["general.architecture"] else {
            throw ModelMemoryError.missingKey(path: path, key: "general.architecture")
        }
        guard let architecture = architectureValue.string else {
            throw ModelMemoryError.invalidKey(path: path, key: "general.architecture", reason: "is not a string")
        }
        let prefix = architecture + "."
        let layers = try required(prefix + "block_count")
        guard layers <= Self.maximumLayers else {
            throw ModelMemoryError.invalidKey(path: path, key: prefix + "block_count", reason: "is over \(Self.maximumLayers)")
        }
        let embedding = try required(prefix + "embedding_length")
        let heads = try perLayer(prefix + "attention.head_count", layers: layers) ?? Array(repeating: 0, count: Int(layers))
        let headsKV = try perLayer(prefix + "attention.head_count_kv", layers: layers) ?? heads
        let defaultHeadLength = (heads.first ?? 0) > 0 ? embedding / heads[0] : 0
        let tokens: UInt64? = if case .array(let array) = file["tokenizer.ggml.tokens"] { array.count } else { nil }
        self.init(
            architecture: architecture,
            layerCount: layers,
            trainingContext: try required(prefix + "context_length"),
            embeddingLength: embedding,
            headCounts: heads,
            headCountsKV: headsKV,
            keyLength: try integer(prefix + "attention.key_length") ?? defaultHeadLength,
            valueLength: try integer(prefix + "attention.value_length") ?? defaultHeadLength,
            feedForwardLength: try perLayer(prefix + "feed_forward_length", layers: layers)?.max() ?? 0,
            expertFeedForwardLength: try integer(prefix + "expert_feed_forward_length") ?? 0,
            expertsUsed: try integer(prefix + "expert_used_count") ?? 0,
            vocabularySize: try tokens ?? integer(prefix + "vocab_size") ?? 0)
    }
}
