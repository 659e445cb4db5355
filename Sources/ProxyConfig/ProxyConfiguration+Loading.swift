import Foundation
import ProxyJSON

extension ProxyConfiguration {
    /// Reads and validates the configuration file at `path`; relative paths inside it are taken
    /// relative to the file's folder.
    public static func load(path: String) throws(ConfigError) -> ProxyConfiguration {
        let absolutePath = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileProbe.exists(absolutePath) else {
            throw ConfigError(keyPath: nil, message: "config file not found: \(absolutePath)")
        }
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            throw ConfigError(keyPath: nil, message: "cannot read config file: \(absolutePath)")
        }
        let folder = URL(fileURLWithPath: absolutePath).deletingLastPathComponent().path
        return try parse(Array(data), baseDirectory: folder)
    }

    /// Validates configuration JSON. `baseDirectory` anchors relative paths; the probes answer
    /// questions about the file system (the real one by default).
    public static func parse(
        _ json: [UInt8],
        baseDirectory: String,
        fileExists: @escaping (String) -> Bool = FileProbe.exists,
        isExecutable: @escaping (String) -> Bool = FileProbe.isExecutable,
        isDirectory: @escaping (String) -> Bool = FileProbe.isDirectory,
        readFile: @escaping (String) -> [UInt8]? = FileProbe.contents
    ) throws(ConfigError) -> ProxyConfiguration {
        let base = baseDirectory.hasPrefix("/")
            ? baseDirectory : FileManager.default.currentDirectoryPath + "/" + baseDirectory
        let paths = PathChecker(
            baseDirectory: base, fileExists: fileExists, isExecutable: isExecutable, isDirectory: isDirectory,
            readFile: readFile)
        let document: ParsedJSON
        do throws(JSONSyntaxError) {
            document = try JSONDocumentParser.parse(json)
        } catch {
            throw ConfigError(keyPath: nil, message: error.description)
        }
        return try decode(ConfigObjectReader(document, path: ""), paths: paths)
    }
}
