/// Reads llama-server's output line by line and yields what it allocated, as soon as a report
/// is complete:
///
/// - The buffer lines of a load (default verbosity): `load_tensors: CPU_Mapped model buffer size
///   = 12.34 MiB`, `llama_kv_cache: CPU KV buffer size = ...`, `llama_context: CPU output buffer
///   size = ...`, `sched_reserve: CPU compute buffer size = ...`. Complete at the first line
///   after the compute buffer lines (the graph summary).
/// - The `memory breakdown [MiB]` table (`-lv 4`): complete at the first line after its rows,
///   or at `finish()` when it is the last output (llama-server prints it as it exits).
/// - `projected to use N MiB of host (or device) memory` (`-lv 4`, --fit's dry run) is kept in
///   `projectedBytes`.
///
/// Pure: no I/O, and nothing kept but the report under way.
public struct LlamaServerMemoryReportParser: Sendable {
    private var buffers: [LlamaServerMemoryReport.Part] = []
    private var sawCompute = false
    private var table: [LlamaServerMemoryReport.Part]?

    /// The last `projected to use N MiB` figure seen, in bytes.
    public private(set) var projectedBytes: UInt64?

    public init() {}

    /// Feeds one output line (without its line end); returns a report when this line completes one.
    public mutating func feed<Line: StringProtocol>(_ line: Line) -> LlamaServerMemoryReport? {
        let text = String(line)
        var finished: LlamaServerMemoryReport?
        if table != nil {
            if let row = Self.tableRow(text) {
                table?.append(row)
                return nil
            }
            finished = finishTable()
        }
        if text.contains("memory breakdown [MiB]") {
            table = []
            return finished ?? finishBuffers()
        }
        if let projected = Self.projected(text) { projectedBytes = projected }
        if let (kind, name, bytes) = Self.bufferLine(text) {
            if kind != .compute, sawCompute { finished = finished ?? finishBuffers() }
            add(kind, name: name, bytes: bytes)
            return finished
        }
        if sawCompute { return finished ?? finishBuffers() }
        return finished
    }

    /// The end of the output: a table still open is complete (buffer lines without their
    /// compute buffers are not).
    public mutating func finish() -> LlamaServerMemoryReport? {
        if table != nil { return finishTable() }
        return sawCompute ? finishBuffers() : nil
    }

    private mutating func finishTable() -> LlamaServerMemoryReport? {
        defer { table = nil }
        guard let table, !table.isEmpty else { return nil }
        return LlamaServerMemoryReport(source: .breakdownTable, parts: table)
    }

    private mutating func finishBuffers() -> LlamaServerMemoryReport? {
        defer {
            buffers = []
            sawCompute = false
        }
        guard sawCompute else { return nil }
        return LlamaServerMemoryReport(source: .bufferLines, parts: buffers)
    }

    private mutating func add(_ kind: BufferKind, name: String, bytes: UInt64) {
        let index = buffers.firstIndex { $0.name == name } ?? {
            buffers.append(LlamaServerMemoryReport.Part(name: name))
            return buffers.count - 1
        }()
        switch kind {
        case .model: buffers[index].model += bytes
        case .context: buffers[index].context += bytes
        case .output: buffers[index].output += bytes
        case .compute:
            buffers[index].compute += bytes
            sawCompute = true
        }
    }
}
