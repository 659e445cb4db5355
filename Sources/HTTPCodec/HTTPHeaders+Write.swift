extension HTTPHeaders {
    /// "name: value\r\n" per field, then the empty line that ends a head.
    func write(into output: inout [UInt8]) {
        for index in fields.indices {
            output.append(contentsOf: fields[index].name.utf8)
            output.append(ASCII.colon)
            output.append(ASCII.space)
            output.append(contentsOf: fields[index].value.utf8)
            output.append(contentsOf: ASCII.crlf)
        }
        output.append(contentsOf: ASCII.crlf)
    }
}
