import Glibc

/// CLOCK_MONOTONIC in nanoseconds: the scheduler takes times as plain numbers, so tests can
/// feed it any they like.
enum PoolClock {
    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }

    static func milliseconds(from start: UInt64, to end: UInt64) -> Int {
        end > start ? Int((end - start) / 1_000_000) : 0
    }
}
