import Glibc
import Synchronization

/// Private, never reused copies of plugin libraries.
enum PrivateCopy {
    private static let counter = Atomic<Int>(0)

    /// Writes `bytes` to a new file `<directory>/<n>-<name>` (mode 0500) and returns its path.
    static func write(_ bytes: [UInt8], named name: String, in directory: String) -> Result<String, SkippedPlugin> {
        let number = counter.add(1, ordering: .relaxed).newValue
        let path = "\(directory)/\(getpid())-\(number)-\(name)"
        let descriptor = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o500)
        guard descriptor >= 0 else {
            return .failure(SkippedPlugin("cannot write its private copy \(path): \(String(cString: strerror(errno)))"))
        }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else {
                unlink(path)
                return .failure(SkippedPlugin("cannot write its private copy \(path): \(String(cString: strerror(errno)))"))
            }
            written += count
        }
        return .success(path)
    }

    /// A new directory only this user can use, for one process's copies.
    static func makeDirectory(under parent: String = "/tmp") -> String? {
        var template = Array("\(parent)/llama-smart-proxy-plugins.XXXXXX".utf8CString)
        return template.withUnsafeMutableBufferPointer { buffer in
            mkdtemp(buffer.baseAddress!).map { String(cString: $0) }
        }
    }
}
