/// A broken invariant is a crash, so libFuzzer stops and keeps the input; the message says which
/// property failed and with what values.
func invariant(
    _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
    file: StaticString = #fileID, line: UInt = #line
) {
    if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
}

/// Bytes as a readable Swift string literal, for invariant messages.
func shown(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self).debugDescription
}
