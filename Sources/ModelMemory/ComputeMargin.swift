/// Memory llama-server takes beyond weights and KV cache: the compute buffer its scheduler
/// reserves for the largest batch, plus the output buffer (logits). The formula is fitted to
/// what llama-server reports (see README, "Memory estimate").
public enum ComputeMargin {
    public static func bytes(of model: ModelHyperparameters, layout: KVCacheLayout, arguments: LlamaServerMemoryArguments) -> UInt64 {
        let tokens = min(arguments.microBatchSize, arguments.batchSize, layout.cells)
        let logits = model.vocabularySize * tokens * 4
        let mask = layout.cellsPerStream * tokens * 4
        return logits + mask + 4 * model.embeddingLength * tokens * 4
    }
}
