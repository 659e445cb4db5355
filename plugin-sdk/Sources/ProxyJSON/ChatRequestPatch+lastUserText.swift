extension ChatRequestPatch {
    /// The decoded text of the last user message, read where `lastUserTextRange` finds it (the one
    /// reader of "the last user message"), or nil when the body has none. Nothing else in the
    /// body is decoded: a large image part costs a validating scan, not a parse.
    public static func lastUserText(in body: [UInt8]) -> String? {
        guard let range = lastUserTextRange(in: body) else { return nil }
        // The token was validated by the scan; a lone surrogate escape decodes as U+FFFD.
        return (try? JSONStringDecoding.decodeString(body, openingQuoteAt: range.lowerBound, loneSurrogates: .replace))?.value
    }
}
