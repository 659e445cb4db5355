/// The Swift compiler this module was built with. The SDK compiles it into every plugin (its
/// descriptor's `toolchain`) and the proxy into itself, so both sides name their toolchain with
/// the same words. Add a line here when a new toolchain arrives: a compiler newer than the
/// first line names itself by that line's lower bound.
public enum SwiftToolchain {
    /// E.g. "Swift 6.3.1".
    public static var version: String {
        #if compiler(>=6.4)
        return "Swift 6.4 or later"
        #elseif compiler(>=6.3.2)
        return "Swift 6.3.2"
        #elseif compiler(>=6.3.1)
        return "Swift 6.3.1"
        #elseif compiler(>=6.3)
        return "Swift 6.3"
        #elseif compiler(>=6.2.1)
        return "Swift 6.2.1"
        #elseif compiler(>=6.2)
        return "Swift 6.2"
        #else
        return "Swift before 6.2"
        #endif
    }
}

extension SwiftToolchain {
    /// The toolchain idents of this process's own executable (`ELFComment.swiftToolchainIdents`):
    /// what a library linked by the same toolchain carries too. Empty when it cannot be read.
    public static let linkerIdents: Set<String> = ELFComment.swiftToolchainIdents(in: FileBytes.read("/proc/self/exe") ?? [])
}
