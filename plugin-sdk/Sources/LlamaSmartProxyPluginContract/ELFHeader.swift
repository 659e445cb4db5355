/// The fields of a 64-bit little-endian ELF file's header that the plugin checks read, straight
/// from its bytes (callers check the bounds of what they read past the first 64 bytes).
public struct ELFHeader: Sendable {
    public let programHeaders: UInt64
    public let programEntrySize: UInt64
    public let programCount: UInt64
    public let sectionHeaders: UInt64
    public let sectionEntrySize: UInt64
    public let sectionCount: UInt64
    /// The index of the section that holds the section names.
    public let sectionNamesIndex: UInt64

    /// Why `bytes` do not start with such a header, or nil.
    public static func problem(in bytes: [UInt8]) -> String? {
        guard bytes.count >= 64, bytes[0] == 0x7F, bytes[1] == 0x45, bytes[2] == 0x4C, bytes[3] == 0x46 else {
            return "not an ELF file"
        }
        guard bytes[4] == 2, bytes[5] == 1 else { return "not a 64-bit little-endian ELF file" }
        return nil
    }

    /// The header of `bytes`, or nil when they do not start with one.
    public init?(_ bytes: [UInt8]) {
        guard Self.problem(in: bytes) == nil else { return nil }
        programHeaders = Self.read64(bytes, 0x20)
        sectionHeaders = Self.read64(bytes, 0x28)
        programEntrySize = UInt64(Self.read16(bytes, 0x36))
        programCount = UInt64(Self.read16(bytes, 0x38))
        sectionEntrySize = UInt64(Self.read16(bytes, 0x3A))
        sectionCount = UInt64(Self.read16(bytes, 0x3C))
        sectionNamesIndex = UInt64(Self.read16(bytes, 0x3E))
    }

    public static func read16(_ bytes: [UInt8], _ at: Int) -> UInt16 {
        UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
    }

    public static func read32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }

    public static func read64(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
    }
}
