/// Whether bytes hold a whole 64-bit little-endian ELF file: every segment and the section
/// header table lie inside them. A library caught halfway through a `cp` into the plugins folder
/// fails this; mapping it would crash the process with SIGBUS inside dlopen.
enum ELFCompleteness {
    static func problem(in bytes: [UInt8]) -> String? {
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            return "not an ELF file"
        }
        guard bytes[4] == 2, bytes[5] == 1 else { return "not a 64-bit little-endian ELF file" }
        let size = UInt64(bytes.count)
        let programHeaders = read64(bytes, 0x20), sectionHeaders = read64(bytes, 0x28)
        let programEntrySize = UInt64(read16(bytes, 0x36)), programCount = UInt64(read16(bytes, 0x38))
        let sectionEntrySize = UInt64(read16(bytes, 0x3A)), sectionCount = UInt64(read16(bytes, 0x3C))
        let incomplete = "incomplete (\(bytes.count) bytes): still being copied?"
        guard programHeaders &+ programEntrySize &* programCount <= size,
              sectionHeaders &+ sectionEntrySize &* sectionCount <= size
        else { return incomplete }
        for index in 0..<programCount {
            let header = Int(programHeaders + index * programEntrySize)
            guard header + 56 <= bytes.count else { return incomplete }
            let offset = read64(bytes, header + 8), fileSize = read64(bytes, header + 32)
            if offset &+ fileSize > size { return incomplete }
        }
        return nil
    }

    private static func read16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    private static func read64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }
}
