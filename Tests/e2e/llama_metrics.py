"""Reads a llama-server child's Prometheus /metrics directly, bypassing the proxy."""
from http_client import RawConnection


def metrics(child) -> dict[str, float]:
    """Needs the child started with --metrics."""
    with RawConnection.to(child.endpoint, timeout=10) as connection:
        response = connection.request("GET", "/metrics")
    assert response.status == 200, response.body
    values = {}
    for line in response.body.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            values[name.removeprefix("llamacpp:")] = float(value)
    return values
