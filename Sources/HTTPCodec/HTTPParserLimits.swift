/// Bounds that keep one client from exhausting memory.
public struct HTTPParserLimits: Sendable, Equatable {
    /// The most bytes a head may take, from its first line through the empty line that ends it.
    /// Chunked trailers get the same allowance.
    public var maxHeaderBytes = 64 * 1024
    /// The largest request body accepted (declared or, for chunked, the running total).
    public var maxBodyBytes = 64 * 1024 * 1024

    public init(maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 64 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}
