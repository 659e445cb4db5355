import CSystem
import Glibc

/// Asks `nvidia-smi` how much memory a GPU uses:
/// `nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i N`. Blocks until it
/// exits, so it runs only on a thread of its own.
struct NvidiaSMI: Sendable {
    /// The program: a name is looked up on PATH, as a shell would.
    var executable: String

    static let maximumOutputBytes = 4096

    func arguments(index: Int) -> [String] {
        [executable, "--query-gpu=memory.used", "--format=csv,noheader,nounits", "-i", String(index)]
    }

    /// The used memory in bytes, or why it could not be read.
    func usedBytes(index: Int) -> Result<UInt64, NvidiaSMIError> {
        let path = ExecutableLookup.resolve(executable)
        var fds: [Int32] = [-1, -1]
        guard csystem_pipe(&fds, 0) == 0 else { return .failure(NvidiaSMIError("pipe: \(ChildProcess.errorText(errno))")) }
        var pid: pid_t = 0
        var childErrno: Int32 = 0
        let started = ChildProcess.withCStrings(arguments(index: index)) { csystem_spawn(path, $0, nil, fds[1], &pid, &childErrno) }
        close(fds[1])
        var output: [UInt8] = []
        if started == 0 { output = Self.readAll(fds[0]) }
        close(fds[0])
        var raw: Int32 = 0
        if pid > 0 { while waitpid(pid, &raw, 0) < 0 && errno == EINTR {} }
        guard started == 0 else { return .failure(NvidiaSMIError("cannot execute \(path): \(ChildProcess.errorText(childErrno))")) }
        let text = String(decoding: output, as: UTF8.self)
        guard raw == 0 else { return .failure(NvidiaSMIError("\(path) \(ChildProcess.describe(raw)): \(Self.firstLine(text))")) }
        guard let mebibytes = Self.parse(text) else { return .failure(NvidiaSMIError("unexpected answer from \(path): \(Self.firstLine(text))")) }
        return .success(mebibytes * PoolDevice.mebibyte)
    }

    /// The first line's number of MiB (`nounits`: `1234`, maybe with spaces).
    static func parse(_ text: String) -> UInt64? {
        UInt64(String(firstLine(text).filter { $0 != " " && $0 != "\t" && $0 != "\r" }))
    }

    static func firstLine(_ text: String) -> String {
        String(text.split(separator: "\n", omittingEmptySubsequences: true).first ?? "")
    }

    private static func readAll(_ fd: Int32) -> [UInt8] {
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while output.count < maximumOutputBytes {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            output += buffer[0..<count]
        }
        return output
    }
}

struct NvidiaSMIError: Error, Sendable, Equatable {
    var message: String
    init(_ message: String) { self.message = message }
}
