import Glibc

/// Whether an opened library uses the Swift runtime: `dlsym` on its handle searches the library
/// and the libraries it depends on, and only a Swift library brings `swift_retain` (a C plugin
/// depends on libc alone, even though the host itself has the runtime loaded).
public enum SwiftRuntimeUse {
    public static func inLibrary(_ handle: UnsafeMutableRawPointer) -> Bool {
        dlsym(handle, "swift_retain") != nil
    }
}
