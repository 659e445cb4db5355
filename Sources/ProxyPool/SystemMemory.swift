/// The machine's memory, from /proc/meminfo (Linux).
public enum SystemMemory {
    /// MemTotal in bytes; nil when /proc/meminfo cannot be read.
    public static func totalBytes() -> UInt64? {
        guard let text = ProcFile.read("/proc/meminfo") else { return nil }
        return parseTotalBytes(meminfo: text)
    }

    /// The `MemTotal:` line (in kB, which the kernel means as KiB), in bytes.
    public static func parseTotalBytes(meminfo: String) -> UInt64? {
        for line in meminfo.split(separator: "\n") where line.hasPrefix("MemTotal:") {
            let fields = line.dropFirst("MemTotal:".count).split(whereSeparator: { $0 == " " || $0 == "\t" })
            return fields.first.flatMap { UInt64($0) }.map { $0 * 1024 }
        }
        return nil
    }
}
