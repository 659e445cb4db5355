extension HTTPResponseHead {
    /// Appends "HTTP/x.y status reason\r\n", the header lines and the empty line.
    public func write(into output: inout [UInt8]) {
        version.write(into: &output)
        output.append(ASCII.space)
        output.append(contentsOf: String(status).utf8)
        output.append(ASCII.space)
        output.append(contentsOf: reason.utf8)
        output.append(contentsOf: ASCII.crlf)
        headers.write(into: &output)
    }
}
