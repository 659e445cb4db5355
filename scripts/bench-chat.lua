-- wrk script for scripts/bench: keep-alive POSTs of a one-token chat completion, then one
-- machine-readable line with requests/s, p50 and p99 latency (ms), the error count and requests.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"' .. (os.getenv("BENCH_MODEL") or "tiny-a") ..
    '","messages":[{"role":"user","content":"hi"}],"max_tokens":1}'

function done(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.status + summary.errors.timeout
    io.write(string.format("BENCH %.1f %.3f %.3f %d %d\n",
        summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
        latency:percentile(99) / 1000, errors, summary.requests))
end
