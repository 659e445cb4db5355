extension LlamaTimings {
    /// Calls `member` with the name and number bytes of each member of `object` when it is
    /// `{"name": number, ...}` with plain names (no escapes) and JSON numbers, whitespace anywhere
    /// JSON allows it, and returns true; returns false for anything else (the caller then uses
    /// the general parser), possibly after some calls. Read in place: no copies, no strings.
    static func forEachFlatMember(
        of object: ArraySlice<UInt8>, _ member: (_ name: ArraySlice<UInt8>, _ number: ArraySlice<UInt8>) -> Void
    ) -> Bool {
        let bytes = object
        var index = skipWhitespace(from: bytes.startIndex, in: bytes)
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "{") else { return false }
        index = skipWhitespace(from: index + 1, in: bytes)
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "}") {
            return skipWhitespace(from: index + 1, in: bytes) == bytes.endIndex
        }
        while true {
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "\"") else { return false }
            let nameStart = index + 1
            var nameEnd = nameStart
            while nameEnd < bytes.endIndex, bytes[nameEnd] != UInt8(ascii: "\""), bytes[nameEnd] != UInt8(ascii: "\\"), bytes[nameEnd] >= 0x20 {
                nameEnd += 1
            }
            guard nameEnd < bytes.endIndex, bytes[nameEnd] == UInt8(ascii: "\"") else { return false }
            index = skipWhitespace(from: nameEnd + 1, in: bytes)
            guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else { return false }
            index = skipWhitespace(from: index + 1, in: bytes)
            let numberStart = index
            guard let numberEnd = jsonNumberEnd(from: index, in: bytes) else { return false }
            member(bytes[nameStart..<nameEnd], bytes[numberStart..<numberEnd])
            index = skipWhitespace(from: numberEnd, in: bytes)
            guard index < bytes.endIndex else { return false }
            if bytes[index] == UInt8(ascii: ",") {
                index = skipWhitespace(from: index + 1, in: bytes)
            } else if bytes[index] == UInt8(ascii: "}") {
                return skipWhitespace(from: index + 1, in: bytes) == bytes.endIndex
            } else {
                return false
            }
        }
    }

    /// The end of the JSON number (RFC 8259 grammar) starting at `start`; nil if there is none.
    private static func jsonNumberEnd(from start: Int, in bytes: ArraySlice<UInt8>) -> Int? {
        var index = start
        func digits() -> Int {
            let first = index
            while index < bytes.endIndex, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - first
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.endIndex else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            guard digits() > 0 else { return nil }
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.endIndex, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { return nil }
        }
        return index
    }
}
