"""The report: Markdown tables, so the README can show them as printed."""
from affinity import affinity_table

SIDE_NAMES = {"llama_server": "llama-server alone", "nginx": "nginx", "proxy": "this proxy", "router": "router mode"}


def throughput_table(rows: list[dict]) -> list[str]:
    lines = ["| connections | in front of the model | req/s | vs alone | p50 ms | p99 ms | errors |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        direct = row["llama_server"]["rps"]
        for side in ("llama_server", "nginx", "proxy", "router"):
            result = row[side]
            ratio = result["rps"] / direct if direct else 0.0
            lines.append(f"| {row['connections']} | {SIDE_NAMES[side]} | {result['rps']:.0f} | {ratio:.2f} | "
                         f"{result['p50_ms']:.2f} | {result['p99_ms']:.2f} | {result['errors']} |")
    return lines


def trace_table(trace: dict) -> list[str]:
    """Medians, with the range over the rounds for the loads and the p99."""
    lines = ["| mixed trace, medians (range) | loads | makespan s | p50 ms | p99 ms | agent p50 ms | errors |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for side in ("proxy", "router"):
        result, rounds = trace["median"][side], trace["rounds"][side]

        def spread(key: str, spec: str) -> str:
            low, high = min(r[key] for r in rounds), max(r[key] for r in rounds)
            return f"{result[key]:{spec}} ({low:{spec}}-{high:{spec}})"
        lines.append(f"| {SIDE_NAMES[side]} | {spread('loads', 'g')} | {result['makespan_s']:.1f} | "
                     f"{result['p50_ms']:.0f} | {spread('p99_ms', '.0f')} | {result['agent_p50_ms']:.0f} | "
                     f"{result['errors']:g} |")
    return lines


def trace_verdict(trace: dict) -> str:
    proxy, router = trace["median"]["proxy"], trace["median"]["router"]
    fewer = router["loads"] / proxy["loads"] if proxy["loads"] else float("inf")
    p99 = proxy["p99_ms"] / router["p99_ms"] if router["p99_ms"] else float("inf")
    met = fewer >= 2 and p99 <= 1 and proxy["errors"] == 0
    return (f"router mode performed {fewer:.2f}x the loads of this proxy; the proxy's p99 is {p99:.2f}x "
            f"router mode's. Goal (at least 2x fewer loads, p99 no worse): {'met' if met else 'not met'}.")


def switching_table(cold: dict | None, swap: dict | None) -> list[str]:
    lines = ["| demo models, medians | llama-server alone | this proxy | router mode |", "|---|---:|---:|---:|"]
    if cold:
        lines.append(f"| cold load to first answer, ms | {cold['llama_server_ms']:.1f} | {cold['proxy_ms']:.1f} | "
                     f"{cold['router_ms']:.1f} |")
    if swap:
        lines.append(f"| swap A to B with room for one, ms | | {swap['proxy']['swap_ms']:.1f} | "
                     f"{swap['router']['swap_ms']:.1f} |")
        lines.append(f"| warm one-token request, ms | | {swap['proxy']['warm_request_ms']:.2f} | "
                     f"{swap['router']['warm_request_ms']:.2f} |")
    return lines


def print_report(report: dict) -> None:
    machine = report["machine"]
    print(f"\nMachine: {machine['cores']} cores, load average {machine['load_average_start']:.1f} at the start, "
          f"{machine['load_average_end']:.1f} at the end (anything above 0 is someone else's work).\n")
    if "trace" in report:
        shape = report["trace"]["shape"]
        print(f"Mixed trace: {shape['requests']} requests (seed {shape['seed']}) over {', '.join(shape['models'])}, "
              f"bursts ({'each request its own model' if shape.get('burst_models') == 'mixed' else 'one model each'}) from {shape['clients']} clients plus one agent alternating two models "
              f"({shape['agent_requests']} requests), arrivals over {shape['arrival_span_s']:.1f} s, room for two "
              f"models; each load about {report['trace'].get('load_ms', 0):.0f} ms.\n")
        print("\n".join(trace_table(report["trace"])))
        reference = report["trace"]["reference_loads"]
        print(f"\nFor scale, serving the requests one at a time in arrival order: {reference['lru']} loads with "
              f"LRU, {reference['belady_min']} with Belady's MIN (the fewest in that order).")
        print("\n" + trace_verdict(report["trace"]) + "\n")
    if "throughput" in report:
        print("Warm throughput: one-token chat completions, keep-alive (wrk), medians of alternating rounds.\n")
        print("\n".join(throughput_table(report["throughput"])) + "\n")
    if "cold_load" in report or "swap" in report:
        print("\n".join(switching_table(report.get("cold_load"), report.get("swap"))) + "\n")
    if "instructions" in report:
        counted = report["instructions"]
        print(f"Instructions per request (callgrind, {counted['requests'][1] - counted['requests'][0]} requests counted, "
              f"stand-in upstream): this proxy {counted['proxy'] / 1000:.1f}k, nginx {counted['nginx'] / 1000:.1f}k, "
              f"ratio {counted['ratio']:.2f}.\n")
    if "affinity" in report:
        affinity = report["affinity"]
        print(f"Replicas: {affinity['conversations']} interleaved conversations of {affinity['turns']} turns from "
              f"{affinity['clients']} clients over a model with two replicas (replica_load_slack {affinity['slack']}); medians of {affinity['rounds']} round(s).\n")
        print("\n".join(affinity_table(affinity)) + "\n")
    if "memory" in report:
        memory = report["memory"]
        print(f"Proxy RSS: idle {memory['idle_kib'] / 1024:.1f} MiB, peak with {memory['streams']} streams "
              f"{memory['peak_kib_64_streams'] / 1024:.1f} MiB ({memory['streams_ok']} streams completed).")
