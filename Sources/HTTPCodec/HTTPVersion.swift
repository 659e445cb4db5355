/// The protocol version of a request or status line. Only 1.0 and 1.1 are parsed; others are
/// rejected as `unsupportedVersion`.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// "HTTP/1.1"
    public var description: String { "HTTP/\(major).\(minor)" }
}

extension HTTPVersion {
    /// Appends "HTTP/x.y".
    func write(into output: inout [UInt8]) {
        guard (0...9).contains(major) && (0...9).contains(minor) else {
            output.append(contentsOf: description.utf8)
            return
        }
        output.append(contentsOf: "HTTP/".utf8)
        output.append(ASCII.zero + UInt8(major))
        output.append(ASCII.dot)
        output.append(ASCII.zero + UInt8(minor))
    }
}
