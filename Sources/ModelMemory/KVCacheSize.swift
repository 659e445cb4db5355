extension KVCacheLayout {
    /// Bytes of the K and V tensors of every layer:
    /// Σ layers (row(K type, n_embd_k_gqa) + row(V type, n_embd_v_gqa)) × cells.
    /// Without flash attention V is stored transposed and every layer's V is as wide as the
    /// widest (llama_kv_cache: n_embd_v_gqa_max); with it (llama-server's `auto` turns it on
    /// where the device supports it) each layer has its own width. Every attention layer is
    /// taken at full context: sliding-window layers would need less (an over-estimate for
    /// models such as Gemma 2/3), and recurrent state (Mamba, RWKV, hybrids) is not counted.
    public func bytes(of model: ModelHyperparameters, keyType: GGMLType, valueType: GGMLType, flashAttention: Bool) -> UInt64 {
        let perCell = (0..<model.headCountsKV.count).map { layer in
            let valueWidth = flashAttention ? model.valueWidth(layer: layer) : model.widestValue
            return (keyType.rowBytes(elements: model.keyWidth(layer: layer)) ?? .max)
                .saturatingAdding(valueType.rowBytes(elements: valueWidth) ?? .max)
        }.saturatingSum()
        return perCell.saturatingMultiplied(by: cells)
    }
}
