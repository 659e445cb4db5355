extension ByteBuffer {
    /// The readable byte `offset` bytes past the reader index, or nil if it has not arrived.
    @inline(__always)
    func readableByte(at offset: Int) -> UInt8? {
        writtenByte(at: readerIndex + offset)
    }
}
