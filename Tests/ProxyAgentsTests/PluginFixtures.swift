import Foundation
import Glibc
import ProxyAgents
import Synchronization
import TestSupport

/// Plugin folders for tests: the real SysPrompt library from this build, and small C plugins
/// compiled from `CPluginSource` to play every kind of broken plugin.
final class PluginFixtures {
    let folder: String
    let privateDirectory: String
    let log = LogRecorder()

    init() throws {
        folder = try Self.makeDirectory()
        privateDirectory = try Self.makeDirectory()
    }

    deinit {
        // Loaded copies stay mapped after their files go.
        for directory in [folder, privateDirectory] { try? FileManager.default.removeItem(atPath: directory) }
    }

    var loader: PluginLoader {
        PluginLoader(privateDirectory: privateDirectory, services: PluginServices(
            log: { [log] in log.append($0) },
            configJSON: { #"{"plugin":"\#($0)"}"# }
        ))
    }

    /// libSysPrompt.so, a product of this package, built next to the test bundle.
    static var sysPromptLibrary: String { builtLibrary("libSysPrompt.so") }

    /// A plugin product of this package (e.g. "libSampling.so"), built next to the test bundle.
    static func builtLibrary(_ file: String) -> String { BuiltProducts.library(file) }

    @discardableResult
    func addSysPrompt(as name: String) throws -> String {
        try addBuiltPlugin("libSysPrompt.so", as: name)
    }

    @discardableResult
    func addBuiltPlugin(_ file: String, as name: String) throws -> String {
        let path = folder + "/" + name
        try FileManager.default.copyItem(atPath: Self.builtLibrary(file), toPath: path)
        return try ownerWritableOnly(path)
    }

    @discardableResult
    func addCPlugin(as name: String, _ options: CPluginSource.Options = .init()) throws -> String {
        try addCPlugin(as: name, source: CPluginSource.text, options)
    }

    /// Compiles C `text` against the SDK's header into the plugins folder.
    @discardableResult
    func addCPlugin(as name: String, source text: String, _ options: CPluginSource.Options = .init()) throws -> String {
        let source = privateDirectory + "/" + name + ".c"
        try text.write(toFile: source, atomically: true, encoding: .utf8)
        let path = folder + "/" + name
        let compiler = Process()
        compiler.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        compiler.arguments = ["cc", "-shared", "-fPIC", "-Wall", "-Werror", "-I", Self.sdkInclude, "-o", path, source] + options.defines
            + (options.linksSwiftRuntime ? try Self.swiftRuntimeLinkOptions() : [])
        try compiler.run()
        compiler.waitUntilExit()
        guard compiler.terminationStatus == 0 else { throw FixtureError("cc failed for \(name)") }
        return try ownerWritableOnly(path)
    }

    func addFile(as name: String, contents: String) throws {
        try contents.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        try ownerWritableOnly(folder + "/" + name)
    }

    /// Whatever the umask, a fixture is trusted by `FileSafety` unless a test says otherwise.
    @discardableResult
    func ownerWritableOnly(_ path: String) throws -> String {
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    /// Linker options that make a library depend on the libswiftCore this test process runs on.
    static func swiftRuntimeLinkOptions() throws -> [String] {
        // procfs files report size 0: read to the end rather than by size.
        let maps = String(decoding: FileHandle(forReadingAtPath: "/proc/self/maps")?.readDataToEndOfFile() ?? Data(), as: UTF8.self)
        guard let line = maps.split(separator: "\n").first(where: { $0.hasSuffix("/libswiftCore.so") }),
              let slash = line.firstIndex(of: "/")
        else { throw FixtureError("libswiftCore.so is not mapped in this process") }
        let directory = (String(line[slash...]) as NSString).deletingLastPathComponent
        // --no-as-needed: the C source calls nothing in it, and the dependency is the point.
        return ["-L", directory, "-Wl,-rpath," + directory, "-Wl,--no-as-needed", "-lswiftCore"]
    }

    static var sdkInclude: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("plugin-sdk/include").path
    }

    static func makeDirectory() throws -> String {
        guard let path = PluginLoader.makePrivateDirectory() else { throw FixtureError("mkdtemp failed") }
        return path
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Collects log lines from any thread.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
    func contains(_ fragment: String) -> Bool { all.contains { $0.contains(fragment) } }
}
