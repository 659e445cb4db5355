import Foundation
import ProxyAgents
import Testing

/// A reload that catches a library halfway through a `cp` must skip it, not map it: dlopen of a
/// truncated ELF dies with SIGBUS inside the loader (seen once in CI before this check).
@Suite struct PartialCopyTests {
    @Test(arguments: [0.1, 0.5, 0.9, 0.999])
    func aTruncatedLibraryIsSkippedAndTheProcessLives(fraction: Double) throws {
        let fixtures = try PluginFixtures()
        let whole = try [UInt8](Data(contentsOf: URL(fileURLWithPath: PluginFixtures.sysPromptLibrary)))
        let cut = Array(whole.prefix(Int(Double(whole.count) * fraction)))
        let path = fixtures.folder + "/partial.so"
        try Data(cut).write(to: URL(fileURLWithPath: path))
        try fixtures.ownerWritableOnly(path)

        let registry = fixtures.loader.load(folder: fixtures.folder)

        #expect(registry.agents.isEmpty)
        #expect(fixtures.log.contains("skipped \(path): not a loadable shared library: incomplete (\(cut.count) bytes)"))
    }

    @Test func theWholeLibraryStillLoadsAfterwards() throws {
        let fixtures = try PluginFixtures()
        try fixtures.addSysPrompt(as: "whole.so")
        #expect(fixtures.loader.load(folder: fixtures.folder).commands == ["help", "sys"])
    }
}
