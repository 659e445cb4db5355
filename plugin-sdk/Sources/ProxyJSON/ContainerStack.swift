/// The open objects and arrays of the document being scanned, one bit each, kept inline so a scan
/// allocates nothing however deep it goes (up to `capacity`).
struct ContainerStack {
    static let capacity = 512

    private var objectBits = InlineArray<8, UInt64>(repeating: 0)
    private(set) var depth = 0
    /// Whether the innermost open container is an object (false when none is open); kept apart
    /// from the bits because it is read after every value and the bits only change on push/pop.
    private(set) var innermostIsObject = false

    /// Returns false when the stack is full.
    @inline(__always) mutating func push(isObject: Bool) -> Bool {
        guard depth < Self.capacity else { return false }
        let bit = UInt64(1) << UInt64(depth & 63)
        if isObject { objectBits[depth >> 6] |= bit } else { objectBits[depth >> 6] &= ~bit }
        depth += 1
        innermostIsObject = isObject
        return true
    }

    @inline(__always) mutating func pop() {
        depth -= 1
        guard depth > 0 else {
            innermostIsObject = false
            return
        }
        let index = depth - 1
        innermostIsObject = objectBits[index >> 6] & (UInt64(1) << UInt64(index & 63)) != 0
    }
}
