/// Why an acquire failed. `logTail` holds the child's last output lines when it has any to say.
public struct PoolError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case startFailed, loadTimeout, queueTimeout, shuttingDown
    }

    public var kind: Kind
    public var modelID: String
    public var message: String
    public var logTail: [String]

    public init(kind: Kind, modelID: String, message: String, logTail: [String] = []) {
        self.kind = kind
        self.modelID = modelID
        self.message = message
        self.logTail = logTail
    }

    public var description: String { message }
}
