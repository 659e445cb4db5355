/// Decimal numbers for log lines, written straight into bytes: `String(format:)` goes through
/// Foundation's varargs and CFString and cost some 20k instructions a call on the request path.
enum DecimalDigits {
    /// Appends `value` with at least `width` digits, zero-padded on the left; a negative value
    /// gets a leading `-` before its digits.
    static func append(_ value: Int, width: Int = 1, to bytes: inout [UInt8]) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits = 1
        var scale: UInt = 1
        while magnitude / scale >= 10 {
            scale *= 10
            digits += 1
        }
        for _ in digits..<max(width, digits) { bytes.append(UInt8(ascii: "0")) }
        while scale > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(magnitude / scale))
            magnitude %= scale
            scale /= 10
        }
    }

    /// `nanoseconds` as milliseconds with exactly two decimals, rounded half up: 1_234_567 ns is
    /// `1.23`, 1_235_000 ns is `1.24`.
    static func milliseconds(fromNanoseconds nanoseconds: UInt64) -> String {
        let hundredths = nanoseconds / 10_000 + (nanoseconds % 10_000 >= 5_000 ? 1 : 0)
        var bytes: [UInt8] = []
        append(Int(hundredths / 100), to: &bytes)
        bytes.append(UInt8(ascii: "."))
        append(Int(hundredths % 100), width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
