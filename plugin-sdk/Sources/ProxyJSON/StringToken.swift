/// Where a string token sits in the scanned bytes: `start` is its opening quote, `end` is one past
/// its closing quote.
struct StringToken: Equatable {
    var start: Int
    var end: Int
    /// Whether the token contains a backslash, i.e. its bytes are not already its value.
    var hasEscapes: Bool

    /// The bytes between the quotes.
    var contentRange: Range<Int> { (start + 1)..<(end - 1) }
}
