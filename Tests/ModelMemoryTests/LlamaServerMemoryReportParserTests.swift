import Testing
@testable import ModelMemory

@Suite struct LlamaServerMemoryReportParserTests {
    static let mebibyte: UInt64 = 1 << 20

    /// Lines of `llama-server -m split-00001-of-00002.gguf -c 2048 -np 2 -lv 4`, as captured
    /// (llama.cpp as built by scripts/build-llama-server.sh), with the lines between them that
    /// matter: the fit's dry run, the load, the exit.
    static let splitModelRun = """
        0.00.156.064 I common_memory_breakdown_print: | memory breakdown [MiB] | total   free    self   model   context   compute    unaccounted |
        0.00.156.830 I common_memory_breakdown_print: |   - Host               |                   20 =     6 +       8 +       6                |
        0.00.157.176 I common_params_fit_impl: projected to use 20 MiB of host memory vs. 24105 MiB of total host memory
        0.00.157.177 I common_params_fit_impl: will leave 24084 >= 1024 MiB of system memory, no changes needed
        0.00.170.540 I load_tensors: loading model tensors, this can take a while... (load_mode = mmap)
        0.00.170.566 I load_tensors:   CPU_Mapped model buffer size =     3.00 MiB
        0.00.170.612 I load_tensors:   CPU_Mapped model buffer size =     3.00 MiB
        0.00.171.003 I llama_context: n_ctx                 = 2048
        0.00.171.306 I llama_context:        CPU  output buffer size =     0.01 MiB
        0.00.171.446 I llama_kv_cache:        CPU KV buffer size =     8.00 MiB
        0.00.171.500 I llama_kv_cache: size =    8.00 MiB (  1024 cells,   4 layers,  2/2 seqs), K (f16):    4.00 MiB, V (f16):    4.00 MiB
        0.00.171.600 I sched_reserve: reserving ...
        0.00.193.785 I sched_reserve:        CPU compute buffer size =     6.52 MiB
        0.00.194.300 I sched_reserve: graph: nodes = 141, splits = 1, input objects = 4, input tensors = 9
        0.03.014.117 I srv  llama_server: listening on http://127.0.0.1:18558
        0.05.016.262 I common_memory_breakdown_print: | memory breakdown [MiB] | total   free    self   model   context   compute    unaccounted |
        0.05.016.326 I common_memory_breakdown_print: |   - Host               |                   20 =     6 +       8 +       6                |
        """

