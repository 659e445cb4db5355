/// What the scheduler asks the process layer to do. Waiters are plain numbers here; the pool
/// keeps their completion closures, so the scheduler stays a comparable value.
enum PoolAction: Sendable, Equatable {
    case grant(waiter: Int, ServerLease)
    case fail(waiter: Int, PoolError)
    case start(spec: LaunchSpec, instance: Int, endpoint: UpstreamEndpoint)
    /// SIGTERM, then SIGKILL after the stop timeout.
    case stop(modelID: String, instance: Int)
    /// SIGKILL now: a load that timed out has nothing worth a graceful exit.
    case kill(modelID: String, instance: Int)
    case log(String)
}

/// How a child ended, as the process layer saw it.
struct ChildExit: Sendable, Equatable {
    /// e.g. "exited with status 1", "killed by signal 9", "cannot execute ...: No such file or directory"
    var description: String
    var logTail: [String]
}
