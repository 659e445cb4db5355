/// Recognises llama.cpp quantization labels such as `Q4_K_M`, `IQ2_XXS`, `Q8_0`, `F16`, `BF16`,
/// `MXFP4` and Unsloth's `UD-Q4_K_XL`, so `qwen` can find `qwen-Q4_K_M` but not `qwen-7b`.
enum QuantizationLabel {
    static func isLabel(_ text: some StringProtocol) -> Bool {
        var label = Substring(text.uppercased())
        if label.hasPrefix("UD-") || label.hasPrefix("UD_") { label = label.dropFirst(3) }
        if ["F16", "F32", "F64", "BF16", "FP16", "FP32", "FP8"].contains(label) { return true }
        if label.hasPrefix("MXFP4") || label.hasPrefix("NVFP4") { return true }
        if label.hasPrefix("IQ") || label.hasPrefix("TQ") { label = label.dropFirst() }
        guard label.hasPrefix("Q") else { return false }
        let groups = label.dropFirst().split(separator: "_", omittingEmptySubsequences: false)
        guard let bits = groups.first, !bits.isEmpty, bits.allSatisfy(\.isNumber) else { return false }
        return groups.dropFirst().allSatisfy { group in
            !group.isEmpty && group.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) }
        }
    }
}
