extension GGUFFile {
    /// Reads the header of the file at `path`, and only the header.
    public static func read(path: String, limits: GGUFLimits = .standard) throws -> GGUFFile {
        let source = try GGUFFileSource(path: path)
        defer { source.closeFile() }
        return try GGUFParser.parse(source, limits: limits)
    }
}
