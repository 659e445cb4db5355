/// Where the members of a document's top-level object (or the elements of its top-level array)
/// sit in its bytes, so they can be edited in place without re-serialising the rest.
public struct TopLevelLayout: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        /// The member's decoded name; nil for an array element.
        public var name: String?
        /// The opening quote of the name (for an element, its value's first byte).
        public var start: Int
        /// The value's bytes, exactly as written.
        public var valueRange: Range<Int>
    }

    public var isObject: Bool
    /// Offset of the opening `{` or `[`.
    public var openingBracket: Int
    /// Offset of the closing `}` or `]`.
    public var closingBracket: Int
    /// In document order, duplicate names included.
    public var entries: [Entry]

    /// The entries named `name` (by decoded value), in document order.
    public func members(named name: String) -> [Entry] {
        entries.filter { $0.name == name }
    }
}
