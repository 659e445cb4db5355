import ModelMemory
import ProxyPool

/// A child's output read for what llama-server says it allocated (ModelMemory's parser): the
/// total of each report, weights, KV cache, compute and output buffers over every device.
struct LlamaServerReportReader: ChildMemoryReader {
    private var parser = LlamaServerMemoryReportParser()

    mutating func feed(_ line: [UInt8]) -> UInt64? {
        parser.feed(String(decoding: line, as: UTF8.self))?.total
    }

    mutating func finish() -> UInt64? {
        parser.finish()?.total
    }
}
