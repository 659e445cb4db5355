import LlamaSmartProxyPluginContract

/// Whether bytes hold a whole 64-bit little-endian ELF file: every segment and the section
/// header table lie inside them. A library caught halfway through a `cp` into the plugins folder
/// fails this; mapping it would crash the process with SIGBUS inside dlopen.
enum ELFCompleteness {
    static func problem(in bytes: [UInt8]) -> String? {
        guard let header = ELFHeader(bytes) else { return ELFHeader.problem(in: bytes) }
        let size = UInt64(bytes.count)
        let incomplete = "incomplete (\(bytes.count) bytes): still being copied?"
        guard header.programHeaders &+ header.programEntrySize &* header.programCount <= size,
              header.sectionHeaders &+ header.sectionEntrySize &* header.sectionCount <= size
        else { return incomplete }
        for index in 0..<header.programCount {
            let entry = Int(header.programHeaders + index * header.programEntrySize)
            guard entry + 56 <= bytes.count else { return incomplete }
            let offset = ELFHeader.read64(bytes, entry + 8), fileSize = ELFHeader.read64(bytes, entry + 32)
            if offset &+ fileSize > size { return incomplete }
        }
        return nil
    }
}
