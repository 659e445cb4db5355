/// Caps on what a GGUF header may claim, so a corrupt or hostile file gives an error instead of
/// a huge allocation or a read through a whole file. Each is far above any real model's figure
/// (the largest vocabularies have about 260,000 tokens; models have a few thousand tensors).
public struct GGUFLimits: Sendable, Equatable {
    public var maximumTensors: UInt64 = 1 << 20
    public var maximumMetadataEntries: UInt64 = 1 << 20
    public var maximumStringBytes: UInt64 = 16 << 20
    public var maximumArrayElements: UInt64 = 1 << 26
    public var maximumArrayDepth = 4
    /// The whole header (metadata and tensor infos): real ones take a few MiB, at most tens.
    public var maximumHeaderBytes: UInt64 = 256 << 20
    /// Arrays up to this many elements keep their values.
    public var keptArrayElements: UInt64 = 4096

    public init() {}

    public static let standard = GGUFLimits()
}
