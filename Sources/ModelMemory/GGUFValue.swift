/// A GGUF metadata value.
public enum GGUFValue: Sendable, Equatable {
    case uint8(UInt8), int8(Int8), uint16(UInt16), int16(Int16), uint32(UInt32), int32(Int32)
    case uint64(UInt64), int64(Int64), float32(Float), float64(Double), bool(Bool)
    case string(String)
    case array(GGUFArray)

    /// The value as an integer, when it is one of the integer types and fits.
    public var integer: Int64? {
        switch self {
        case .uint8(let value): Int64(value)
        case .int8(let value): Int64(value)
        case .uint16(let value): Int64(value)
        case .int16(let value): Int64(value)
        case .uint32(let value): Int64(value)
        case .int32(let value): Int64(value)
        case .uint64(let value): Int64(exactly: value)
        case .int64(let value): value
        default: nil
        }
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// An integer, or an array of integers (one per layer, as `head_count_kv` may be).
    public var integers: [Int64]? {
        if let integer { return [integer] }
        guard case .array(let array) = self, let elements = array.elements else { return nil }
        let integers = elements.compactMap(\.integer)
        return integers.count == elements.count ? integers : nil
    }
}

/// An array value. Its elements are kept when there are at most `GGUFLimits.keptArrayElements`
/// of them (per-layer figures); longer arrays (vocabularies, merges) are checked and skipped, and
/// only their type and count are kept.
public struct GGUFArray: Sendable, Equatable {
    public let elementType: GGUFValueType
    public let count: UInt64
    public let elements: [GGUFValue]?

    public init(elementType: GGUFValueType, count: UInt64, elements: [GGUFValue]?) {
        self.elementType = elementType
        self.count = count
        self.elements = elements
    }
}
