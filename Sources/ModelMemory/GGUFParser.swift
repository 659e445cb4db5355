/// Reads a GGUF header (version 2 or 3, little-endian): magic, version, counts, metadata and
/// tensor infos, and checks them as ggml does (known value and tensor types, at most 4
/// dimensions, whole blocks per row, contiguous aligned tensor data), within `GGUFLimits`.
public enum GGUFParser {
    static let magic: [UInt8] = Array("GGUF".utf8)

    public static func parse<Source: GGUFByteSource>(_ source: Source, limits: GGUFLimits = .standard) throws -> GGUFFile {
        var reader = GGUFByteReader(source: source, maximumOffset: limits.maximumHeaderBytes)
        let start = Array(try reader.bytes(4))
        guard start == magic else { throw GGUFError.notGGUF(magic: start) }
        let version = try reader.uint32()
        if version & 0xFFFF == 0 && version != 0 { throw GGUFError.bigEndian(version: version) }
        guard version == 2 || version == 3 else { throw GGUFError.unsupportedVersion(version) }

        let tensorCount = try count(&reader, "tensor count", limit: limits.maximumTensors)
        let entryCount = try count(&reader, "metadata entry count", limit: limits.maximumMetadataEntries)

        var metadata: [(key: String, value: GGUFValue)] = []
        var keys = Set<String>()
        for _ in 0..<entryCount {
            let key = try string(&reader, limits: limits)
            guard keys.insert(key).inserted else { throw GGUFError.duplicateKey(key) }
            let typeOffset = reader.offset
            let rawType = try reader.uint32()
            guard let type = GGUFValueType(rawValue: rawType) else { throw GGUFError.unknownValueType(rawType, offset: typeOffset) }
            metadata.append((key, try value(of: type, &reader, limits: limits, depth: 0)))
        }
        let alignment = try alignment(in: metadata)

        var tensors: [GGUFTensorInfo] = []
        var names = Set<String>()
        var expectedOffset: UInt64 = 0
        for _ in 0..<tensorCount {
            let tensor = try tensorInfo(&reader, limits: limits)
            guard names.insert(tensor.name).inserted else { throw GGUFError.duplicateTensor(tensor.name) }
            guard tensor.offset == expectedOffset else {
                throw GGUFError.unexpectedTensorOffset(tensor: tensor.name, offset: tensor.offset, expected: expectedOffset)
            }
            let (padded, overflow) = tensor.byteCount.addingReportingOverflow(alignment - 1)
            let (end, endOverflow) = expectedOffset.addingReportingOverflow(padded / alignment * alignment)
            guard !overflow, !endOverflow else { throw GGUFError.tensorTooLarge(tensor: tensor.name) }
            expectedOffset = end
            tensors.append(tensor)
        }
        return GGUFFile(version: version, metadata: metadata, tensors: tensors, alignment: alignment, headerBytes: reader.offset)
    }

    /// `general.alignment`: a UInt32 power of two, 32 when absent.
    private static func alignment(in metadata: [(key: String, value: GGUFValue)]) throws -> UInt64 {
        guard let entry = metadata.first(where: { $0.key == "general.alignment" }) else { return GGUFFile.defaultAlignment }
        guard case .uint32(let alignment) = entry.value else { throw GGUFError.invalidAlignment("is not a UInt32") }
        guard alignment != 0, alignment & (alignment - 1) == 0 else {
            throw GGUFError.invalidAlignment("\(alignment) is not a power of two")
        }
        return UInt64(alignment)
    }

    static func count<Source>(_ reader: inout GGUFByteReader<Source>, _ what: String, limit: UInt64) throws -> UInt64 {
        let offset = reader.offset
        let value = try reader.uint64()
        guard value <= limit else { throw GGUFError.overLimit(what: what, value: value, limit: limit, offset: offset) }
        return value
    }

    static func string<Source>(_ reader: inout GGUFByteReader<Source>, limits: GGUFLimits) throws -> String {
        let length = try count(&reader, "string length", limit: limits.maximumStringBytes)
        let offset = reader.offset
        let bytes = try reader.bytes(length)
        guard let text = String(validating: bytes, as: UTF8.self) else { throw GGUFError.invalidUTF8(offset: offset) }
        return text
    }
}
