extension HTTPRequestHead {
    /// Appends "METHOD target HTTP/x.y\r\n", the header lines and the empty line.
    public func write(into output: inout [UInt8]) {
        output.append(contentsOf: method.utf8)
        output.append(ASCII.space)
        output.append(contentsOf: target.utf8)
        output.append(ASCII.space)
        version.write(into: &output)
        output.append(contentsOf: ASCII.crlf)
        headers.write(into: &output)
    }
}
