"""Slow work off the UI thread (PDF, export, import, backup, opening large lists)."""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # delivered to the UI thread, never lost
            log.debug("background job failed: %s", traceback.format_exc())
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(result)


_jobs: set[_Job] = set()
_synchronous = False


def set_synchronous(value: bool) -> None:
    """Tests run jobs inline, so results arrive before the next line of the test."""
    global _synchronous
    _synchronous = value


_Pending = tuple[Callable[[], Any], Callable[[Any], None],
                 Callable[[BaseException], None] | None]
_queue: list[_Pending] | None = None


@contextlib.contextmanager
def one_after_another() -> Iterator[None]:
    """Jobs started inside run one at a time, in the order they were started, each after the
    previous one has delivered its result. At start-up every page asks for its data at once:
    run together they share the interpreter's lock, and the page on screen waited for all of
    them (docs/performance.md); in order, the first page's data arrives first."""
    global _queue
    outer, _queue = _queue, []
    try:
        yield
    finally:
        pending, _queue = _queue, outer
        _run_chain(pending)


_chains: list[list[_Pending]] = []


def cancel_queued() -> None:
    """Drop the jobs still waiting in a chain (the window is closing); a running job ends."""
    for chain in _chains:
        chain.clear()
    _chains.clear()


def first_loads_pending() -> bool:
    """Jobs of a chain (the pages' first loads) still waiting or running."""
    return bool(_chains)


def _run_chain(pending: list[_Pending]) -> None:
    if pending:
        _chains.append(pending)
        _next_in_chain(pending)


def _next_in_chain(pending: list[_Pending]) -> None:
    if not pending:
        _chains[:] = [c for c in _chains if c is not pending]
        return
    fn, on_done, on_error = pending.pop(0)

    def done(value: Any) -> None:
        try:
            on_done(value)
        finally:
            _next_in_chain(pending)

    def failed(exc: BaseException) -> None:
        try:
            (on_error or _log_error)(exc)
        finally:
            _next_in_chain(pending)

    run_in_background(fn, done, failed)


def is_synchronous() -> bool:
    """True while tests run jobs inline (pages then build everything at once, too)."""
    return _synchronous


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn`` on the thread pool; ``on_done``/``on_error`` are called on the UI thread."""
    if _queue is not None and not _synchronous:
        _queue.append((fn, on_done, on_error))
        return
    if _synchronous:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            on_done(result)
        return
    job = _Job(fn)
    _jobs.add(job)

    def finished(callback: Callable[[Any], None] | None, value: Any) -> None:
        _jobs.discard(job)
        if callback is not None:
            callback(value)

    job.signals.done.connect(lambda value: finished(on_done, value))
    job.signals.failed.connect(lambda exc: finished(on_error or _log_error, exc))
    job.setAutoDelete(False)
    QThreadPool.globalInstance().start(job)


def _log_error(exc: BaseException) -> None:
    from ui.dialogs.messages import show_error

    show_error(None, exc)
