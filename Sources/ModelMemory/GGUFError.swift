/// Why a GGUF header could not be read. Offsets are byte offsets in the file.
public enum GGUFError: Error, Sendable, Equatable, CustomStringConvertible {
    case notGGUF(magic: [UInt8])
    case bigEndian(version: UInt32)
    case unsupportedVersion(UInt32)
    case truncated(offset: UInt64, needed: UInt64)
    case overLimit(what: String, value: UInt64, limit: UInt64, offset: UInt64)
    case unknownValueType(UInt32, offset: UInt64)
    case invalidUTF8(offset: UInt64)
    case invalidBool(UInt8, offset: UInt64)
    case duplicateKey(String)
    case invalidAlignment(String)
    case tooManyDimensions(tensor: String, count: UInt32)
    case unknownTensorType(tensor: String, type: UInt32)
    case tensorTooLarge(tensor: String)
    case partialBlock(tensor: String, rowLength: UInt64, blockElements: UInt64)
    case duplicateTensor(String)
    case unexpectedTensorOffset(tensor: String, offset: UInt64, expected: UInt64)
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case .notGGUF(let magic):
            "not a GGUF file (starts with \(magic.map { String($0, radix: 16) }.joined(separator: " ")))"
        case .bigEndian(let version):
            "big-endian GGUF files are not supported (version field \(version))"
        case .unsupportedVersion(let version):
            "unsupported GGUF version \(version) (2 and 3 are read)"
        case .truncated(let offset, let needed):
            "the file ends inside its header (\(needed) more bytes needed at offset \(offset))"
        case .overLimit(let what, let value, let limit, let offset):
            "\(what) \(value) at offset \(offset) is over the limit of \(limit)"
        case .unknownValueType(let type, let offset):
            "unknown metadata value type \(type) at offset \(offset)"
        case .invalidUTF8(let offset):
            "a string at offset \(offset) is not valid UTF-8"
        case .invalidBool(let byte, let offset):
            "a bool at offset \(offset) is \(byte), not 0 or 1"
        case .duplicateKey(let key):
            "metadata key \(key) appears twice"
        case .invalidAlignment(let detail):
            "general.alignment \(detail)"
        case .tooManyDimensions(let tensor, let count):
            "tensor \(tensor) has \(count) dimensions (at most 4)"
        case .unknownTensorType(let tensor, let type):
            "tensor \(tensor) has unknown ggml type \(type)"
        case .tensorTooLarge(let tensor):
            "tensor \(tensor) is too large (its size overflows 64 bits)"
        case .partialBlock(let tensor, let rowLength, let blockElements):
            "tensor \(tensor) has rows of \(rowLength) elements, not a multiple of its type's block of \(blockElements)"
        case .unexpectedTensorOffset(let tensor, let offset, let expected):
            "tensor \(tensor) data offset \(offset) is not where the previous tensor ends (\(expected))"
        case .duplicateTensor(let name):
            "tensor \(name) appears twice"
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        }
    }
}
