import ProxyConfig
import ProxyPool
import ProxyResolver

extension LaunchSpec {
    /// Runs the model's `cmd` instead of llama-server, with `${MODEL_ID}` and `${MODEL_PATH}`
    /// filled in now (the pool fills in `${PORT}`, `${SOCKET}` and `${PID}`). The executable and
    /// arguments mirror the command, for logs and the memory estimate.
    mutating func run(_ command: ModelCommand, for model: ResolvedModel) {
        let values = ["MODEL_ID": model.id, "MODEL_PATH": model.ggufPath]
        let argv = command.argv.map { CommandPlaceholders.expand($0, values) }
        executable = argv.first ?? ""
        arguments = Array(argv.dropFirst())
        rpcServers = []  // a command's arguments are its own, not llama-server's
        self.command = UpstreamCommand(
            argv: argv, environment: command.environment.mapValues { CommandPlaceholders.expand($0, values) },
            readyPath: command.readyPath, stopSignal: command.stopSignal,
            stopCommand: command.stopCommand.map { $0.map { CommandPlaceholders.expand($0, values) } })
    }
}
