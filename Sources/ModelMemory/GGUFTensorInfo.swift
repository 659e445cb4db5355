/// One tensor as the header describes it; its data is not read.
public struct GGUFTensorInfo: Sendable, Equatable {
    public let name: String
    /// ggml's order: the first dimension is the row length.
    public let dimensions: [UInt64]
    public let type: GGMLType
    /// Offset of its data from the start of the data section.
    public let offset: UInt64
    /// Bytes of its data (ggml_nbytes): rows times the bytes of one row.
    public let byteCount: UInt64

    public init(name: String, dimensions: [UInt64], type: GGMLType, offset: UInt64) throws {
        self.name = name
        self.dimensions = dimensions
        self.type = type
        self.offset = offset
        var rows: UInt64 = 1
        for dimension in dimensions.dropFirst() {
            let (product, overflow) = rows.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw GGUFError.tensorTooLarge(tensor: name) }
            rows = product
        }
        let rowLength = dimensions.first ?? 1
        guard rowLength % type.blockElements == 0 else {
            throw GGUFError.partialBlock(tensor: name, rowLength: rowLength, blockElements: type.blockElements)
        }
        guard let row = type.rowBytes(elements: rowLength), row <= UInt64(Int64.max) else {
            throw GGUFError.tensorTooLarge(tensor: name)
        }
        let (bytes, overflow) = row.multipliedReportingOverflow(by: rows)
        guard !overflow, bytes <= UInt64(Int64.max) else { throw GGUFError.tensorTooLarge(tensor: name) }
        byteCount = bytes
    }
}
