/// A configuration problem, told the way a user can fix it: the key path (`models.tiny.path`)
/// and what is wrong there.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    /// Dotted path of the offending key; nil for problems with the file as a whole.
    public var keyPath: String?
    public var message: String

    public init(keyPath: String?, message: String) {
        self.keyPath = keyPath
        self.message = message
    }

    public var description: String {
        keyPath.map { "\($0): \(message)" } ?? message
    }
}
