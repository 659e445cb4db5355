import Foundation
import ProxyTime

/// One reading of both clocks, to show a monotonic deadline as seconds from now and as Unix time.
struct WallClock {
    let monotonic: UInt64
    let unixSeconds: Double

    static func now() -> WallClock {
        WallClock(monotonic: MonotonicClock.now(), unixSeconds: Date().timeIntervalSince1970)
    }

    /// Seconds from this reading to a monotonic `deadline` (0 if it has passed).
    func secondsUntil(_ deadline: UInt64) -> Double {
        deadline > monotonic ? Double(deadline - monotonic) / 1e9 : 0
    }
}
