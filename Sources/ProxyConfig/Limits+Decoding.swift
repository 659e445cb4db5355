extension Limits {
    /// Smallest header limit accepted: below this ordinary clients could not send a request at all.
    static let minimumHeaderBytes = 1024

    static func decode(_ section: ConfigObjectReader) throws(ConfigError) -> Limits {
        try section.requireOnlyKeys(["max_body_bytes", "max_header_bytes", "agent_threads", "agent_queue", "health_check_failures", "slot_cache_mib",
                                      "log_lines", "log_stream_buffer_bytes", "recent_requests", "event_buffer", "response_hook_rounds"])
        let defaults = Limits()
        return Limits(
            maxBodyBytes: try section.integer("max_body_bytes", in: 1...Int.max, expected: "an integer >= 1")
                ?? defaults.maxBodyBytes,
            maxHeaderBytes: try section.integer(
                "max_header_bytes", in: minimumHeaderBytes...Int.max, expected: "an integer >= \(minimumHeaderBytes)")
                ?? defaults.maxHeaderBytes,
            agentThreads: try section.integer("agent_threads", in: 1...1024, expected: "an integer from 1 to 1024")
                ?? defaults.agentThreads,
            agentQueue: try section.integer("agent_queue", in: 0...1_000_000, expected: "an integer from 0 to 1000000")
                ?? defaults.agentQueue,
            healthCheckFailures: try section.integer(
                "health_check_failures", in: 1...1000, expected: "an integer from 1 to 1000") ?? defaults.healthCheckFailures,
            slotCacheMiB: try section.integer(
                "slot_cache_mib", in: 0...(1 << 30), expected: "an integer from 0 to 1073741824 (0: off)") ?? defaults.slotCacheMiB,
            logLines: try section.integer("log_lines", in: 1...1_000_000, expected: "an integer from 1 to 1000000")
                ?? defaults.logLines,
            logStreamBufferBytes: try section.integer(
                "log_stream_buffer_bytes", in: 4096...(1 << 40), expected: "an integer >= 4096") ?? defaults.logStreamBufferBytes,
            recentRequests: try section.integer(
                "recent_requests", in: 0...1_000_000, expected: "an integer from 0 to 1000000") ?? defaults.recentRequests,
            eventBuffer: try section.integer(
                "event_buffer", in: 1...1_000_000, expected: "an integer from 1 to 1000000") ?? defaults.eventBuffer,
            responseHookRounds: try section.integer(
                "response_hook_rounds", in: 1...1000, expected: "an integer from 1 to 1000") ?? defaults.responseHookRounds)
    }
}
