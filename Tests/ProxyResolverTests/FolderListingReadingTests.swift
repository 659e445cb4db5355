import Foundation
import Testing
import ProxyConfig
import ProxyResolver

/// The one impure piece: reading a real folder into a `FolderListing`.
@Suite struct FolderListingReadingTests {
    let folder = NSTemporaryDirectory() + "listing-tests-" + UUID().uuidString

    func makeFile(_ relativePath: String) {
        _ = FileManager.default.createFile(atPath: folder + "/" + relativePath, contents: Data())
    }

    @Test func readsOneLevelOfSubfoldersSorted() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fileManager = FileManager.default
        try fileManager.createDirectory(atPath: folder + "/vision/nested", withIntermediateDirectories: true)
        try fileManager.createDirectory(atPath: folder + "/.cache", withIntermediateDirectories: true)
        for file in ["b.gguf", "a.gguf", ".hidden.gguf", "vision/model.gguf", "vision/mmproj-f16.gguf", "vision/nested/deep.gguf"] {
            makeFile(file)
        }
        try fileManager.createSymbolicLink(atPath: folder + "/linked.gguf", withDestinationPath: folder + "/a.gguf")
        try fileManager.createSymbolicLink(atPath: folder + "/linked-folder", withDestinationPath: folder + "/vision")

        let listing = FolderListing.read(path: folder)
        #expect(listing == FolderListing(path: folder, entries: [
            .folder(".cache", []),
            .file(".hidden.gguf"),
            .file("a.gguf"),
            .file("b.gguf"),
            .folder("linked-folder", ["mmproj-f16.gguf", "model.gguf"]),
            .file("linked.gguf"),
            .folder("vision", ["mmproj-f16.gguf", "model.gguf"]),
        ]))
    }

    @Test func missingFolderGivesAnEmptyListing() {
        #expect(FolderListing.read(path: folder + "/absent") == FolderListing(path: folder + "/absent", entries: []))
    }

    @Test func resolverReadsTheConfiguredFolder() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        makeFile("tiny-a.gguf")
        makeFile("tiny-b.gguf")
        let configuration = ProxyConfiguration(
            llamaServer: "/bin/true", modelsDir: folder,
            models: [ConfiguredModel(id: "chat", path: folder + "/tiny-a.gguf", args: ["--temp", "0"])])
        let resolver = ModelResolver(configuration: configuration)
        #expect(resolver.models == [
            ResolvedModel(id: "chat", ggufPath: folder + "/tiny-a.gguf", extraArgs: ["--temp", "0"], aliases: ["tiny-a"], origin: .configured),
            ResolvedModel(id: "tiny-b", ggufPath: folder + "/tiny-b.gguf", origin: .discovered),
        ])
    }
}
