/// A header value of the shape `type; name=value; name="quoted value"` (RFC 9110 §5.6.6, as
/// `Content-Type` and `Content-Disposition` use it): the leading token, lowercased, and its
/// parameters in order, names lowercased, quoted values unquoted (`\x` stands for `x`).
public struct HeaderParameters: Sendable, Equatable {
    public var value: String
    public var parameters: [(name: String, value: String)]

    public init(value: String, parameters: [(name: String, value: String)]) {
        self.value = value
        self.parameters = parameters
    }

    /// The first parameter called `name` (compared without case).
    public subscript(name: String) -> String? {
        let lowered = name.lowercased()
        return parameters.first { $0.name == lowered }?.value
    }

    /// Nil when `text` does not have that shape (an unterminated quote, a parameter without `=`,
    /// a stray character between parameters).
    public init?(parsing text: some StringProtocol) {
        var scan = ParameterScan(Array(text.utf8))
        scan.skipWhitespace()
        let value = scan.token()
        guard !value.isEmpty else { return nil }
        var parameters: [(name: String, value: String)] = []
        while true {
            scan.skipWhitespace()
            guard !scan.atEnd else { break }
            guard scan.take(UInt8(ascii: ";")) else { return nil }
            scan.skipWhitespace()
            if scan.atEnd { break }  // a trailing `;`, which senders write
            let name = scan.token()
            guard !name.isEmpty, scan.take(UInt8(ascii: "=")) else { return nil }
            let parameterValue: [UInt8]
            if scan.take(UInt8(ascii: "\"")) {
                guard let quoted = scan.quotedRest() else { return nil }
                parameterValue = quoted
            } else {
                parameterValue = scan.token()
                guard !parameterValue.isEmpty else { return nil }
            }
            parameters.append((String(decoding: name, as: UTF8.self).lowercased(), String(decoding: parameterValue, as: UTF8.self)))
        }
        self.init(value: String(decoding: value, as: UTF8.self).lowercased(), parameters: parameters)
    }

    public static func == (lhs: HeaderParameters, rhs: HeaderParameters) -> Bool {
        lhs.value == rhs.value && lhs.parameters.elementsEqual(rhs.parameters) { $0.name == $1.name && $0.value == $1.value }
    }
}

private struct ParameterScan {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { index == bytes.count }

    mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 { index += 1 }
    }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// A token, with `/` allowed (a media type is read as one token).
    mutating func token() -> [UInt8] {
        let start = index
        while index < bytes.count, Self.isTokenByte(bytes[index]) { index += 1 }
        return Array(bytes[start..<index])
    }

    /// After the opening quote: the unquoted content up to the closing one, or nil without one.
    mutating func quotedRest() -> [UInt8]? {
        var content: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""): return content
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                content.append(bytes[index])
                index += 1
            default: content.append(byte)
            }
        }
        return nil
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return byte >= 0x80 }  // UTF-8 in unquoted names, as browsers send
        return !"\"(),:;<=>?@[\\]{}".utf8.contains(byte)
    }
}
