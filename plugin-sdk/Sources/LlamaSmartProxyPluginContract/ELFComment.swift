/// The strings of a 64-bit little-endian ELF file's `.comment` section: the compilers that built
/// it name themselves there. A Swift library links the toolchain's `swiftrt.o`, compiled by the
/// toolchain's own clang, whose line names the exact `swiftlang/llvm-project` commit: a
/// fingerprint of the toolchain that linked it, read from the file's bytes alone.
public enum ELFComment {
    /// The NUL-separated strings of `.comment`; empty when there is none or the file is not an
    /// ELF file this can read (every offset is checked against the bytes).
    public static func strings(in bytes: [UInt8]) -> [String] {
        guard let header = ELFHeader(bytes) else { return [] }
        let entrySize = header.sectionEntrySize, count = header.sectionCount
        guard entrySize >= 64, header.sectionNamesIndex < count,
              header.sectionHeaders &+ entrySize &* count <= UInt64(bytes.count) else { return [] }
        func section(_ index: UInt64) -> (name: UInt64, range: Range<Int>)? {
            let entry = Int(header.sectionHeaders + index * entrySize)
            let offset = ELFHeader.read64(bytes, entry + 0x18), size = ELFHeader.read64(bytes, entry + 0x20)
            guard offset <= UInt64(bytes.count), size <= UInt64(bytes.count) - offset else { return nil }
            return (UInt64(ELFHeader.read32(bytes, entry)), Int(offset)..<Int(offset + size))
        }
        guard let names = section(header.sectionNamesIndex) else { return [] }
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
}
