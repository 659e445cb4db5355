extension Timeouts {
    /// Longest accepted timeout; far beyond any real need, and small enough that converting it to
    /// nanoseconds cannot overflow.
    static let maximumSeconds = 31_536_000.0  // one year

    static func decode(_ section: ConfigObjectReader) throws(ConfigError) -> Timeouts {
        try section.requireOnlyKeys([
            "load_seconds", "queue_seconds", "request_header_seconds", "keep_alive_seconds",
            "upstream_idle_seconds", "shutdown_grace_seconds", "agent_seconds", "restart_backoff_max_seconds",
            "stop_seconds", "health_check_seconds", "health_check_timeout_seconds", "slot_save_seconds",
            "events_heartbeat_seconds", "upstream_connect_seconds", "gpu_release_seconds",
        ])
        func seconds(_ key: String, default value: Double) throws(ConfigError) -> Double {
            try section.number(key, in: 0...maximumSeconds, expected: "a number of seconds from 0 to 31536000") ?? value
        }
        let defaults = Timeouts()
        var timeouts = Timeouts(
            load: try seconds("load_seconds", default: defaults.load),
            queue: try seconds("queue_seconds", default: defaults.queue),
            requestHeader: try seconds("request_header_seconds", default: defaults.requestHeader),
            keepAlive: try seconds("keep_alive_seconds", default: defaults.keepAlive),
            upstreamIdle: try seconds("upstream_idle_seconds", default: defaults.upstreamIdle),
            shutdownGrace: try seconds("shutdown_grace_seconds", default: defaults.shutdownGrace),
            agent: try section.number(
                "agent_seconds", in: Double.leastNonzeroMagnitude...maximumSeconds,
                expected: "a number of seconds above 0, at most 31536000") ?? defaults.agent,
            restartBackoffMax: try seconds("restart_backoff_max_seconds", default: defaults.restartBackoffMax),
            stop: try seconds("stop_seconds", default: defaults.stop),
            healthCheck: try seconds("health_check_seconds", default: defaults.healthCheck),
            healthCheckTimeout: try section.number(
                "health_check_timeout_seconds", in: Double.leastNonzeroMagnitude...maximumSeconds,
                expected: "a number of seconds above 0, at most 31536000") ?? defaults.healthCheckTimeout,
            slotSave: try seconds("slot_save_seconds", default: defaults.slotSave),
            eventsHeartbeat: try section.number(
                "events_heartbeat_seconds", in: 0.01...maximumSeconds,
                expected: "a number of seconds from 0.01 to 31536000") ?? defaults.eventsHeartbeat,
            upstreamConnect: try seconds("upstream_connect_seconds", default: defaults.upstreamConnect))
        timeouts.gpuRelease = try seconds("gpu_release_seconds", default: defaults.gpuRelease)
        return timeouts
    }
}
