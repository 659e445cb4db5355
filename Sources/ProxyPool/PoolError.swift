/// Why an acquire failed. `logTail` holds the child's last output lines when it has any to say.
public struct PoolError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case startFailed, loadTimeout, queueTimeout, shuttingDown
        /// The model needs more memory than any device it may use has in all.
        case tooLarge
        /// The model's queue already held its `queueLimit` waiters: refused at once, never queued.
        case queueFull
        /// The caller cancelled the acquire (its client went away) before it was served.
        case cancelled
        /// The model was unloaded on request while the acquire waited for it.
        case unloaded
    }

    public var kind: Kind
    public var modelID: String
    public var message: String
    public var logTail: [String]
    /// Whole seconds after which trying again makes sense (a start failure during the restart
    /// backoff, a full queue).
    public var retryAfterSeconds: Int?

    public init(kind: Kind, modelID: String, message: String, logTail: [String] = [], retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.modelID = modelID
        self.message = message
        self.logTail = logTail
        self.retryAfterSeconds = retryAfterSeconds
    }

    public var description: String { message }
}
