/// What the request path counts: kept per event loop (no lock; see `ProxyMetrics`) and summed
/// when scraped. Labels: `model` is the resolved model id ("" when the request reached none),
/// `route` a `MetricsRoute` label.
struct RequestMetrics: Sendable {
    struct RequestKey: Hashable, Sendable {
        var model: String
        var route: String
        var status: Int
    }

    struct RouteKey: Hashable, Sendable {
        var model: String
        var route: String
    }

    var requests: [RequestKey: UInt64] = [:]
    var latency: [RouteKey: Histogram] = [:]
    var firstByte: [RouteKey: Histogram] = [:]
    var promptTokens: [String: UInt64] = [:]
    var predictedTokens: [String: UInt64] = [:]
    var promptSpeed: [String: Histogram] = [:]
    var predictedSpeed: [String: Histogram] = [:]
    /// Answers whose body was kept but held no readable `timings`.
    var timingsMissing: [String: UInt64] = [:]

    /// One finished request. `firstByteSeconds` only for streams.
    mutating func record(model: String, route: String, status: Int, seconds: Double, firstByteSeconds: Double?) {
        requests[RequestKey(model: model, route: route, status: status), default: 0] &+= 1
        let key = RouteKey(model: model, route: route)
        latency[key, default: Histogram(bounds: HistogramBuckets.latencySeconds)].observe(seconds)
        if let firstByteSeconds {
            firstByte[key, default: Histogram(bounds: HistogramBuckets.latencySeconds)].observe(firstByteSeconds)
        }
    }

    mutating func record(_ timings: LlamaTimings?, model: String) {
        guard let timings else {
            timingsMissing[model, default: 0] &+= 1
            return
        }
        promptTokens[model, default: 0] &+= timings.promptTokens
        predictedTokens[model, default: 0] &+= timings.predictedTokens
        if let speed = timings.promptPerSecond, timings.promptTokens > 0 {
            promptSpeed[model, default: Histogram(bounds: HistogramBuckets.tokensPerSecond)].observe(speed)
        }
        if let speed = timings.predictedPerSecond, timings.predictedTokens > 0 {
            predictedSpeed[model, default: Histogram(bounds: HistogramBuckets.tokensPerSecond)].observe(speed)
        }
    }

    mutating func merge(_ other: RequestMetrics) {
        requests.merge(other.requests, uniquingKeysWith: &+)
        latency.merge(other.latency) { var sum = $0; sum.merge($1); return sum }
        firstByte.merge(other.firstByte) { var sum = $0; sum.merge($1); return sum }
        promptTokens.merge(other.promptTokens, uniquingKeysWith: &+)
        predictedTokens.merge(other.predictedTokens, uniquingKeysWith: &+)
        promptSpeed.merge(other.promptSpeed) { var sum = $0; sum.merge($1); return sum }
        predictedSpeed.merge(other.predictedSpeed) { var sum = $0; sum.merge($1); return sum }
        timingsMissing.merge(other.timingsMissing, uniquingKeysWith: &+)
    }
}
