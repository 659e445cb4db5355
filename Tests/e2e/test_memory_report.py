"""llama-server's own report of what it allocated, read from the child's output by the pool, in
/v1/models beside the estimate and the measurement, and the figure the next start is placed by."""
from http_client import chat_body, request


def models_by_id(proxy) -> dict:
    response = request(proxy.port, "GET", "/v1/models")
    assert response.status == 200
    return {model["id"]: model for model in response.json()["data"]}


def test_v1_models_shows_what_llama_server_reported_within_a_few_percent_of_the_estimate(start_proxy):
    # llama-server prints its buffer lines and breakdown table only at verbosity 4.
    proxy = start_proxy(model_files=("tiny-a",), default_args=["--threads", "1", "-lv", "4"])
    before = models_by_id(proxy)["tiny-a"]
    assert before["memory_reported_mib"] is None
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), timeout=120)
    assert response.status == 200, response.body
    log = proxy.wait_for_log("report model=tiny-a", "measure model=tiny-a")
    line = next(line for line in log.splitlines() if "report model=tiny-a" in line)
    assert " allocated " in line and "(estimate " in line, line
    after = models_by_id(proxy)["tiny-a"]
    estimate, reported, measured = after["memory_estimate_mib"], after["memory_reported_mib"], after["memory_measured_mib"]
    print(f"tiny-a: estimate {estimate} MiB, reported {reported} MiB, measured {measured} MiB")
    assert isinstance(reported, int) and reported > 0
    # MiB rounded up on both sides: within 5 % and one MiB of rounding.
    assert abs(reported - estimate) <= estimate * 0.05 + 1, after
    # Placed by the larger of what it reported and what it was measured to hold.
    assert after["memory_mib"] == max(reported, measured), after


def test_at_default_verbosity_llama_server_reports_nothing_and_the_measurement_places(start_proxy):
    proxy = start_proxy(model_files=("tiny-a",))
    response = request(proxy.port, "POST", "/v1/chat/completions", chat_body("tiny-a"), timeout=120)
    assert response.status == 200, response.body
    proxy.wait_for_log("measure model=tiny-a")
    after = models_by_id(proxy)["tiny-a"]
    assert after["memory_reported_mib"] is None and "report model=tiny-a" not in proxy.log()
    assert after["memory_mib"] == after["memory_measured_mib"]
