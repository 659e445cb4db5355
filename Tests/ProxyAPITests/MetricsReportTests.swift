import ProxyPool
import Testing

@testable import ProxyAPI

@Suite struct MetricsReportTests {
    static func report() -> String {
        var requests = RequestMetrics()
        requests.record(model: "b", route: "/v1/completions", status: 200, seconds: 0.2, firstByteSeconds: nil)
        requests.record(model: "a", route: "/v1/chat/completions", status: 503, seconds: 0.01, firstByteSeconds: 0.005)
        requests.record(model: "a", route: "/v1/chat/completions", status: 200, seconds: 3, firstByteSeconds: 0.5)
        requests.record(LlamaTimings(promptTokens: 10, promptPerSecond: 400, predictedTokens: 20, predictedPerSecond: 55), model: "a")
        requests.record(nil, model: "b")
        var lifecycle = LifecycleMetrics()
        lifecycle.record(.loadFinished(modelID: "a", result: .ready, nanoseconds: 2_000_000_000))
        lifecycle.record(.loadFinished(modelID: "a", result: .failed, nanoseconds: 1))
        lifecycle.record(.unloaded(modelID: "a", reason: "evicted"))
        lifecycle.agentCalls[.init(model: "/echo", label: "reply"), default: 0] += 1
        lifecycle.hookExchanges[.init(model: "json-check", label: "answered"), default: 0] += 3
        lifecycle.pluginReloads["ok"] = 2
        return MetricsReport(
            requests: requests, lifecycle: lifecycle,
            statuses: [
                "b": ModelStatus(state: .stopped, pid: nil, inFlight: 0),
                "a": ModelStatus(state: .ready, pid: 7, inFlight: 1, queued: 2, device: "gpu0", memoryBytes: 1000, measuredBytes: 900),
            ],
            devices: [PoolDevice(name: "gpu0", memoryBytes: 4096), PoolDevice(name: "host", memoryBytes: .max)]
        ).render()
    }

    @Test func samplesAreSortedByLabelsAndCarryTheirValues() {
        let lines = Self.report().split(separator: "\n").map(String.init)
        let requests = lines.filter { $0.hasPrefix("llama_smart_proxy_requests_total{") }
        #expect(requests == [
            #"llama_smart_proxy_requests_total{model="a",route="/v1/chat/completions",status="200"} 1"#,
            #"llama_smart_proxy_requests_total{model="a",route="/v1/chat/completions",status="503"} 1"#,
            #"llama_smart_proxy_requests_total{model="b",route="/v1/completions",status="200"} 1"#,
        ])
        #expect(lines.contains(#"llama_smart_proxy_stream_first_byte_seconds_count{model="a",route="/v1/chat/completions"} 2"#))
        #expect(!lines.contains { $0.hasPrefix(#"llama_smart_proxy_stream_first_byte_seconds_count{model="b""#) })
        #expect(lines.contains(#"llama_smart_proxy_prompt_tokens_total{model="a"} 10"#))
        #expect(lines.contains(#"llama_smart_proxy_generated_tokens_total{model="a"} 20"#))
        #expect(lines.contains(#"llama_smart_proxy_generation_tokens_per_second_bucket{model="a",le="50"} 0"#))
        #expect(lines.contains(#"llama_smart_proxy_generation_tokens_per_second_bucket{model="a",le="100"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_timings_missing_total{model="b"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_model_loads_total{model="a",result="failed"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_model_load_duration_seconds_sum{model="a"} 2"#))
        #expect(lines.contains(#"llama_smart_proxy_model_load_duration_seconds_count{model="a"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_model_unloads_total{model="a",reason="evicted"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_agent_calls_total{command="/echo",outcome="reply"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_response_hook_exchanges_total{hook="json-check",outcome="answered"} 3"#))
        #expect(lines.contains(#"llama_smart_proxy_plugin_reloads_total{result="ok"} 2"#))
        #expect(lines.contains(#"llama_smart_proxy_model_state{model="a",state="ready"} 1"#))
        #expect(lines.contains(#"llama_smart_proxy_model_state{model="a",state="stopped"} 0"#))
        #expect(lines.contains(#"llama_smart_proxy_requests_queued{model="a"} 2"#))
        #expect(lines.contains(#"llama_smart_proxy_requests_in_flight{model="b"} 0"#))
        #expect(lines.contains(#"llama_smart_proxy_model_memory_measured_bytes{model="a"} 900"#))
        #expect(!lines.contains { $0.hasPrefix(#"llama_smart_proxy_model_memory_measured_bytes{model="b""#) })
        #expect(lines.contains(#"llama_smart_proxy_device_memory_budget_bytes{device="gpu0"} 4096"#))
        #expect(!lines.contains { $0.hasPrefix(#"llama_smart_proxy_device_memory_budget_bytes{device="host""#) })
        #expect(lines.contains(#"llama_smart_proxy_device_memory_placed_bytes{device="gpu0"} 1000"#))
        #expect(lines.contains(#"llama_smart_proxy_device_memory_placed_bytes{device="host"} 0"#))
    }

    @Test func everyFamilyHasOneHelpAndOneTypeBeforeItsSamples() {
        var declared: [String: String] = [:]
        var helped: Set<String> = []
        for line in Self.report().split(separator: "\n").map(String.init) {
            let words = line.split(separator: " ").map(String.init)
            if line.hasPrefix("# HELP ") {
                #expect(helped.insert(words[2]).inserted, "two HELP lines for \(words[2])")
            } else if line.hasPrefix("# TYPE ") {
                #expect(declared[words[2]] == nil, "two TYPE lines for \(words[2])")
                declared[words[2]] = words[3]
            } else {
                let name = String(line.prefix { $0 != "{" && $0 != " " })
                let histogramBase = ["_bucket", "_sum", "_count"].first { name.hasSuffix($0) }.map { String(name.dropLast($0.count)) }
                let known = declared[name].map { $0 != "histogram" } ?? (histogramBase.flatMap { declared[$0] } == "histogram")
                #expect(known, "sample \(name) before its TYPE")
                #expect(name.hasPrefix("llama_smart_proxy_"))
            }
        }
        #expect(declared.count == helped.count)
        #expect(declared.keys.filter { declared[$0] == "counter" }.allSatisfy { $0.hasSuffix("_total") })
    }
}
