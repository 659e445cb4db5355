extension JSONStringDecoding {
    /// Where, in `bytes`, the raw spelling of `suffix` begins when the string token at `token`
    /// (quotes included, already validated) decodes to a value ending with `suffix`; nil when it
    /// does not. Lets an edit that only drops the front of a string keep the rest as written.
    static func rawStart(ofSuffix suffix: [UInt8], inStringAt token: Range<Int>, of bytes: [UInt8]) -> Int? {
        var decoded: [UInt8] = []
        // (raw offset, decoded length) at every point between two decoded characters.
        var boundaries: [(raw: Int, decoded: Int)] = []
        var index = token.lowerBound + 1
        let closingQuote = token.upperBound - 1
        while index < closingQuote {
            boundaries.append((index, decoded.count))
            if bytes[index] == UInt8(ascii: "\\") {
                guard let next = try? appendEscape(bytes, backslashAt: index, to: &decoded, loneSurrogates: .replace) else {
                    return nil
                }
                index = next
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        boundaries.append((closingQuote, decoded.count))
        guard decoded.count >= suffix.count, decoded.suffix(suffix.count).elementsEqual(suffix) else { return nil }
        return boundaries.first { $0.decoded == decoded.count - suffix.count }?.raw
    }
}
