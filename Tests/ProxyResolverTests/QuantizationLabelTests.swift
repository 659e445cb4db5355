import Testing
import ProxyConfig
import ProxyResolver

/// Quantization labels decide whether a bare name picks a tagged variant, so test them through
/// `resolve`: `m` finds `m-LABEL` only when LABEL is a quantization label.
@Suite struct QuantizationLabelTests {
    func bareNameFinds(_ label: String) -> Bool {
        let resolver = ModelResolver(configured: [], listing: FolderListing(path: "/m", entries: [.file("m-\(label).gguf")]))
        if case .found = resolver.resolve("m") { return true }
        return false
    }

    @Test(arguments: ["Q4_K_M", "q4_k_m", "Q8_0", "Q2_K", "Q4_0_4_4", "Q6_K", "IQ2_XXS", "IQ4_NL", "IQ1_S", "TQ1_0",
                      "F16", "f32", "BF16", "MXFP4", "MXFP4_MOE", "UD-Q4_K_XL", "UD-IQ1_S", "Q4"])
    func recognises(_ label: String) {
        #expect(bareNameFinds(label))
    }

    @Test(arguments: ["7b", "instruct", "latest", "Q", "QK_M", "Q4__M", "Q4_", "IQ", "F", "v2", "Qwen", "UD-", "Q4-K"])
    func rejects(_ label: String) {
        #expect(!bareNameFinds(label))
    }
}
