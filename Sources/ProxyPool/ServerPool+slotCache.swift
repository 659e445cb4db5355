import Glibc
import ProxyTime

/// Saving and restoring a child's slots (see PoolScheduler+slotCache) block on the child's
/// socket, so each runs on a thread of its own, never under the pool's lock or on an event loop.
extension ServerPool {
    func runSlotSave(_ child: ChildProcess, modelID: String, key: SlotCacheKey) {
        let client = SlotClient(endpoint: child.endpoint, timeout: configuration.slotSaveTimeout)
        let folder = slotFolder(key)
        DedicatedThread.start(name: "lsp-slot-save") { [weak self] in
            var saved: [SlotCacheLedger.File] = []
            guard let slots = client.occupiedSlots() else {
                self?.log("slot cache save model=\(modelID): GET /slots failed; stopping without saving")
                self?.slotsSaved(modelID, instance: child.instance, files: [])
                return
            }
            for slot in slots {
                let name = "slot\(slot).bin"
                switch client.save(slot: slot, name: name) {
                case .success(let result) where result.tokens > 0:
                    saved.append(SlotCacheLedger.File(key: key, slot: slot, name: name, bytes: result.bytes, lastUsed: MonotonicClock.now()))
                case .success:
                    unlink("\(folder)/\(name)")  // an empty slot is not worth its file
                case .failure(let failure):
                    self?.log("slot cache save model=\(modelID) slot=\(slot) failed: \(failure.message)")
                }
            }
            self?.slotsSaved(modelID, instance: child.instance, files: saved)
        }
    }

    func runSlotRestore(_ child: ChildProcess, modelID: String, files: [SlotCacheLedger.File]) {
        let client = SlotClient(endpoint: child.endpoint, timeout: configuration.slotSaveTimeout)
        DedicatedThread.start(name: "lsp-slot-restore") { [weak self] in
            var restored = 0
            for file in files {
                switch client.restore(slot: file.slot, name: file.name) {
                case .success: restored += 1
                case .failure(let failure):
                    self?.log("slot cache restore model=\(modelID) slot=\(file.slot) failed: \(failure.message)")
                }
            }
            self?.slotsRestored(modelID, instance: child.instance, restored: restored, tried: files.count)
        }
    }

    func deleteSlotFiles(_ files: [SlotCacheLedger.File]) {
        for file in files {
            unlink("\(slotFolder(file.key))/\(file.name)")
            log("slot cache dropped \(file.key.folderName)/\(file.name) (\(file.bytes / 1024) KiB): over limits.slot_cache_mib")
        }
    }

    private func slotFolder(_ key: SlotCacheKey) -> String {
        "\(configuration.slotCacheRoot ?? configuration.runtimeDirectory)/\(key.folderName)"
    }

    private func slotsSaved(_ modelID: String, instance: Int, files: [SlotCacheLedger.File]) {
        perform(state.withLock { state in
            resolve(state.scheduler.slotsSaved(modelID, instance: instance, files: files, now: MonotonicClock.now()), in: &state)
        })
    }

    private func slotsRestored(_ modelID: String, instance: Int, restored: Int, tried: Int) {
        perform(state.withLock { state in
            let actions = state.scheduler.slotsRestored(modelID, instance: instance, restored: restored, tried: tried, now: MonotonicClock.now())
            return resolve(actions, in: &state)
        })
    }
}
