/// A model's request filters, applied to the body of every request routed to it: top-level
/// members removed (`strip`), members set or forced (`set`), and the model name the upstream
/// expects (`upstream_model`, replacing the body's `model`).
public struct RequestFilters: Sendable, Equatable {
    /// One top-level member to set: its name and its value's compact JSON text (never `null`).
    public struct Member: Sendable, Equatable {
        public var name: String
        public var value: [UInt8]

        public init(name: String, value: [UInt8]) {
            self.name = name
            self.value = value
        }
    }

    /// Members set on every request, in the configuration's order.
    public var set: [Member]
    /// Names of the members removed from every request.
    public var strip: [String]
    /// Replaces the body's `model` before the request goes upstream.
    public var upstreamModel: String?

    public init(set: [Member] = [], strip: [String] = [], upstreamModel: String? = nil) {
        self.set = set
        self.strip = strip
        self.upstreamModel = upstreamModel
    }

    public var isEmpty: Bool { self.set.isEmpty && strip.isEmpty && upstreamModel == nil }
}

/// A variant id of a model (`qwen:fast`): the same model, with these members set on the request.
public struct ModelVariant: Sendable, Equatable {
    public var name: String
    public var set: [RequestFilters.Member]

    public init(name: String, set: [RequestFilters.Member]) {
        self.name = name
        self.set = set
    }
}
