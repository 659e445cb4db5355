import Testing
@testable import ProxyAPI

@Suite struct LlamaServerReportReaderTests {
    func feed(_ reader: inout LlamaServerReportReader, _ line: String) -> UInt64? {
        reader.feed(Array(line.utf8))
    }

    @Test func aLoadsBufferLinesGiveTheirTotal() {
        var reader = LlamaServerReportReader()
        #expect(feed(&reader, "0.00.012.922 I load_tensors:   CPU_Mapped model buffer size =     0.45 MiB") == nil)
        #expect(feed(&reader, "0.00.021.222 I llama_context:        CPU  output buffer size =     0.00 MiB") == nil)
        #expect(feed(&reader, "0.00.021.856 I llama_kv_cache:        CPU KV buffer size =     8.00 MiB") == nil)
        #expect(feed(&reader, "0.00.043.969 I sched_reserve:        CPU compute buffer size =    17.14 MiB") == nil)
        let total = feed(&reader, "0.00.044.878 I sched_reserve: graph: nodes = 71, splits = 1, input objects = 4, input tensors = 9")
        #expect(total == 471_859 + 8 * (1 << 20) + 17_972_593)  // 0.45 + 8.00 + 17.14 MiB, each rounded to bytes
        #expect(reader.finish() == nil)
    }

    @Test func aBreakdownTableCutOffByTheEndIsFinished() {
        var reader = LlamaServerReportReader()
        #expect(feed(&reader, "common_memory_breakdown_print: | memory breakdown [MiB] | total free self model context compute unaccounted |") == nil)
        #expect(feed(&reader, "common_memory_breakdown_print: |   - Host               |                   25 =     0 +       8 +      17                |") == nil)
        #expect(reader.finish() == 25 << 20)
    }
}
