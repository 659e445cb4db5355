@testable import ProxyPool

/// Drives a scheduler through a trace with simulated children: each granted request holds its
/// slot for `service`, a start becomes ready after `load`, a stop exits after `stop`. Requests
/// come from clients, each sending its next request when the previous one is answered.
/// Swap-hold timers fire at their deadlines (the other timers are not simulated).
/// Times in nanoseconds; events at the same time run in the order they were scheduled.
struct TraceRun {
    enum Event {
        case arrive(LaunchSpec, waiter: Int)
        case release(ServerLease, waiter: Int)
        case ready(String, instance: Int)
        case exited(String, instance: Int)
        case swapHoldEnded(String)
    }

    var scheduler: PoolScheduler
    var service: UInt64
    var load: UInt64
    var stop: UInt64 = milliseconds(100)
    private(set) var loads: [String] = []
    private(set) var waits: [Int: UInt64] = [:]
    private(set) var failures: [Int: PoolError] = [:]
    private(set) var logLines: [String] = []
    private var events: [(time: UInt64, order: Int, event: Event)] = []
    private var arrivals: [Int: UInt64] = [:]
    private var order = 0
    /// Each client's requests still to send, by the waiter number of its request in progress.
    private var pendingOfClient: [Int: [LaunchSpec]] = [:]
    private var nextWaiter = 1

    init(scheduler: PoolScheduler, service: UInt64, load: UInt64) {
        self.scheduler = scheduler
        self.service = service
        self.load = load
    }

    /// A client that sends `models` one after another, the first at `start`.
    mutating func client(_ models: [String], start: UInt64, limit: Int = 2) {
        let specs = models.map { LaunchSpec.testing($0, limit: limit) }
        guard let first = specs.first else { return }
        send(first, rest: Array(specs.dropFirst()), at: start)
    }

    private mutating func send(_ spec: LaunchSpec, rest: [LaunchSpec], at time: UInt64) {
        let waiter = nextWaiter
        nextWaiter += 1
        arrivals[waiter] = time
        pendingOfClient[waiter] = rest
        schedule(.arrive(spec, waiter: waiter), at: time)
    }

    /// The client of `waiter` got its answer: its next request goes now.
    private mutating func answered(_ waiter: Int, at time: UInt64) {
        guard let rest = pendingOfClient.removeValue(forKey: waiter), let next = rest.first else { return }
        send(next, rest: Array(rest.dropFirst()), at: time)
    }

    private mutating func schedule(_ event: Event, at time: UInt64) {
        events.append((time, order, event))
        order += 1
    }

    /// Runs until nothing is left to happen.
    mutating func run() {
        while let next = events.indices.min(by: { (events[$0].time, events[$0].order) < (events[$1].time, events[$1].order) }) {
            let (now, _, event) = events.remove(at: next)
            let actions: [PoolAction]
            switch event {
            case .arrive(let spec, let waiter):
                if let lease = scheduler.acquireIfReady(spec.modelID) {
                    actions = [.grant(waiter: waiter, lease)]
                } else {
                    actions = scheduler.enqueue(spec, waiter: waiter, now: now)
                }
            case .release(let lease, let waiter):
                actions = scheduler.release(lease, now: now)
                answered(waiter, at: now)
            case .ready(let modelID, let instance): actions = scheduler.childReady(modelID, instance: instance, now: now)
            case .exited(let modelID, let instance):
                actions = scheduler.childExited(modelID, instance: instance, exit: ChildExit(description: "exited", logTail: []), now: now)
            case .swapHoldEnded(let modelID): actions = scheduler.holdTimerFired(modelID, now: now)
            }
            perform(actions, now: now)
        }
    }

    private mutating func perform(_ actions: [PoolAction], now: UInt64) {
        for action in actions {
            switch action {
            case .grant(let waiter, let lease):
                waits[waiter] = now - arrivals[waiter]!
                schedule(.release(lease, waiter: waiter), at: now + service)
            case .fail(let waiter, let error):
                failures[waiter] = error
                answered(waiter, at: now)
            case .start(let spec, let instance, _, _):
                loads.append(spec.modelID)
                schedule(.ready(spec.modelID, instance: instance), at: now + load)
            case .stop(let modelID, let instance), .kill(let modelID, let instance):
                schedule(.exited(modelID, instance: instance), at: now + stop)
            case .log(let line): logLines.append(line)
            case .armModelTimer(let timer, let deadline) where timer.kind == .swapHold:
                schedule(.swapHoldEnded(timer.modelID), at: deadline)
            case .armQueueTimer, .cancelQueueTimer, .armModelTimer, .probeHealth, .record, .saveSlots, .restoreSlots, .deleteSlotFiles,
                 .sampleGPUMemory, .watchGPURelease: continue
            }
        }
    }
}
