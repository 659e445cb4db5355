/// A Prometheus histogram's state: fixed upper bounds, a count per bucket (not cumulative
/// here; the exposition adds them up), the sum and the count of observations.
struct Histogram: Sendable, Equatable {
    let bounds: [Double]
    private(set) var bucketCounts: [UInt64]
    private(set) var sum: Double = 0
    private(set) var count: UInt64 = 0

    init(bounds: [Double]) {
        self.bounds = bounds
        bucketCounts = [UInt64](repeating: 0, count: bounds.count)
    }

    /// A value above every bound (or NaN) is counted in `+Inf` only, which is `count`.
    mutating func observe(_ value: Double) {
        if let index = bounds.firstIndex(where: { value <= $0 }) { bucketCounts[index] &+= 1 }
        sum += value
        count &+= 1
    }

    /// Adds `other`'s observations (same bounds).
    mutating func merge(_ other: Histogram) {
        precondition(bounds == other.bounds, "histograms with different buckets")
        for index in bucketCounts.indices { bucketCounts[index] &+= other.bucketCounts[index] }
        sum += other.sum
        count &+= other.count
    }

    /// `(upper bound, observations at or below it)`, ending with `+Inf` and `count`.
    var cumulativeBuckets: [(bound: Double, count: UInt64)] {
        var running: UInt64 = 0
        var buckets: [(bound: Double, count: UInt64)] = []
        for (bound, count) in zip(bounds, bucketCounts) {
            running &+= count
            buckets.append((bound, running))
        }
        buckets.append((.infinity, self.count))
        return buckets
    }
}

/// The fixed bucket boundaries of every histogram (documented in the README).
enum HistogramBuckets {
    /// Request latency and time to first byte, in seconds: from a cached answer to a long generation.
    static let latencySeconds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600]
    /// Model load duration, in seconds: a tiny model from the page cache to a large one from disk.
    static let loadSeconds: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600]
    /// Prompt and generation speed, in tokens per second.
    static let tokensPerSecond: [Double] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000]
}
