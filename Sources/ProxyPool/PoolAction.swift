import Endpoints
/// What the scheduler asks the process layer to do. Waiters are plain numbers here; the pool
/// keeps their completion closures and timers, so the scheduler stays a comparable value.
enum PoolAction: Sendable, Equatable {
    /// Completes the waiter (and cancels its queue timer).
    case grant(waiter: Int, ServerLease)
    /// Completes the waiter with an error (and cancels its queue timer).
    case fail(waiter: Int, PoolError)
    /// Calls `queueTimedOut` for the waiter at `deadline` (monotonic nanoseconds).
    case armQueueTimer(modelID: String, waiter: Int, deadline: UInt64)
    /// The waiter's queue clock stopped (its model is loading): its timer must not fire.
    case cancelQueueTimer(waiter: Int)
    /// Starts a child on the named device (one of the configuration's).
    case start(spec: LaunchSpec, instance: Int, endpoint: UpstreamEndpoint, device: String)
    /// SIGTERM, then SIGKILL after the stop timeout.
    case stop(modelID: String, instance: Int)
    /// SIGKILL now: a load that timed out or that nobody waits for has nothing worth a graceful exit.
    case kill(modelID: String, instance: Int)
    case log(String)
    /// A life-cycle fact for the metrics (the pool hands it to its `record` callback).
    case record(PoolMetric)
    /// Calls `modelTimerFired` at `deadline`. Never cancelled: a late one changes nothing.
    case armModelTimer(ModelTimer, deadline: UInt64)
    /// Asks the child's `/health` off the pool's lock; the answer goes to `healthProbed`.
    case probeHealth(modelID: String, instance: Int)
    /// Saves the child's slots that hold a conversation into its key's folder, off the pool's
    /// lock; the result goes to `slotsSaved`.
    case saveSlots(modelID: String, instance: Int)
    /// Restores the saved files into the new child's slots, off the lock; then `slotsRestored`.
    case restoreSlots(modelID: String, instance: Int, files: [SlotCacheLedger.File])
    /// Deletes saved slot files (over the disk budget).
    case deleteSlotFiles([SlotCacheLedger.File])
    /// Reads the NVIDIA GPU's used memory off the lock, while this child holds memory there: the
    /// figure its release is later measured from.
    case sampleGPUMemory(nvidiaIndex: Int, instance: Int)
    /// Polls the GPU off the lock until its used memory dropped by most of `bytes` from the
    /// child's samples (then `gpuReleased`), or until `deadline`.
    case watchGPURelease(nvidiaIndex: Int, modelID: String, instance: Int, bytes: UInt64, deadline: UInt64)
}

/// A timer on one child: its idle TTL, its next health check or its slot save; or, with instance
/// 0, the end of a swap hold that keeps a waiting model from the room (PoolScheduler+swapHold).
struct ModelTimer: Sendable, Hashable {
    enum Kind: Sendable, Hashable { case idle, health, slotCache, swapHold, gpuRelease }
    var kind: Kind
    var modelID: String
    var instance: Int
}

/// How a child ended, as the process layer saw it.
struct ChildExit: Sendable, Equatable {
    /// e.g. "exited with status 1", "killed by signal 9", "cannot execute ...: No such file or directory"
    var description: String
    var logTail: [String]
}
