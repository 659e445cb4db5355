import ProxyHTTP

extension ProxyMetrics {
    /// One answered request, on its loop. With a `tap` that kept the answer's last bytes, their
    /// `timings` are read (only those bytes: at most `ResponseBodyTap.capacity`); a stream's
    /// time to its first body byte is taken from the tap too.
    func recordRequest(_ request: HTTPServerRequest, model: String, status: Int, now: UInt64, tap: ResponseBodyTap?) {
        let route = MetricsRoute.label(for: request.head.path)
        let seconds = Self.seconds(from: request.receivedAt, to: now)
        let firstByte = tap.flatMap { tap in tap.isEventStream ? tap.firstBodyByteAt.map { Self.seconds(from: request.receivedAt, to: $0) } : nil }
        let timings: LlamaTimings?? = tap.flatMap { $0.isKept ? .some(LlamaTimings.find(in: $0.tail)) : nil }
        recordRequest { metrics in
            metrics.record(model: model, route: route, status: status, seconds: seconds, firstByteSeconds: firstByte)
            if let timings { metrics.record(timings, model: model) }
        }
    }

    private static func seconds(from start: UInt64, to end: UInt64) -> Double {
        end > start ? Double(end - start) / 1e9 : 0
    }
}
