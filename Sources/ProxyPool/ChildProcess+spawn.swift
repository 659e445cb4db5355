import CSystem
import Glibc

extension ChildProcess {
    /// Forks and execs `<executable> <arguments> --host <socket>` (or the spec's command) with
    /// stdout and stderr on one end of a pipe. Returns the pid and the other end, or reports
    /// `.exited` and nil.
    func spawn() -> (pid: Int32, outputFD: Int32)? {
        if status.withLock({ $0.stopRequested }) { return failSpawn("stopped before it started") }
        switch endpoint {
        case .unixSocket(let socketPath):
            guard socketPath.utf8.count <= SocketPath.maximumLength else {
                return failSpawn("socket path is longer than \(SocketPath.maximumLength) bytes: \(socketPath)")
            }
            unlink(socketPath)  // a stale file from an earlier run would make the bind fail
        case .tcp(_, let port):
            guard port > 0 else { return failSpawn("no free loopback TCP port for ${PORT}") }
        }
        if let unreachable = firstUnreachableRPCServer() { return failSpawn(unreachable) }
        // A close-on-exec pipe (no fork elsewhere inherits it) with a 1 MiB buffer: once loaded,
        // the output is read in batches, and a loaded llama-server logs ~10 lines per request.
        // A small buffer (a socket pair holds only ~200 writes) would block its logger and stall
        // requests until the next batch is read.
        var outputFDs: [Int32] = [-1, -1]
        guard csystem_pipe(&outputFDs, Self.outputBufferBytes) == 0 else {
            return failSpawn("pipe: \(Self.errorText(errno))")
        }
        let (argv, overrides, cacheKey) = commandLine()
        let executable = argv[0]
        var pid: pid_t = 0
        var childErrno: Int32 = 0
        let result: Int32
        if overrides.isEmpty {
            result = Self.withCStrings(argv) { csystem_spawn(executable, $0, nil, outputFDs[1], &pid, &childErrno) }
        } else {
            let environment = Self.environment(overriding: overrides)
            result = Self.withCStrings(argv) { argv in
                Self.withCStrings(environment) { envp in csystem_spawn(executable, argv, envp, outputFDs[1], &pid, &childErrno) }
            }
        }
        close(outputFDs[1])
        guard result == 0 else {
            close(outputFDs[0])
            if pid > 0 {  // fork worked, exec did not: reap the stillborn child
                var ignored: Int32 = 0
                while waitpid(pid, &ignored, 0) < 0 && errno == EINTR {}
            }
            return failSpawn("cannot execute \(executable): \(Self.errorText(childErrno))")
        }
        let stopAlreadyRequested = status.withLock { status in
            status.pid = pid
            return status.stopRequested
        }
        report(.spawned(pid: pid, cacheKey: cacheKey))
        if stopAlreadyRequested { signal(SIGKILL) }
        return (pid, outputFDs[0])
    }

    /// llama-server given an `--rpc` server that does not answer fails (or waits) in its own way;
    /// checked first, the request is told which server, and why.
    private func firstUnreachableRPCServer() -> String? {
        for server in settings.rpcServers {
            if let reason = BlockingSocket.connectFailure(server, timeout: settings.rpcConnectTimeout) {
                return "RPC server \(server) is unreachable (\(reason)); start ggml-rpc-server there (see README: More than one machine)"
            }
        }
        return nil
    }

    static let outputBufferBytes: Int32 = 1 << 20

    /// The argv (its first element a resolved path), the environment overrides and the slot
    /// cache key: llama-server's with its device's arguments, its `--slot-save-path` (when the
    /// slot cache is on and its folder could be made) and `--host <socket>`; or the command's with
    /// its placeholders filled in (a command gets its device's environment, not its llama-server
    /// arguments, and no slot cache).
    func commandLine() -> (argv: [String], environment: [String: String], cacheKey: SlotCacheKey?) {
        guard let command = spec.command, let first = command.argv.first else {
            let executable = ExecutableLookup.resolve(spec.executable)
            let arguments = spec.arguments + settings.extraArguments
            var cacheKey: SlotCacheKey?
            var cacheArguments: [String] = []
            if let root = settings.slotCacheRoot {
                let key = SlotCacheKey.make(executable: executable, arguments: arguments, replica: spec.replica)
                let folder = "\(root)/\(key.folderName)"
                if Self.makeFolder(root) && Self.makeFolder(folder) {
                    cacheKey = key
                    cacheArguments = ["--slot-save-path", folder]
                }
            }
            let host = socketPath.map { ["--host", $0] } ?? []
            return ([executable] + arguments + cacheArguments + host, settings.environment, cacheKey)
        }
        let expanded = command.expanded(for: endpoint)
        let executable = ExecutableLookup.resolve(expanded.argv.first ?? first)
        return ([executable] + expanded.argv.dropFirst(), settings.environment.merging(expanded.environment) { $1 }, nil)
    }

    /// Creates a private folder (mode 0700) unless it exists; false if neither.
    static func makeFolder(_ path: String) -> Bool {
        mkdir(path, 0o700) == 0 || errno == EEXIST
    }

    /// The proxy's environment with `overrides` set (made before the fork: nothing is allocated
    /// between fork and exec).
    static func environment(overriding overrides: [String: String]) -> [String] {
        var entries: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            let name = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
            if overrides[name] == nil { entries.append(text) }
            pointer += 1
        }
        return entries + overrides.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    private func failSpawn(_ description: String) -> (pid: Int32, outputFD: Int32)? {
        report(.exited(ChildExit(description: description, logTail: [])))  // no process, no output: the description says it all
        return nil
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// A NULL-terminated `char *argv[]` that lives for the call.
    static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Result
    ) -> Result {
        let pointers = strings.map { strdup($0) } + [nil]
        defer { pointers.forEach { free($0) } }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
