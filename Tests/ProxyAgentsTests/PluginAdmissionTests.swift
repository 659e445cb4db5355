import LlamaSmartProxyPluginContract
import Testing

/// `PluginAdmission.refusal`: the descriptor fields the host reads, in; load it or why not, out.
@Suite struct PluginAdmissionTests {
    static let host = "Swift 6.3.1"

    func refusal(abi: UInt32 = 1, _ toolchain: PluginDescriptorFields.Toolchain, swift: Bool) -> String? {
        PluginAdmission.refusal(PluginDescriptorFields(abiVersion: abi, toolchain: toolchain), usesSwiftRuntime: swift,
                                hostABIVersion: 1, hostToolchain: Self.host)
    }

    @Test func theHostsOwnToolchainIsAccepted() {
        #expect(refusal(.named(Self.host), swift: true) == nil)
    }

    @Test func anotherSwiftIsRefusedNamingBoth() {
        #expect(refusal(.named("Swift 6.2"), swift: true)
            == "built with Swift 6.2, this proxy with Swift 6.3.1: rebuild it with the proxy's toolchain")
        // Claiming a Swift is enough, whatever the library links.
        #expect(refusal(.named("Swift 5.9"), swift: false)
            == "built with Swift 5.9, this proxy with Swift 6.3.1: rebuild it with the proxy's toolchain")
    }

    @Test func aCPluginMayNameNoToolchainOrC() {
        #expect(refusal(.null, swift: false) == nil)
        #expect(refusal(.named("C"), swift: false) == nil)
        #expect(refusal(.absent, swift: false) == nil)
    }

    @Test func aSwiftPluginThatCannotProveItsToolchainIsRefused() throws {
        let old = try #require(refusal(.absent, swift: true))
        #expect(old.contains("predates the toolchain field") && old.hasSuffix("Swift 6.3.1: rebuild it with the proxy's toolchain"))
        for claim in [PluginDescriptorFields.Toolchain.null, .named("C")] {
            let reason = try #require(refusal(claim, swift: true))
            #expect(reason.contains("names no Swift toolchain") && reason.contains("uses the Swift runtime"))
        }
    }

    @Test func anOlderSDKsSwiftPluginLoadsOnlyWhenTheHostsToolchainLinkedIt() throws {
        let hostIdents: Set = ["clang version 21.0.0 (https://github.com/swiftlang/llvm-project.git 1167)"]
        func refusal(linked: Set<String>) -> String? {
            PluginAdmission.refusal(PluginDescriptorFields(abiVersion: 1, toolchain: .absent), usesSwiftRuntime: true,
                                    linkerIdents: linked, hostABIVersion: 1, hostToolchain: Self.host, hostLinkerIdents: hostIdents)
        }
        #expect(refusal(linked: hostIdents) == nil)
        let other = try #require(refusal(linked: ["clang version 19.0.0 (https://github.com/swiftlang/llvm-project.git 9a2b)"]))
        #expect(other.contains("linked by another toolchain (clang version 19.0.0") && other.hasSuffix("rebuild it with the proxy's toolchain"))
        let none = try #require(refusal(linked: []))
        #expect(none.contains("names no toolchain that linked it"))
        // A descriptor that names a toolchain is judged by it alone.
        #expect(PluginAdmission.refusal(PluginDescriptorFields(abiVersion: 1, toolchain: .named("Swift 6.2")), usesSwiftRuntime: true,
                                        linkerIdents: hostIdents, hostABIVersion: 1, hostToolchain: Self.host, hostLinkerIdents: hostIdents)
            == "built with Swift 6.2, this proxy with Swift 6.3.1: rebuild it with the proxy's toolchain")
    }

    @Test func theHostsOwnExecutableNamesItsToolchainsClang() {
        // This test binary was linked by the toolchain that built it, as the proxy is.
        #expect(SwiftToolchain.linkerIdents.contains { $0.contains("llvm-project") })
    }

    @Test func anotherABIVersionIsRefusedNamingBothBeforeTheToolchain() {
        #expect(refusal(abi: 2, .named(Self.host), swift: true) == "built for plugin ABI version 2, this host speaks 1")
        #expect(refusal(abi: 0, .absent, swift: false) == "built for plugin ABI version 0, this host speaks 1")
    }

    @Test func theToolchainNamesTheSwiftThatBuiltThisTest() {
        // The host and the SDK name the compiler through this one chain.
        #expect(SwiftToolchain.version.hasPrefix("Swift 6."))
        #expect(PluginAdmission.refusal(PluginDescriptorFields(abiVersion: 1, toolchain: .named(SwiftToolchain.version)),
                                        usesSwiftRuntime: true) == nil)
    }
}
