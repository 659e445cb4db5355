/// What a lead byte says about the multi-byte UTF-8 sequence it starts (RFC 3629): its length and
/// the range its second byte must fall in, which is what rules out overlong forms, surrogates
/// and code points above U+10FFFF. Further bytes are continuation bytes (0x80...0xBF). The one
/// table for the scanner and for anything else that checks UTF-8.
public enum UTF8LeadByte {
    public static let continuation: ClosedRange<UInt8> = 0x80...0xBF

    /// nil for ASCII, continuation bytes and bytes that never start a well-formed sequence.
    @inline(__always)
    public static func multiByteShape(_ lead: UInt8) -> (length: Int, second: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: (2, continuation)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (3, continuation)
        case 0xED: (3, 0x80...0x9F)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF1...0xF3: (4, continuation)
        case 0xF4: (4, 0x80...0x8F)
        default: nil
        }
    }
}
