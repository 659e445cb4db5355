import Glibc

/// The file that names this process's pid (`pid_file`), for scripts that signal the proxy
/// (`kill -HUP "$(cat FILE)"`). Written once the port is ours, so a second proxy refused the port
/// never overwrites the running one's; removed at a clean stop, and only while it still names us.
final class PidFile: Sendable {
    let path: String
    private let pid: pid_t

    struct WriteError: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes `pid` to `path` in one step (a temporary file renamed over it).
    static func write(_ path: String, pid: pid_t = getpid()) throws -> PidFile {
        let staging = "\(path).\(pid).tmp"
        func failure(_ step: String, _ code: Int32) -> WriteError {
            WriteError(description: "cannot write the pid file \(path): \(step): \(String(cString: strerror(code)))")
        }
        let fd = open(staging, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("open", errno) }
        let text = Array("\(pid)\n".utf8)
        let written = text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let code = errno
        close(fd)
        guard written == text.count else {
            unlink(staging)
            throw failure("write", written < 0 ? code : EIO)
        }
        guard rename(staging, path) == 0 else {
            let code = errno
            unlink(staging)
            throw failure("rename", code)
        }
        return PidFile(path: path, pid: pid)
    }

    private init(path: String, pid: pid_t) {
        self.path = path
        self.pid = pid
    }

    /// Removes the file unless another process has written its own pid there since.
    func remove() {
        guard Self.pid(in: path) == pid else { return }
        unlink(path)
    }

    /// The pid a file names, nil when it is missing or holds something else.
    static func pid(in path: String) -> pid_t? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[..<count], as: UTF8.self)
        return pid_t(text.hasSuffix("\n") ? String(text.dropLast()) : text)
    }
}
