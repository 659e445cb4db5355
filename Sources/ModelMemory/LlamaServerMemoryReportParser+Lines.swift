extension LlamaServerMemoryReportParser {
    enum BufferKind { case model, context, output, compute }

    static let mebibyte: Double = 1024 * 1024

    /// `<func>: <buffer> <kind> buffer size = <MiB> MiB`, as llama.cpp logs them.
    private static let bufferMarkers: [(String, BufferKind)] = [
        (" model buffer size = ", .model), (" LoRA buffer size = ", .model),
        (" KV buffer size = ", .context), (" RS buffer size = ", .context),
        (" output buffer size = ", .output), (" compute buffer size = ", .compute),
    ]

    static func bufferLine(_ line: String) -> (BufferKind, String, UInt64)? {
        for (marker, kind) in bufferMarkers {
            guard let range = line.firstRange(of: marker) else { continue }
            let name = line[..<range.lowerBound].split(separator: " ").last.map(String.init) ?? ""
            guard !name.isEmpty, !name.hasSuffix(":"),
                  let mebibytes = line[range.upperBound...].split(separator: " ").first.flatMap({ Double($0) }), mebibytes >= 0,
                  line[range.upperBound...].contains("MiB")
            else { return nil }
            return (kind, name, UInt64((mebibytes * mebibyte).rounded()))
        }
        return nil
    }

    /// `projected to use N MiB of host memory` (or `of device memory`).
    static func projected(_ line: String) -> UInt64? {
        guard let range = line.firstRange(of: "projected to use ") else { return nil }
        let words = line[range.upperBound...].split(separator: " ")
        guard words.count >= 2, words[1] == "MiB", let mebibytes = UInt64(words[0]) else { return nil }
        return mebibytes * (1 << 20)
    }

    /// A row of the breakdown table: `| - <name> | <numbers> |`. A device row reads
    /// `total = free + (self = model + context + compute) + unaccounted`, the host and other
    /// buffer types `self = model + context + compute`.
    static func tableRow(_ line: String) -> LlamaServerMemoryReport.Part? {
        let cells = line.split(separator: "|", omittingEmptySubsequences: false)
        guard cells.count >= 4 else { return nil }
        let label = cells[1].trimmingSpaces
        guard label.hasPrefix("- ") else { return nil }
        let numbers = cells[2].split(whereSeparator: { " =+()".contains($0) }).map { Int64($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else { return nil }
        let values = numbers.map { $0! }
        let mib: (Int) -> UInt64 = { UInt64(max(0, values[$0])) << 20 }
        let name = String(label.dropFirst(2))
        switch values.count {
        case 7: return LlamaServerMemoryReport.Part(name: name, model: mib(3), context: mib(4), compute: mib(5))
        case 4: return LlamaServerMemoryReport.Part(name: name, model: mib(1), context: mib(2), compute: mib(3))
        default: return nil
        }
    }
}

private extension Substring {
    var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " } ?? endIndex
        let end = lastIndex { $0 != " " }.map(index(after:)) ?? start
        return self[start..<end]
    }
}
