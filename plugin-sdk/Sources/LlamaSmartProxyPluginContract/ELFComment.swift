/// The strings of a 64-bit little-endian ELF file's `.comment` section: the compilers that built
/// it name themselves there. A Swift library links the toolchain's `swiftrt.o`, compiled by the
/// toolchain's own clang, whose line names the exact `swiftlang/llvm-project` commit: a
/// fingerprint of the toolchain that linked it, read from the file's bytes alone.
public enum ELFComment {
    /// The NUL-separated strings of `.comment`; empty when there is none or the file is not an
    /// ELF file this can read (every offset is checked against the bytes).
    public static func strings(in bytes: [UInt8]) -> [String] {
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46, bytes[4] == 2, bytes[5] == 1
        else { return [] }
        let sectionHeaders = read64(bytes, 0x28)
        let entrySize = UInt64(read16(bytes, 0x3A)), count = UInt64(read16(bytes, 0x3C)), namesIndex = UInt64(read16(bytes, 0x3E))
        guard entrySize >= 64, namesIndex < count, sectionHeaders &+ entrySize &* count <= UInt64(bytes.count) else { return [] }
        func section(_ index: UInt64) -> (name: UInt64, range: Range<Int>)? {
            let header = Int(sectionHeaders + index * entrySize)
            let offset = read64(bytes, header + 0x18), size = read64(bytes, header + 0x20)
            guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else { return nil }
            return (UInt64(read32(bytes, header)), Int(offset)..<Int(offset + size))
        }
        guard let names = section(namesIndex) else { return [] }
        let wanted = Array(".comment".utf8) + [0]
        for index in 0..<count {
            guard let candidate = section(index), candidate.name < UInt64(names.range.count) else { continue }
            let start = names.range.lowerBound + Int(candidate.name)
            guard start + wanted.count <= names.range.upperBound, Array(bytes[start..<(start + wanted.count)]) == wanted else { continue }
            return bytes[candidate.range].split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        }
        return []
    }

    /// The lines of `.comment` that name a Swift toolchain's own clang.
    public static func swiftToolchainIdents(in bytes: [UInt8]) -> Set<String> {
        Set(strings(in: bytes).filter { $0.contains("swiftlang/llvm-project") || $0.contains("apple/llvm-project") })
    }

    private static func read16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func read32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }

    private static func read64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }
}
