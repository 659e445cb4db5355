/// The header of a GGUF file (version 2 or 3): its metadata and tensor infos.
public struct GGUFFile: Sendable, Equatable {
    public static let defaultAlignment: UInt64 = 32

    public let version: UInt32
    /// Metadata in file order.
    public let metadata: [(key: String, value: GGUFValue)]
    public let tensors: [GGUFTensorInfo]
    /// `general.alignment`, or 32.
    public let alignment: UInt64
    /// Bytes of the header, up to the data section (which starts at the next alignment multiple).
    public let headerBytes: UInt64

    private let index: [String: Int]

    init(version: UInt32, metadata: [(key: String, value: GGUFValue)], tensors: [GGUFTensorInfo], alignment: UInt64, headerBytes: UInt64) {
        self.version = version
        self.metadata = metadata
        self.tensors = tensors
        self.alignment = alignment
        self.headerBytes = headerBytes
        index = Dictionary(uniqueKeysWithValues: metadata.enumerated().map { ($0.element.key, $0.offset) })
    }

    public subscript(key: String) -> GGUFValue? {
        index[key].map { metadata[$0].value }
    }

    /// Bytes the tensors take once loaded: each tensor's data, padded to the alignment as in the
    /// file (llama.cpp maps or allocates them that way).
    public var tensorBytes: UInt64 {
        tensors.map { ($0.byteCount + alignment - 1) / alignment * alignment }.saturatingSum()
    }

    public static func == (lhs: GGUFFile, rhs: GGUFFile) -> Bool {
        lhs.version == rhs.version && lhs.tensors == rhs.tensors && lhs.alignment == rhs.alignment
            && lhs.headerBytes == rhs.headerBytes
            && lhs.metadata.map(\.key) == rhs.metadata.map(\.key) && lhs.metadata.map(\.value) == rhs.metadata.map(\.value)
    }
}
