import ProxyTime
import Foundation
import Glibc
import Synchronization
@testable import ProxyPool

/// A real pool over the fake llama-server, in its own short runtime directory.
final class PoolHarness: Sendable {
    let directory: String
    let pool: ServerPool
    let recorder = LogRecorder()
    /// What the pool told of its children's output (`ChildLogEvent`), in order.
    let childLog = ChildLogRecorder()

    init(
        maxLoaded: Int = 2, loadTimeout: Double = 10, queueTimeout: Double = 10, stopTimeout: Double = 2,
        restartBackoffMax: Double = 0, devices: [PoolDevice] = [.unlimited], healthCheckInterval: Double = 0,
        healthCheckTimeout: Double = 5, healthCheckFailures: Int = 3
    ) {
        directory = "/tmp/lsp-pool-\(UUID().uuidString.prefix(8))"
        let configuration = PoolConfiguration(
            maxLoaded: maxLoaded, loadTimeout: loadTimeout, queueTimeout: queueTimeout, stopTimeout: stopTimeout,
            restartBackoffMax: restartBackoffMax, runtimeDirectory: directory, devices: devices,
            healthCheckInterval: healthCheckInterval, healthCheckTimeout: healthCheckTimeout,
            healthCheckFailures: healthCheckFailures)
        let recorder = recorder
        let childLog = childLog
        pool = ServerPool(configuration: configuration, log: { recorder.append($0) },
                          childLog: { childLog.append($0) })
    }

    func acquire(_ spec: LaunchSpec) async -> Result<ServerLease, PoolError> {
        await withCheckedContinuation { continuation in
            pool.acquire(spec) { continuation.resume(returning: $0) }
        }
    }

    func lease(_ spec: LaunchSpec) async throws -> ServerLease {
        try await acquire(spec).get()
    }

    func status(_ modelID: String) -> ModelStatus? { pool.statuses()[modelID] }

    func logLines(_ prefix: String) -> [String] { recorder.lines.filter { $0.hasPrefix(prefix) } }

    func socketFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".sock") }
    }

    /// Every test ends here, so no child outlives it.
    func finish() {
        pool.shutdown(grace: 0)
        try? FileManager.default.removeItem(atPath: directory)
    }
}

final class ChildLogRecorder: Sendable {
    private let storage = Mutex<[ChildLogEvent]>([])
    func append(_ event: ChildLogEvent) { storage.withLock { $0.append(event) } }
    var events: [ChildLogEvent] { storage.withLock { $0 } }
}

/// The pool's log lines, each with the CLOCK_MONOTONIC time it was written.
final class LogRecorder: Sendable {
    private let storage = Mutex<[(time: UInt64, line: String)]>([])
    func append(_ line: String) { storage.withLock { $0.append((MonotonicClock.now(), line)) } }
    var lines: [String] { storage.withLock { $0.map(\.line) } }
    func time(ofFirst prefix: String) -> UInt64? { storage.withLock { $0.first { $0.line.hasPrefix(prefix) }?.time } }
}

enum FakeServer {
    static let script = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
        .appendingPathComponent("fake_llama_server.py").path

    /// The interpreter itself rather than a version-manager shim, which costs a shell start per spawn.
    static let python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : ExecutableLookup.resolve("python3")

    static func spec(_ modelID: String, _ switches: String...) -> LaunchSpec {
        LaunchSpec(
            modelID: modelID, executable: python,
            arguments: [script, "-m", "/models/\(modelID).gguf", "--alias", modelID] + switches)
    }
}

/// Polls `condition` every few milliseconds until it holds or `seconds` pass.
func eventually(within seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        try? await Task.sleep(nanoseconds: 5_000_000)
    }
    return condition()
}

func processExists(_ pid: Int32) -> Bool {
    kill(pid, 0) == 0 || errno != ESRCH
}

/// The pid in a pool log line such as "load model=a pid=123 ready in 40 ms".
func pid(in line: String) -> Int32? {
    guard let range = line.range(of: "pid=") else { return nil }
    return Int32(line[range.upperBound...].prefix { $0.isNumber })
}
