/// How an HTTP fuzz input is laid out, so that libFuzzer chooses the split points too:
///
///     byte 0        low nibble: how many gap bytes follow (0...15); high nibble: target flags
///     gap bytes     piece lengths minus one (1...256 bytes), repeated until the message ends
///     the rest      the message bytes, fed whole and in those pieces (and byte by byte)
///
/// With no gap bytes the message is also split in one place chosen from its length, so every
/// input is fed at least three different ways.
struct SplitInput {
    var flags: UInt8
    var pieceLengths: [Int]
    var message: ArraySlice<UInt8>

    init(_ input: [UInt8]) {
        let header = input.first ?? 0
        flags = header >> 4
        let gapCount = min(Int(header & 0x0F), max(0, input.count - 1))
        pieceLengths = input[1..<(1 + gapCount)].map { Int($0) + 1 }
        message = input[(1 + gapCount)...]
    }

    /// Removes and returns the first message byte (0 when there is none): a target's own settings.
    mutating func takeSettingsByte() -> UInt8 {
        message.popFirst() ?? 0
    }

    var whole: [ArraySlice<UInt8>] { [message] }

    var byteByByte: [ArraySlice<UInt8>] { message.indices.map { message[$0...$0] } }

    /// The message cut into the chosen piece lengths, cycling through them.
    var chosenPieces: [ArraySlice<UInt8>] {
        let lengths = pieceLengths.isEmpty ? [max(1, message.count / 2)] : pieceLengths
        var pieces: [ArraySlice<UInt8>] = []
        var start = message.startIndex
        var next = 0
        while start < message.endIndex {
            let end = min(message.endIndex, start + lengths[next % lengths.count])
            pieces.append(message[start..<end])
            start = end
            next += 1
        }
        return pieces
    }

    /// The parser limits selected by two bits of the flags (0 = the defaults).
    static func headerLimit(_ bits: UInt8) -> Int {
        [64 * 1024, 24, 100, 400][Int(bits & 3)]
    }

    static func bodyLimit(_ bits: UInt8) -> Int {
        [64 * 1024 * 1024, 0, 5, 100][Int(bits & 3)]
    }
}
