import ModelMemory
import ProxyPool

/// A child's output read for what llama-server says it allocated (ModelMemory's parser): the
/// total of each report, weights, KV cache, compute and output buffers over every device of its
/// host (buffers on llama.cpp RPC servers are held on theirs, so they do not count here).
struct LlamaServerReportReader: ChildMemoryReader {
    private var parser = LlamaServerMemoryReportParser()

    mutating func feed(_ line: [UInt8]) -> UInt64? {
        parser.feed(String(decoding: line, as: UTF8.self))?.localTotal
    }

    mutating func finish() -> UInt64? {
        parser.finish()?.localTotal
    }
}
