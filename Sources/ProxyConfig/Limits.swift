/// Size limits on what clients send.
public struct Limits: Sendable, Equatable {
    public var maxBodyBytes: Int
    public var maxHeaderBytes: Int

    public init(maxBodyBytes: Int = 64 * 1024 * 1024, maxHeaderBytes: Int = 64 * 1024) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeaderBytes = maxHeaderBytes
    }
}
