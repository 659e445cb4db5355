import Testing
@testable import ModelMemory

/// The formula against figures llama-server (llama.cpp as built by scripts/build-llama-server.sh)
/// reported for models made by scripts/make-sized-model.py: compute buffer plus output buffer,
/// from `sched_reserve: CPU compute buffer size` and `llama_context: CPU output buffer size`
/// (MiB with two decimals).
@Suite struct ComputeMarginTests {
    /// make-sized-model.py --width 512 --heads 8 --kv-heads 2 --feed-forward 2816 --layers 2 --vocab 1024
    static let model = ModelHyperparameters(architecture: "llama", layerCount: 2, trainingContext: 4096, embeddingLength: 512,
                                            headCounts: [8, 8], headCountsKV: [2, 2], keyLength: 64, valueLength: 64,
                                            feedForwardLength: 2816, vocabularySize: 1024)

    func compute(_ arguments: [String]) throws -> UInt64 {
        let parsed = try LlamaServerMemoryArguments(parsing: arguments)
        return ComputeMargin.bytes(of: Self.model, layout: KVCacheLayout(arguments: parsed, trainingContext: 4096), arguments: parsed)
    }

    /// Arguments, and compute + output buffer in MiB as reported.
    static let reports: [([String], Double)] = [
        (["-c", "1024"], 22.54),
        (["-c", "4096"], 25.54),
        (["-c", "16384"], 37.54),
        (["-c", "4096", "-np", "4"], 22.54),
        (["-c", "4096", "-np", "1"], 25.52),
        (["-c", "4096", "-ub", "128"], 6.40),
        (["-c", "4096", "-np", "2", "-kvu"], 25.53),
        (["-c", "256"], 10.90),
    ]

    static let mebibyte: Double = 1024 * 1024
    /// The terms of the formula that do not change below: slack and output buffer (4 slots).
    static let fixed: UInt64 = (64 << 10) + 4 * 4 * 1024
    /// 5E + 3F
    static let widths: UInt64 = 5 * 512 + 3 * 2816

    @Test(arguments: reports)
    func withFlashAttentionTheFormulaIsWithinAFewKiB(arguments: [String], reportedMiB: Double) throws {
        let estimate = Double(try compute(arguments))
        let reported = reportedMiB * Self.mebibyte
        // Never below what llama-server reports (less its two-decimal rounding), at most 0.1 MiB above.
        let lowest = reported - 0.005 * Self.mebibyte
        let highest = reported + 0.1 * Self.mebibyte
        #expect(estimate >= lowest && estimate <= highest, "\(arguments)")
    }

    @Test func withoutFlashAttentionTheScoresOfEveryHeadCount() throws {
        let reported = 78.53 * Self.mebibyte
        let estimate = try compute(["-c", "4096", "-fa", "off"])
        // The formula is on the safe side here: 2 % above.
        #expect(Double(estimate) >= reported && Double(estimate) <= reported * 1.03)
        let scores: UInt64 = 4 * 4096 * 512 * 9
        let rest: UInt64 = 4 * 512 * 8 * 512
        #expect(estimate == scores + rest + Self.fixed)
    }

    @Test func theFormulaTermByTerm() throws {
        // 4·T·(5E + 3F) + 2·n_kv·T + slack + 4·S·V, with T = 512, n_kv = 4096, S = 4.
        let full: UInt64 = 4 * 512 * Self.widths + 2 * 4096 * 512
        #expect(try compute(["-c", "4096"]) == full + Self.fixed)
        // A context below the micro-batch caps the batch: T = 300, n_kv = 512.
        let short: UInt64 = 4 * 300 * Self.widths + 2 * 512 * 300
        #expect(try compute(["-c", "300"]) == short + Self.fixed)
        // -ub 0 means the whole batch.
        let whole: UInt64 = 4 * 256 * Self.widths + 2 * 4096 * 256
        #expect(try compute(["-c", "4096", "-b", "256", "-ub", "0"]) == whole + Self.fixed)
    }
}
