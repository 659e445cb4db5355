import CSystem
import ProxyTime
import Glibc

extension ChildProcess {
    /// Runs `stopCommand` with `${PID}` (and the child's `${PORT}` or `${SOCKET}`) filled in, on a
    /// thread of its own that reaps it; its output goes into the child's log tail, and a failure
    /// to start it is logged there too. The stop grace runs meanwhile: SIGKILL still follows.
    func runStopCommand(_ stopCommand: [String], pid: Int32) {
        var values = ["PID": String(pid)]
        switch endpoint {
        case .tcp(_, let port): values["PORT"] = String(port)
        case .unixSocket(let path): values["SOCKET"] = path
        }
        let argv = stopCommand.map { CommandPlaceholders.expand($0, values) }
        guard let first = argv.first else { return }
        let executable = ExecutableLookup.resolve(first)
        DedicatedThread.start(name: "llama-\(instance)-stop") { [self] in
            var outputFDs: [Int32] = [-1, -1]
            guard csystem_pipe(&outputFDs, 0) == 0 else { return note("stop command: pipe: \(Self.errorText(errno))") }
            var childPID: pid_t = 0
            var childErrno: Int32 = 0
            let result = Self.withCStrings([executable] + argv.dropFirst()) {
                csystem_spawn(executable, $0, nil, outputFDs[1], &childPID, &childErrno)
            }
            close(outputFDs[1])
            defer { close(outputFDs[0]) }
            if result == 0 { drain(outputFDs[0]) }
            var raw: Int32 = 0
            if childPID > 0 { while waitpid(childPID, &raw, 0) < 0 && errno == EINTR {} }
            if result != 0 { note("cannot execute stop command \(executable): \(Self.errorText(childErrno))") }
        }
    }

    private func drain(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(fd, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            _ = status.withLock { $0.tail.append(buffer[0..<count]) }
        }
    }

    private func note(_ line: String) {
        _ = status.withLock { $0.tail.append(Array((line + "\n").utf8)[...]) }
    }
}
