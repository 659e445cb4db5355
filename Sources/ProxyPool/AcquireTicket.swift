/// What `ServerPool.acquire` returns: lets the caller give up while the acquire waits (its client
/// went away). Its completion is then called with a `cancelled` error, unless it was already
/// served, in which case the lease arrives as usual and must be released.
public struct AcquireTicket: Sendable {
    let pool: ServerPool?
    /// The model (or, for a model with replicas, the replica) whose queue the acquire waits in.
    public let modelID: String
    let waiter: Int

    /// False when the acquire was served at once: there is nothing to cancel.
    public var isWaiting: Bool { pool != nil }

    public func cancel() {
        pool?.cancel(modelID, waiter: waiter)
    }
}
