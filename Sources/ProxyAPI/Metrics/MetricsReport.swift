import ProxyPool

/// The whole `/metrics` text from the counters and the pool's present state. Pure: the same
/// inputs give the same text (families in a fixed order, samples sorted by their labels).
struct MetricsReport {
    var requests: RequestMetrics
    var lifecycle: LifecycleMetrics
    var statuses: [String: ModelStatus]
    var devices: [PoolDevice]

    static let prefix = "llama_smart_proxy_"

    func render() -> String {
        var out = MetricsText()
        writeRequests(&out)
        writeTimings(&out)
        writeLifecycle(&out)
        writePool(&out)
        return out.text
    }

    private func writeRequests(_ out: inout MetricsText) {
        let requestsName = Self.prefix + "requests_total"
        out.family(requestsName, .counter, help: "Requests answered, by resolved model (\"\" for none), route and HTTP status.")
        for (key, value) in requests.requests.sorted(by: { ($0.key.model, $0.key.route, $0.key.status) < ($1.key.model, $1.key.route, $1.key.status) }) {
            out.sample(requestsName, [("model", key.model), ("route", key.route), ("status", String(key.status))], value)
        }
        histograms(&out, Self.prefix + "request_duration_seconds", help: "Time from a request's arrival to its last byte, by model and route.",
                   requests.latency)
        histograms(&out, Self.prefix + "stream_first_byte_seconds",
                   help: "Streams only: time from a request's arrival to the first body byte of the model's answer (a load included).",
                   requests.firstByte)
    }

    private func histograms(_ out: inout MetricsText, _ name: String, help: String, _ values: [RequestMetrics.RouteKey: Histogram]) {
        out.family(name, .histogram, help: help)
        for (key, histogram) in values.sorted(by: { ($0.key.model, $0.key.route) < ($1.key.model, $1.key.route) }) {
            out.histogram(name, [("model", key.model), ("route", key.route)], histogram)
        }
    }

    private func writeTimings(_ out: inout MetricsText) {
        counters(&out, Self.prefix + "prompt_tokens_total", help: "Prompt tokens processed, from llama-server's timings (prompt_n).",
                 requests.promptTokens, label: "model")
        counters(&out, Self.prefix + "generated_tokens_total", help: "Tokens generated, from llama-server's timings (predicted_n).",
                 requests.predictedTokens, label: "model")
        modelHistograms(&out, Self.prefix + "prompt_tokens_per_second", help: "Prompt processing speed per answer (prompt_per_second).",
                        requests.promptSpeed)
        modelHistograms(&out, Self.prefix + "generation_tokens_per_second", help: "Generation speed per answer (predicted_per_second).",
                        requests.predictedSpeed)
        counters(&out, Self.prefix + "timings_missing_total",
                 help: "Successful JSON or event-stream answers in whose last bytes no timings object was found.",
                 requests.timingsMissing, label: "model")
    }

    private func writeLifecycle(_ out: inout MetricsText) {
        pairs(&out, Self.prefix + "model_loads_total", help: "Loads of a model that ended, by result (ready, failed, timeout, abandoned).",
              lifecycle.loads, labels: ("model", "result"))
        modelHistograms(&out, Self.prefix + "model_load_duration_seconds", help: "Time from a child's start to its readiness (ready loads only).",
                        lifecycle.loadDuration)
        pairs(&out, Self.prefix + "model_unloads_total",
              help: "Children that went away after being ready or while stopped, by reason (exit, evicted, ttl, group, unhealthy, shutdown, abandoned, unreachable, load-timeout).",
              lifecycle.unloads, labels: ("model", "reason"))
        pairs(&out, Self.prefix + "agent_calls_total", help: "Agent invocations, by command and outcome.",
              lifecycle.agentCalls, labels: ("command", "outcome"))
        pairs(&out, Self.prefix + "response_hook_exchanges_total",
              help: "Answers that went through a response hook, by hook and outcome (answered, not_shown, failed, timeout, rounds_exceeded, client_gone, unavailable).",
              lifecycle.hookExchanges, labels: ("hook", "outcome"))
        counters(&out, Self.prefix + "plugin_reloads_total", help: "Loads of the plugins folder, by result (ok, partial, failed).",
                 lifecycle.pluginReloads, label: "result")
    }

    private func writePool(_ out: inout MetricsText) {
        let models = statuses.sorted { $0.key < $1.key }
        let state = Self.prefix + "model_state"
        out.family(state, .gauge, help: "1 for the state a model is in (stopped, starting, ready, stopping), 0 for the others.")
        for (model, status) in models {
            for candidate in [ModelState.stopped, .starting, .ready, .stopping] {
                out.sample(state, [("model", model), ("state", candidate.rawValue)], status.state == candidate ? UInt64(1) : 0)
            }
        }
        gauge(&out, Self.prefix + "requests_in_flight", help: "Requests being answered by a model's server.", models) { UInt64($0.inFlight) }
        gauge(&out, Self.prefix + "requests_queued", help: "Requests waiting for a model (its load, room to load it, or a free slot).", models) {
            UInt64($0.queued)
        }
        gauge(&out, Self.prefix + "model_memory_bytes",
              help: "The memory a model is placed by: what its child holds, else what its next start needs (the estimate, or a measurement).",
              models) { $0.memoryBytes }
        gauge(&out, Self.prefix + "model_memory_measured_bytes", help: "The last measurement of a child of the model.", models) {
            $0.measuredBytes
        }
        let budget = Self.prefix + "device_memory_budget_bytes"
        out.family(budget, .gauge, help: "Each device's memory budget (devices without a limit are left out).")
        for device in devices where device.memoryBytes != .max {
            out.sample(budget, [("device", device.name)], device.memoryBytes)
        }
        let used = Self.prefix + "device_memory_placed_bytes"
        out.family(used, .gauge, help: "The memory of the models placed on each device (running or starting children).")
        for device in devices {
            let sum = statuses.values.filter { $0.device == device.name && $0.state != .stopped }.reduce(UInt64(0)) { $0 &+ $1.memoryBytes }
            out.sample(used, [("device", device.name)], sum)
        }
    }

    private func gauge(_ out: inout MetricsText, _ name: String, help: String, _ models: [(key: String, value: ModelStatus)],
                       _ value: (ModelStatus) -> UInt64?) {
        out.family(name, .gauge, help: help)
        for (model, status) in models {
            if let value = value(status) { out.sample(name, [("model", model)], value) }
        }
    }

    private func counters(_ out: inout MetricsText, _ name: String, help: String, _ values: [String: UInt64], label: String) {
        out.family(name, .counter, help: help)
        for (key, value) in values.sorted(by: { $0.key < $1.key }) { out.sample(name, [(label, key)], value) }
    }

    private func pairs(_ out: inout MetricsText, _ name: String, help: String, _ values: [LifecycleMetrics.ModelLabel: UInt64],
                       labels: (String, String)) {
        out.family(name, .counter, help: help)
        for (key, value) in values.sorted(by: { ($0.key.model, $0.key.label) < ($1.key.model, $1.key.label) }) {
            out.sample(name, [(labels.0, key.model), (labels.1, key.label)], value)
        }
    }

    private func modelHistograms(_ out: inout MetricsText, _ name: String, help: String, _ values: [String: Histogram]) {
        out.family(name, .histogram, help: help)
        for (model, histogram) in values.sorted(by: { $0.key < $1.key }) { out.histogram(name, [("model", model)], histogram) }
    }
}
