import Glibc

/// Nanoseconds on CLOCK_MONOTONIC: cheap, never jumps, and easy to fake in tests (a plain number).
public enum MonotonicClock {
    public static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

extension Double {
    /// Seconds as nanoseconds; 0 or less means "no limit" and maps to nil.
    public var nanosecondsIfLimited: UInt64? { self > 0 ? UInt64(self * 1_000_000_000) : nil }
}

extension MonotonicClock {
    /// Whole milliseconds between two readings (0 if `end` is not after `start`).
    public static func milliseconds(from start: UInt64, to end: UInt64) -> Int {
        end > start ? Int((end - start) / 1_000_000) : 0
    }
}
