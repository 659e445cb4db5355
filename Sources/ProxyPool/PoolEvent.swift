/// A change in the pool that an operator watches (`GET /events`): found by comparing what the
/// scheduler held before and after each of its steps (`PoolEvent.changes`), so every entry point
/// (requests, lifetimes, health checks, the slot cache, preloads, unloads) is covered in one place.
public enum PoolEvent: Sendable, Equatable {
    /// The model's state, or the reason it stops, changed. `reason`: why it stops (`evicted`,
    /// `ttl`, `requested`...), while it stops. `failure`: set when this change is a failed load
    /// or a child that died on its own, with what went wrong.
    case state(modelID: String, state: ModelState, reason: String?, failure: String?)
    /// How many requests wait in the model's queue changed (`inFlight`: those being answered).
    case queue(modelID: String, queued: Int, inFlight: Int)

    /// What the comparison looks at, per model.
    struct Snapshot: Sendable, Equatable {
        var state: ModelState
        var stopReason: String?
        var queued: Int
        var inFlight: Int
        var lastError: String?

        static let unknown = Snapshot(state: .stopped, stopReason: nil, queued: 0, inFlight: 0, lastError: nil)
    }

    /// The events that lead from `old` to `new`, by model name; a model `old` does not know
    /// starts as stopped with an empty queue. Only the models that changed are sorted (by name),
    /// so a step that changes nothing costs one comparison per model.
    static func changes(from old: [String: Snapshot], to new: [String: Snapshot]) -> [PoolEvent] {
        var changed: [String] = []
        for (modelID, now) in new where now != old[modelID] ?? .unknown { changed.append(modelID) }
        guard !changed.isEmpty else { return [] }
        var events: [PoolEvent] = []
        for modelID in changed.sorted() {
            let now = new[modelID]!
            let before = old[modelID] ?? .unknown
            if now.state != before.state || now.stopReason != before.stopReason {
                let failure = now.lastError != before.lastError ? now.lastError : nil
                events.append(.state(modelID: modelID, state: now.state, reason: now.stopReason, failure: failure))
            }
            if now.queued != before.queued {
                events.append(.queue(modelID: modelID, queued: now.queued, inFlight: now.inFlight))
            }
        }
        return events
    }
}

/// Receives the pool's events. `isObserving` is read on every scheduler step (keep it cheap:
/// an atomic); `poolChanged` runs under the pool's lock, so it must only hand the events on.
public protocol PoolObserver: Sendable {
    var isObserving: Bool { get }
    func poolChanged(_ events: [PoolEvent])
}

extension PoolScheduler {
    func eventSnapshots() -> [String: PoolEvent.Snapshot] {
        models.mapValues { model in
            PoolEvent.Snapshot(
                state: model.state, stopReason: model.stopReason?.rawValue ?? (model.isUnloading ? StopReason.requested.rawValue : nil),
                queued: model.queue.count, inFlight: model.inFlight, lastError: model.lastError)
        }
    }
}
