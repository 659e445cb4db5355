import Foundation

/// Resident memory of a process and its descendants, from /proc (Linux).
enum ProcessMemory {
    /// VmRSS of `pid` plus that of every process below it; nil when `pid` is gone.
    static func residentBytes(ofTree pid: Int32) -> UInt64? {
        guard var total = residentBytes(of: pid) else { return nil }
        var pending = childPIDs(of: pid)
        var seen: Set<Int32> = [pid]
        while let next = pending.popLast() {
            guard seen.insert(next).inserted else { continue }
            total &+= residentBytes(of: next) ?? 0
            pending += childPIDs(of: next)
        }
        return total
    }

    static func residentBytes(of pid: Int32) -> UInt64? {
        guard let status = ProcFile.read("/proc/\(pid)/status") else { return nil }
        return parseResidentBytes(status: status)
    }

    /// The `VmRSS:` line of a /proc/<pid>/status text, in bytes (0 for a zombie, which has none).
    static func parseResidentBytes(status: String) -> UInt64? {
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.dropFirst("VmRSS:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let kibibytes = fields.first.flatMap({ UInt64($0) }) else { return nil }
            return kibibytes * 1024
        }
        return status.contains("State:") ? 0 : nil
    }

    /// Children of every thread of `pid` (/proc/<pid>/task/<tid>/children).
    static func childPIDs(of pid: Int32) -> [Int32] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/task")) ?? []
        return tasks.flatMap { task -> [Int32] in
            guard let text = ProcFile.read("/proc/\(pid)/task/\(task)/children") else { return [] }
            return text.split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
    }
}
