/// What the proxy needs from a request body without parsing it into values: which model it asks
/// for, where that name sits in the bytes, and whether the client wants a stream.
public struct RequestBodySummary: Sendable, Equatable {
    /// The top-level `"model"` member, decoded, if it is a string (the last one wins, as in most
    /// JSON parsers, so the proxy routes to the model llama-server itself would read).
    public var model: String?
    /// Byte range of the `"model"` string token in the body, quotes included.
    public var modelValueRange: Range<Int>?
    /// The top-level `"stream"` member if it is `true` or `false`.
    public var stream: Bool?
    /// Byte range of the top-level `"keep_alive"` value as written (quotes included for a
    /// string; for an object or array just its opening bracket), the last one if repeated.
    public var keepAliveValueRange: Range<Int>?

    public init(model: String? = nil, modelValueRange: Range<Int>? = nil, stream: Bool? = nil,
                keepAliveValueRange: Range<Int>? = nil) {
        self.model = model
        self.modelValueRange = modelValueRange
        self.stream = stream
        self.keepAliveValueRange = keepAliveValueRange
    }
}
