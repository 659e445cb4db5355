/// Memory llama-server takes beyond weights and KV cache: the compute buffer its scheduler
/// reserves for the largest batch, and the output buffer for logits. Fitted to what
/// llama-server reports (`sched_reserve: CPU compute buffer size`, `llama_context: CPU output
/// buffer size`) on llama-shaped models of 256 to 1024 wide, 512 to 4096 feed-forward, 1k to 32k
/// tokens, 256 to 16384 context, 1 to 4 slots, micro-batches of 128 and 512 (README, "Memory
/// estimate"). With T = min(ubatch, batch, context) tokens per micro-batch, E the embedding
/// width, F the feed-forward width (or experts used × expert width), n_kv the cells of one cache
/// stream, H the most query heads, V the vocabulary and S the slots:
///
/// - with flash attention (llama-server's `auto` turns it on where it can):
///   `4·T·(5E + 3F) + 2·n_kv·T` — the activations of one micro-batch and the f16 attention mask;
/// - without (`-fa off`), whichever is larger of that and
///   `4·n_kv·T·(H + 1) + 4·T·8E` — the f32 scores of every head, the f32 mask and the rest;
/// - plus the output buffer, `4·S·V` (one row of logits per slot), and 64 KiB for small inputs.
public enum ComputeMargin {
    public static func bytes(of model: ModelHyperparameters, layout: KVCacheLayout, arguments: LlamaServerMemoryArguments) -> UInt64 {
        let batch = min(arguments.batchSize, layout.context)
        let tokens = min(arguments.microBatchSize == 0 ? batch : arguments.microBatchSize, batch)
        let cells = layout.cellsPerStream
        // Saturating throughout: absurd figures from a corrupt file give UInt64.max, not a trap.
        let embedding = model.embeddingLength, feedForward = model.feedForwardActivations
        let widths = [embedding.saturatingMultiplied(by: 5), feedForward.saturatingMultiplied(by: 3)].saturatingSum()
        let activations = (4 * tokens).saturatingMultiplied(by: widths)
        let mask = (2 * tokens).saturatingMultiplied(by: cells)
        var compute = activations.saturatingAdding(mask)
        if arguments.flashAttention == false {
            let scores = (4 * tokens).saturatingMultiplied(by: cells).saturatingMultiplied(by: model.mostHeads.saturatingAdding(1))
            compute = max(compute, scores.saturatingAdding((32 * tokens).saturatingMultiplied(by: embedding)))
        }
        return [compute, slack, outputBytes(of: model, layout: layout)].saturatingSum()
    }

    /// Small graph inputs (positions, output ids) beside the terms above: llama-server reports
    /// about 20 KiB more than they give.
    static let slack: UInt64 = 64 << 10

    /// The logits buffer: one row of the vocabulary, in f32, per slot.
    public static func outputBytes(of model: ModelHyperparameters, layout: KVCacheLayout) -> UInt64 {
        (4 * layout.slots).saturatingMultiplied(by: model.vocabularySize)
    }
}
