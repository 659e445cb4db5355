"""What a proxy process holds (open file descriptors, child processes, memory), to prove an attack
or a long run leaves nothing behind."""
import os
import resource
from dataclasses import dataclass

from processes import children, is_alive, rss_kib, wait_until


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def raise_own_fd_limit(needed: int) -> None:
    """The test process opens thousands of sockets: raise its soft RLIMIT_NOFILE to the hard limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else max(soft, needed)
    if soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    assert resource.getrlimit(resource.RLIMIT_NOFILE)[0] >= needed, f"need {needed} fds, hard limit is {hard}"


@dataclass(frozen=True)
class Footprint:
    fds: int
    children: frozenset[int]
    rss_kib: int

    @classmethod
    def of(cls, pid: int) -> "Footprint":
        return cls(open_fds(pid), frozenset(children(pid)), rss_kib(pid))


def assert_settles_back(pid: int, before: Footprint, timeout: float = 20.0) -> Footprint:
    """Polls (bounded) until the process holds no more fds than before and the same children.

    At most as many fds: idle upstream keep-alive connections may have been closed meanwhile.
    """
    assert is_alive(pid), "the proxy died"
    last = [None]

    def settled():
        last[0] = Footprint.of(pid)
        return last[0].fds <= before.fds and last[0].children == before.children

    try:
        wait_until(settled, timeout=timeout, interval=0.2, message="fds and children to settle")
    except AssertionError as error:
        raise AssertionError(f"{error}: before {before}, now {last[0]}") from None
    return last[0]
