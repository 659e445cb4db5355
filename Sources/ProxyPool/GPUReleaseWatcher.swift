import Glibc
import ProxyTime
import Synchronization

/// The I/O side of PoolScheduler+gpuRelease: samples an NVIDIA GPU's used memory while a child
/// holds memory there, and after the child exited polls until the used memory dropped by most
/// of its figure from the highest sample. Every nvidia-smi run happens on a thread of its own,
/// never on an event loop or under the pool's lock.
final class GPUReleaseWatcher: Sendable {
    struct Samples: Sendable {
        /// The highest used memory seen while the child ran, by instance.
        var highest: [Int: UInt64] = [:]
        /// Samples still running, by instance: a watch waits for them.
        var pending: [Int: Int] = [:]
    }

    static let pollMicroseconds: UInt32 = 250_000

    let nvidiaSMI: NvidiaSMI
    let log: @Sendable (String) -> Void
    let samples = Mutex(Samples())

    init(executable: String, log: @escaping @Sendable (String) -> Void) {
        nvidiaSMI = NvidiaSMI(executable: executable)
        self.log = log
    }

    func sample(index: Int, instance: Int) {
        samples.withLock { $0.pending[instance, default: 0] += 1 }
        DedicatedThread.start(name: "lsp-gpu-sample") { [self] in
            let used = try? nvidiaSMI.usedBytes(index: index).get()
            samples.withLock { samples in
                samples.pending[instance, default: 1] -= 1
                if samples.pending[instance] == 0 { samples.pending[instance] = nil }
                if let used { samples.highest[instance] = max(samples.highest[instance] ?? 0, used) }
            }
        }
    }

    /// Polls until the release is seen (then `released`), or until `deadline` (monotonic
    /// nanoseconds; the scheduler's own timer decides then). Without a sample taken while the
    /// child ran, the first poll is the reference.
    func watch(index: Int, modelID: String, instance: Int, bytes: UInt64, deadline: UInt64, released: @escaping @Sendable () -> Void) {
        let drop = UInt64(Double(bytes) * PoolScheduler.releaseFraction)
        DedicatedThread.start(name: "lsp-gpu-release") { [self] in
            while samples.withLock({ $0.pending[instance] != nil }) && MonotonicClock.now() < deadline {
                usleep(Self.pollMicroseconds / 5)
            }
            var reference = samples.withLock { $0.highest.removeValue(forKey: instance) }
            var reportedFailure = false
            while MonotonicClock.now() < deadline {
                switch nvidiaSMI.usedBytes(index: index) {
                case .success(let used):
                    if let highest = reference, highest >= drop, used <= highest - drop { return released() }
                    reference = max(reference ?? used, used)
                case .failure(let error):
                    if !reportedFailure {
                        log("gpu release model=\(modelID): \(error.message)")
                        reportedFailure = true
                    }
                }
                usleep(Self.pollMicroseconds)
            }
        }
    }
}
