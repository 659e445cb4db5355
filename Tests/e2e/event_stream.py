"""A `GET /events` client on a thread of its own: every event it reads is kept, and tests wait
for the ones they expect (with generous timeouts; the wait is never what is tested)."""
import json
import threading
import time

from http_client import RawConnection, encode_request, sse_events


class EventStream:
    def __init__(self, port: int, headers=None):
        self.connection = RawConnection.tcp(port, timeout=300)
        self.connection.send(encode_request("GET", "/events", headers=headers or []))
        self.response = self.connection.read_head()
        self.events: list[dict] = []
        self.ended = threading.Event()
        self.clean_end = False  # the body ended properly (its last chunk came), not cut
        self._changed = threading.Condition()
        if self.response.status == 200:
            threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        try:
            for data in sse_events(self.connection, self.response):
                with self._changed:
                    self.events.append(json.loads(data))
                    self._changed.notify_all()
            self.clean_end = True
        except (OSError, ValueError, AssertionError):
            pass
        finally:
            self.ended.set()
            with self._changed:
                self._changed.notify_all()

    def wait_for(self, predicate, timeout: float = 120.0, after: int = 0, what: str = "an event") -> dict:
        """The first event from index `after` on for which predicate(event) holds."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for event in self.events[after:]:
                    if predicate(event):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.ended.is_set():
                    raise AssertionError(f"no {what} within {timeout} s; events: {self.events[-30:]}")
                self._changed.wait(min(remaining, 1.0))

    def wait_for_state(self, model: str, state: str, reason=None, after: int = 0, timeout: float = 120.0) -> dict:
        def matches(event):
            return (event.get("type") == "state" and event["model"] == model and event["state"] == state
                    and (reason is None or event["reason"] == reason))
        return self.wait_for(matches, timeout, after, f"{model} {state} {reason or ''}")

    def index_of(self, event) -> int:
        with self._changed:
            return next(i for i, candidate in enumerate(self.events) if candidate is event)

    def close(self):
        self.connection.close()
