import Glibc
import ModelMemory
import ProxyJSON

// A developer's tool around ModelMemory, used by Tests/e2e/test_memory_estimate.py:
//   llama-memory-estimate MODEL.gguf [llama-server arguments ...]   the estimate, as JSON
//   llama-memory-estimate --report < llama-server-output            each report found, as JSON lines

let usage = """
    usage: llama-memory-estimate MODEL.gguf [llama-server arguments ...]
           llama-memory-estimate --report < llama-server-output
    """

func fail(_ message: String, status: Int32) -> Never {
    var line = Array("llama-memory-estimate: \(message)\n".utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    exit(status)
}

func json(_ estimate: ModelMemoryEstimate) -> JSONValue {
    .object([
        ("weights", .int(Int(estimate.weights))), ("kv_cache", .int(Int(estimate.kvCache))),
        ("compute", .int(Int(estimate.compute))), ("total", .int(Int(estimate.total))),
    ])
}

func json(_ report: LlamaServerMemoryReport, projected: UInt64?) -> JSONValue {
    let parts: [JSONValue] = report.parts.map { part in
        .object([
            ("name", .string(part.name)), ("model", .int(Int(part.model))), ("context", .int(Int(part.context))),
            ("compute", .int(Int(part.compute))), ("output", .int(Int(part.output))),
        ])
    }
    return .object([
        ("source", .string(report.source == .bufferLines ? "buffer_lines" : "breakdown_table")),
        ("model", .int(Int(report.model))), ("context", .int(Int(report.context))),
        ("compute", .int(Int(report.compute))), ("output", .int(Int(report.output))), ("total", .int(Int(report.total))),
        ("projected", projected.map { .int(Int($0)) } ?? .null), ("parts", .array(parts)),
    ])
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first, first != "--help", first != "-h" else { fail(usage, status: arguments.isEmpty ? 2 : 0) }

if first == "--report" {
    var parser = LlamaServerMemoryReportParser()
    while let line = readLine(strippingNewline: true) {
        if let report = parser.feed(line) { print(json(report, projected: parser.projectedBytes).serializedString) }
    }
    if let report = parser.finish() { print(json(report, projected: parser.projectedBytes).serializedString) }
    exit(0)
}

do {
    let estimate = try ModelMemoryEstimator.estimate(modelFiles: [first], arguments: Array(arguments.dropFirst()))
    print(json(estimate).serializedString)
} catch {
    fail("\(error)", status: 1)
}
