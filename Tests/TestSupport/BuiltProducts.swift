import Foundation

/// Products of this package built next to the running test bundle (`swift build --build-tests`
/// builds them all), such as the shipped plugins' libraries.
public enum BuiltProducts {
    /// E.g. `library("libSampling.so")`.
    public static func library(_ file: String) -> String {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return ((executable as NSString).deletingLastPathComponent as NSString).appendingPathComponent(file)
    }
}
