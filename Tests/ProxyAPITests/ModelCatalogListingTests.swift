import Dispatch
import ProxyConfig
import ProxyResolver
import Synchronization
import Testing

@testable import ProxyAPI

/// The models folder is re-listed off the caller's thread, one listing at a time, and a known
/// model resolves while a slow listing is in progress.
@Suite struct ModelCatalogListingTests {
    /// A `listFolder` that blocks, from its second call on, until the test opens the gate.
    final class SlowFolder: Sendable {
        private let calls = Atomic(0)
        private let gate = DispatchSemaphore(value: 0)
        private let entered = DispatchSemaphore(value: 0)
        private let files = Mutex(["tiny-a.gguf"])

        var callCount: Int { calls.load(ordering: .relaxed) }

        func list(_ path: String) -> FolderListing {
            if calls.add(1, ordering: .relaxed).newValue > 1 {
                entered.signal()
                gate.wait()
            }
            return FolderListing(path: path, entries: files.withLock { $0 }.map { .file($0) })
        }

        func add(_ name: String) { files.withLock { $0.append(name) } }
        func waitUntilListing() -> Bool { entered.wait(timeout: .now() + 60) == .success }
        func open() { gate.signal() }
    }

    final class Results: Sendable {
        private let values = Mutex<[String]>([])
        private let arrived = DispatchSemaphore(value: 0)
        func add(_ value: String) {
            values.withLock { $0.append(value) }
            arrived.signal()
        }
        var all: [String] { values.withLock { $0 } }
        func waitFor(_ count: Int) -> Bool { (0..<count).allSatisfy { _ in arrived.wait(timeout: .now() + 60) == .success } }
    }

    static func describe(_ resolution: Resolution, _ launch: ModelLaunch?) -> String {
        if case .found(let model) = resolution, let launch { return "\(model.id) \(launch.spec.modelID)" }
        return "not found"
    }

    @Test func aKnownModelResolvesWhileASlowListingRunsAndLateCallersShareIt() throws {
        let folder = SlowFolder()
        let clock = Atomic<UInt64>(1_000_000_000)
        let catalog = ModelCatalog(
            configuration: ProxyConfiguration(
                llamaServer: "/bin/true", modelsDir: "/models", models: [ConfiguredModel(id: "configured", path: "/m.gguf")]),
            listFolder: { folder.list($0) }, now: { clock.load(ordering: .relaxed) })
        clock.add(2_000_000_000, ordering: .relaxed)  // the first listing is stale now
        folder.add("tiny-new.gguf")
        let results = Results()

        // An unknown name starts a listing and does not wait for it on this thread.
        catalog.resolve("tiny-new") { results.add("first " + Self.describe($0, $1)) }
        try #require(folder.waitUntilListing())
        #expect(results.all.isEmpty)

        // Meanwhile known models (configured and previously listed) resolve at once, here.
        catalog.resolve("configured") { results.add("known " + Self.describe($0, $1)) }
        catalog.resolve("tiny-a") { results.add("known " + Self.describe($0, $1)) }
        #expect(results.all == ["known configured configured", "known tiny-a tiny-a"])

        // A second unknown name and a model list join the listing in progress.
        catalog.resolve("tiny-new") { results.add("second " + Self.describe($0, $1)) }
        catalog.withCurrentModels { models in results.add("list " + models.map(\.id).sorted().joined(separator: ",")) }
        #expect(results.all.count == 2)

        folder.open()
        try #require(results.waitFor(5))
        #expect(Array(results.all.dropFirst(2)) == [
            "first tiny-new tiny-new", "second tiny-new tiny-new", "list configured,tiny-a,tiny-new",
        ])
        #expect(folder.callCount == 2, "one listing served every caller")
    }

    @Test func aFreshListingIsNotRepeatedWithinASecond() {
        let folder = SlowFolder()
        let catalog = ModelCatalog(
            configuration: ProxyConfiguration(llamaServer: "/bin/true", modelsDir: "/models"),
            listFolder: { folder.list($0) }, now: { 5_000_000_000 })
        let results = Results()
        catalog.resolve("missing") { results.add(Self.describe($0, $1)) }
        catalog.withCurrentModels { results.add($0.map(\.id).joined()) }
        // Both answered synchronously from the listing made at start.
        #expect(results.all == ["not found", "tiny-a"])
        #expect(folder.callCount == 1)
    }
}
