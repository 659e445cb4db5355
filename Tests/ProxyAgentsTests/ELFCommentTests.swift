import LlamaSmartProxyPluginContract
import Testing

/// `ELFComment`: the `.comment` strings of a real ELF file, and nothing (never a crash) from
/// bytes that are not one or are cut anywhere.
@Suite struct ELFCommentTests {
    static let executable = FileBytes.read("/proc/self/exe") ?? []

    @Test func theTestExecutableNamesTheCompilersThatBuiltIt() {
        let strings = ELFComment.strings(in: Self.executable)
        #expect(strings.contains { $0.hasPrefix("clang version") }, "\(strings)")
        #expect(!ELFComment.swiftToolchainIdents(in: Self.executable).isEmpty)
    }

    @Test func bytesThatAreNotAWholeELFFileGiveNothing() {
        #expect(ELFComment.strings(in: []) == [])
        #expect(ELFComment.strings(in: Array("not an ELF file at all, just some text that is long enough".utf8)) == [])
        // Cut before the section headers (which sit at the end of the file): nothing, safely.
        for length in [16, 64, 4096, Self.executable.count / 2, Self.executable.count - 1] where length <= Self.executable.count {
            #expect(ELFComment.strings(in: Array(Self.executable.prefix(length))) == [], "cut at \(length)")
        }
    }

    @Test func corruptedSectionHeadersGiveNothingOrTheSameStrings() {
        var bytes = Self.executable
        guard bytes.count > 0x40 else { Issue.record("no executable"); return }
        // The section header table's offset pointed past the end.
        bytes.replaceSubrange(0x28..<0x30, with: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        #expect(ELFComment.strings(in: bytes) == [])
        var names = Self.executable
        // The section names' index out of range.
        names.replaceSubrange(0x3E..<0x40, with: [0xFF, 0xFF])
        #expect(ELFComment.strings(in: names) == [])
    }
}
