extension GGUFParser {
    static func value<Source>(of type: GGUFValueType, _ reader: inout GGUFByteReader<Source>, limits: GGUFLimits, depth: Int) throws -> GGUFValue {
        switch type {
        case .uint8: return .uint8(try reader.uint8())
        case .int8: return .int8(Int8(bitPattern: try reader.uint8()))
        case .uint16: return .uint16(try reader.uint16())
        case .int16: return .int16(Int16(bitPattern: try reader.uint16()))
        case .uint32: return .uint32(try reader.uint32())
        case .int32: return .int32(Int32(bitPattern: try reader.uint32()))
        case .uint64: return .uint64(try reader.uint64())
        case .int64: return .int64(Int64(bitPattern: try reader.uint64()))
        case .float32: return .float32(Float(bitPattern: try reader.uint32()))
        case .float64: return .float64(Double(bitPattern: try reader.uint64()))
        case .bool:
            let offset = reader.offset
            let byte = try reader.uint8()
            guard byte <= 1 else { throw GGUFError.invalidBool(byte, offset: offset) }
            return .bool(byte == 1)
        case .string: return .string(try string(&reader, limits: limits))
        case .array: return .array(try array(&reader, limits: limits, depth: depth + 1))
        }
    }

    /// An array: element type, count, elements. Long arrays of fixed-size values are skipped in
    /// one go; long arrays of strings are read string by string (each checked) and not kept.
    private static func array<Source>(_ reader: inout GGUFByteReader<Source>, limits: GGUFLimits, depth: Int) throws -> GGUFArray {
        let typeOffset = reader.offset
        guard depth <= limits.maximumArrayDepth else {
            throw GGUFError.overLimit(what: "array nesting", value: UInt64(depth), limit: UInt64(limits.maximumArrayDepth), offset: typeOffset)
        }
        let rawType = try reader.uint32()
        guard let elementType = GGUFValueType(rawValue: rawType) else { throw GGUFError.unknownValueType(rawType, offset: typeOffset) }
        let count = try count(&reader, "array length", limit: limits.maximumArrayElements)
        if count <= limits.keptArrayElements {
            var elements: [GGUFValue] = []
            elements.reserveCapacity(Int(count))
            for _ in 0..<count {
                elements.append(try value(of: elementType, &reader, limits: limits, depth: depth))
            }
            return GGUFArray(elementType: elementType, count: count, elements: elements)
        }
        if let size = elementType.fixedSize, elementType != .bool {
            try reader.skip(count * UInt64(size))  // count is capped, so this cannot overflow
        } else {
            for _ in 0..<count {
                _ = try value(of: elementType, &reader, limits: limits, depth: depth)
            }
        }
        return GGUFArray(elementType: elementType, count: count, elements: nil)
    }

    static func tensorInfo<Source>(_ reader: inout GGUFByteReader<Source>, limits: GGUFLimits) throws -> GGUFTensorInfo {
        let name = try string(&reader, limits: limits)
        let dimensionCount = try reader.uint32()
        guard dimensionCount <= 4 else { throw GGUFError.tooManyDimensions(tensor: name, count: dimensionCount) }
        var dimensions: [UInt64] = []
        for _ in 0..<dimensionCount {
            let dimension = try reader.uint64()
            guard dimension <= UInt64(Int64.max) else { throw GGUFError.tensorTooLarge(tensor: name) }
            dimensions.append(dimension)
        }
        let rawType = try reader.uint32()
        guard let type = GGMLType.withID(rawType) else { throw GGUFError.unknownTensorType(tensor: name, type: rawType) }
        let offset = try reader.uint64()
        return try GGUFTensorInfo(name: name, dimensions: dimensions, type: type, offset: offset)
    }
}
