/// The one queue timeout. A waiter's clock runs while it waits for room to load its model or
/// for a free slot on it, and stops while its model loads (the load timeout bounds that, so a
/// slow load is never cut short by the queue timeout); what is left of its budget carries on
/// when the load ends.
extension PoolScheduler {
    /// Starts the clock of every waiter of `modelID` whose clock is stopped.
    mutating func runQueueClocks(of modelID: String, now: UInt64) -> [PoolAction] {
        guard let queue = models[modelID]?.queue else { return [] }
        var actions: [PoolAction] = []
        for (index, waiter) in queue.enumerated() where waiter.queueDeadline == nil {
            guard let budget = waiter.queueBudget else { continue }
            let deadline = now + budget
            models[modelID]!.queue[index].queueDeadline = deadline
            actions.append(.armQueueTimer(modelID: modelID, waiter: waiter.id, deadline: deadline))
        }
        return actions
    }

    /// Stops the clocks of the model's waiters: it is loading now.
    mutating func pauseQueueClocks(of modelID: String, now: UInt64) -> [PoolAction] {
        guard let queue = models[modelID]?.queue else { return [] }
        var actions: [PoolAction] = []
        for (index, waiter) in queue.enumerated() {
            guard let deadline = waiter.queueDeadline else { continue }
            models[modelID]!.queue[index].queueBudget = deadline > now ? deadline - now : 0
            models[modelID]!.queue[index].queueDeadline = nil
            actions.append(.cancelQueueTimer(waiter: waiter.id))
        }
        return actions
    }

    /// A queue timer fired. Only a waiter still queued with a running clock that has run out
    /// fails; a late timer (served, paused, cancelled) changes nothing.
    mutating func queueTimedOut(_ modelID: String, waiter: Int, now: UInt64) -> [PoolAction] {
        guard let model = models[modelID],
              let index = model.queue.firstIndex(where: { $0.id == waiter }),
              let deadline = model.queue[index].queueDeadline, deadline <= now
        else { return [] }
        removeWaiter(at: index, of: modelID)
        let seconds = Self.seconds(configuration.queueTimeout)
        let message = model.state == .ready
            ? "model '\(modelID)' is busy: all \(model.spec.concurrencyLimit) of its slots stayed in use for \(seconds) s"
            : "no room to load model '\(modelID)' within \(seconds) s: all \(capacity) loaded model(s) are busy"
        return [.fail(waiter: waiter, PoolError(kind: .queueTimeout, modelID: modelID, message: message))] + place(now: now)
    }
}
