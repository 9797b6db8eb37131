"""How ``bench/run.py`` measures: a figure beside its floor in the same loop, a query typed letter
by letter, a child process in a scratch data folder. Written once so that every benchmark
measures the same way."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

KEYSTROKES = "bao cao quy son tinh"


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


@dataclass
class Paired:
    """Wall times of the product and of its floor, run after run, with the CPU time of each
    run (the machine may be shared: CPU time shows the work itself)."""

    runs: list[float] = field(default_factory=list)
    floor_runs: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    floor_cpu: list[float] = field(default_factory=list)

    @property
    def mean_cpu(self) -> float:
        return sum(self.cpu) / len(self.cpu)

    @property
    def mean_floor_cpu(self) -> float:
        return sum(self.floor_cpu) / len(self.floor_cpu)


def paired(product: Callable[[], float], floor: Callable[[], float], times: int) -> Paired:
    """``times`` runs of ``floor`` then ``product``, interleaved so that both see the same
    machine state; each callable returns the wall time it measured itself."""
    result = Paired()
    for _ in range(times):
        started = time.process_time()
        result.floor_runs.append(floor())
        result.floor_cpu.append(time.process_time() - started)
        started = time.process_time()
        result.runs.append(product())
        result.cpu.append(time.process_time() - started)
    return result


def typed(
    keystroke: Callable[[str], object],
    rounds: int,
    *,
    before: Callable[[], object] = lambda: None,
    after: Callable[[], object] = lambda: None,
) -> list[float]:
    """The time of each keystroke of :data:`KEYSTROKES` typed letter by letter, ``rounds``
    times; ``keystroke`` gets the text typed so far; ``before`` and ``after`` run around each
    round, untimed."""
    per_key: list[float] = []
    for _ in range(rounds):
        before()
        for n in range(1, len(KEYSTROKES) + 1):
            per_key.append(timed(lambda n=n: keystroke(KEYSTROKES[:n])))
        after()
    return per_key


def slowest(per_key: list[float]) -> str:
    return f"slowest keystroke {max(per_key) * 1000:.1f} ms"


@contextlib.contextmanager
def child_env(data: str | None = None) -> Iterator[dict[str, str]]:
    """The environment of a child process: its data and logs in a scratch folder (removed
    after) or in ``data``, byte code written (an installed program has it; without it every
    start would compile the program's own modules again)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with tempfile.TemporaryDirectory(prefix="sotheodoi-bench-") as tmp:
        env["SOTHEODOI_DATA"] = data or tmp
        yield env