    func feedAll(_ text: String) -> (reports: [(line: Int, report: LlamaServerMemoryReport)], parser: LlamaServerMemoryReportParser) {
        var parser = LlamaServerMemoryReportParser()
        var reports: [(Int, LlamaServerMemoryReport)] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if let report = parser.feed(line) { reports.append((index, report)) }
        }
        if let report = parser.finish() { reports.append((lines.count, report)) }
        return (reports, parser)
    }

    @Test func aRunGivesTheDryRunTableTheLoadAndTheExitTable() {
        let (reports, parser) = feedAll(Self.splitModelRun)
        #expect(reports.map(\.line) == [2, 13, 17])
        guard reports.count == 3 else {
            Issue.record("expected three reports, got \(reports.count)")
            return
        }
        let dryRun = reports[0].report
        #expect(dryRun == LlamaServerMemoryReport(source: .breakdownTable, parts: [
            .init(name: "Host", model: 6 * Self.mebibyte, context: 8 * Self.mebibyte, compute: 6 * Self.mebibyte),
        ]))
        #expect(dryRun.total == 20 * Self.mebibyte)

        let load = reports[1].report
        #expect(load.source == .bufferLines)
        #expect(load.parts.map(\.name) == ["CPU_Mapped", "CPU"])
        #expect(load.model == 6 * Self.mebibyte)  // two split parts of 3.00 MiB, summed
        #expect(load.context == 8 * Self.mebibyte)
        #expect(load.output == 10_486)  // 0.01 MiB
        #expect(load.compute == 6_836_716)  // 6.52 MiB
        #expect(load.total == load.model + load.context + load.compute + load.output)

        #expect(reports[2].report == dryRun)  // the exit table, complete at the end of the output
        #expect(parser.projectedBytes == 20 * Self.mebibyte)
    }

    @Test func linesFedInAnyPrefixFormAreRead() {
        // Without the timestamp and level llama-server adds at -lv 4.
        var parser = LlamaServerMemoryReportParser()
        #expect(parser.feed("load_tensors:   CPU_Mapped model buffer size =   120.25 MiB") == nil)
        #expect(parser.feed("llama_kv_cache:        CPU KV buffer size =    64.00 MiB") == nil)
        #expect(parser.feed("sched_reserve:        CPU compute buffer size =    21.52 MiB") == nil)
        let report = parser.feed("sched_reserve: graph: nodes = 71, splits = 1")
        #expect(report?.model == 126_091_264 && report?.context == 64 * Self.mebibyte && report?.compute == 22_565_356)
        #expect(parser.finish() == nil)  // nothing under way any more
    }

    @Test func deviceRowsAndOtherBufferTypes() {
        // Rows as common_memory_breakdown_print formats them for a GPU and a host buffer type
        // (no GPU here to capture them from): total = free + (self = model + context + compute) + unaccounted.
        let table = """
            common_memory_breakdown_print: | memory breakdown [MiB] | total    free     self   model   context   compute    unaccounted |
            common_memory_breakdown_print: |   - CUDA0 (RTX 4090)   | 24080 = 14000 + ( 9000 =  7000 +    1500 +     500) +       1080 |
            common_memory_breakdown_print: |   - CUDA1 (RTX 4090)   | 24080 = 23000 + ( 1000 =   800 +     100 +     100) +        -20 |
            common_memory_breakdown_print: |   - Host               |                  300 =   250 +       0 +      50                |
            common_memory_breakdown_print: |   - CUDA_Host          |                   12 =     0 +       0 +      12                |
            srv  llama_server: model loaded
            """
        let (reports, _) = feedAll(table)
        #expect(reports.map(\.line) == [5])
        #expect(reports.first?.report.parts == [
            .init(name: "CUDA0 (RTX 4090)", model: 7000 * Self.mebibyte, context: 1500 * Self.mebibyte, compute: 500 * Self.mebibyte),
            .init(name: "CUDA1 (RTX 4090)", model: 800 * Self.mebibyte, context: 100 * Self.mebibyte, compute: 100 * Self.mebibyte),
            .init(name: "Host", model: 250 * Self.mebibyte, context: 0, compute: 50 * Self.mebibyte),
            .init(name: "CUDA_Host", model: 0, context: 0, compute: 12 * Self.mebibyte),
        ])
        #expect(reports.first?.report.total == (7000 + 1500 + 500 + 800 + 100 + 100 + 250 + 50 + 12) * Self.mebibyte)
    }

    @Test func linesThatOnlyLookAlikeAreIgnored() {
        var parser = LlamaServerMemoryReportParser()
        let noise = [
            "llama_kv_cache: size =    8.00 MiB ( 16384 cells,   2 layers,  4/1 seqs), K (f16):    4.00 MiB, V (f16):    4.00 MiB",
            "load_tensors: model buffer size = 12.00 MiB",  // no buffer name
            "load_tensors:   CPU_Mapped model buffer size =   lots MiB",
            "load_tensors:   CPU_Mapped model buffer size =   -1.00 MiB",
            "user text: | - not a row | at all |",
            "projected to use many MiB",
            "",
        ]
        for line in noise { #expect(parser.feed(line) == nil, "\(line)") }
        #expect(parser.finish() == nil)
        #expect(parser.projectedBytes == nil)
    }

    @Test func anEmptyOrCutTableGivesNothing() {
        var parser = LlamaServerMemoryReportParser()
        #expect(parser.feed("common_memory_breakdown_print: | memory breakdown [MiB] | total free self model context compute unaccounted |") == nil)
        #expect(parser.feed("srv  llama_server: model loaded") == nil)
        #expect(parser.feed("common_memory_breakdown_print: | memory breakdown [MiB] | total free self model context compute unaccounted |") == nil)
        #expect(parser.finish() == nil)
    }

    @Test func aSecondLoadStartsAFreshReport() {
        var parser = LlamaServerMemoryReportParser()
        _ = parser.feed("load_tensors:   CPU_Mapped model buffer size =     1.00 MiB")
        _ = parser.feed("sched_reserve:        CPU compute buffer size =     2.00 MiB")
        let first = parser.feed("load_tensors:   CPU_Mapped model buffer size =     5.00 MiB")
        #expect(first?.model == Self.mebibyte && first?.compute == 2 * Self.mebibyte)
        _ = parser.feed("sched_reserve:        CPU compute buffer size =     3.00 MiB")
        let second = parser.finish()
        #expect(second?.model == 5 * Self.mebibyte && second?.compute == 3 * Self.mebibyte)
    }

    /// Lines of `llama-server -m tiny.gguf --rpc 127.0.0.1:50061,127.0.0.1:50062 -ngl 99 -lv 4`, as
    /// captured: the weights, KV cache and compute buffers on the two RPC servers are theirs, not
    /// the child's host's.
    static let rpcSplitRun = """
        0.00.014.718 I common_memory_breakdown_print: | memory breakdown [MiB] | total   free    self   model   context   compute    unaccounted |
        0.00.014.718 I common_memory_breakdown_print: |   - RPC0 (127.0.0.1:50061) | 24105 = 24105 + (  74 =     0 +       8 +      66) +         -74 |
        0.00.014.718 I common_memory_breakdown_print: |   - RPC1 (127.0.0.1:50062) | 24105 = 24105 + (   0 =     0 +       0 +       0) +           0 |
        0.00.014.719 I common_memory_breakdown_print: |   - Host               |                   65 =     0 +       0 +      65                |
        0.00.016.272 I common_params_fit_impl: projected to use 75 MiB of device memory vs. 48211 MiB of free device memory
        0.00.020.001 I load_tensors:   CPU_Mapped model buffer size =     0.07 MiB
        0.00.020.002 I load_tensors: RPC0[127.0.0.1:50061] model buffer size =     0.31 MiB
        0.00.020.002 I load_tensors: RPC0[127.0.0.1:50062] model buffer size =     0.07 MiB
        0.00.021.441 I llama_context:        CPU  output buffer size =     0.00 MiB
        0.00.022.020 I llama_kv_cache: RPC0[127.0.0.1:50061] KV buffer size =     8.00 MiB
        0.00.029.570 I sched_reserve: RPC0[127.0.0.1:50061] compute buffer size =    66.68 MiB
        0.00.029.584 I sched_reserve: RPC0[127.0.0.1:50062] compute buffer size =     0.01 MiB
        0.00.029.585 I sched_reserve:        CPU compute buffer size =    65.32 MiB
        0.00.030.000 I sched_reserve: graph: nodes = 41, splits = 3
        """

    @Test func buffersOnRPCServersAreNotTheHostsOwn() throws {
        let reports = feedAll(Self.rpcSplitRun).reports.map(\.report)
        try #require(reports.count == 2)
        let table = reports[0]
        #expect(table.source == .breakdownTable)
        #expect(table.parts.map(\.isOnRPCServer) == [true, true, false])
        #expect(table.total == (74 + 65) * Self.mebibyte)
        #expect(table.localTotal == 65 * Self.mebibyte)
        let buffers = reports[1]
        #expect(buffers.source == .bufferLines)
        #expect(buffers.parts.filter(\.isOnRPCServer).map(\.name) == ["RPC0[127.0.0.1:50061]", "RPC0[127.0.0.1:50062]"])
        let local = UInt64((0.07 * 1_048_576).rounded()) + UInt64((65.32 * 1_048_576).rounded())
        #expect(buffers.localTotal == local)
        #expect(buffers.total > local + 75 * Self.mebibyte)
    }

    @Test func onlyAnRPCDeviceNameWithItsNumberAndAddressIsRemote() {
        let names = ["RPC0[10.0.0.2:50052]", "RPC12 (host:1)", "RPC", "RPC0", "RPCX[a:1]", "RPC[a:1]", "CPU", "CUDA0", "Host", "RPC0 host"]
        #expect(names.map { LlamaServerMemoryReport.Part(name: $0).isOnRPCServer }
            == [true, true, false, false, false, false, false, false, false, false])
    }
}
