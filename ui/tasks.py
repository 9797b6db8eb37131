"""Slow work off the UI thread (PDF, export, import, backup, opening large lists)."""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QWidget

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
                 Callable[[BaseException], None] | None, QObject | None]
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


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Drop the queued jobs and wait for the running ones to end (before the database they
    read is closed). Their results are delivered by the event loop later, if at all: a closed
    window's pages drop them (see ``owner`` in ``run_in_background``). False on time-out."""
    cancel_queued()
    return bool(QThreadPool.globalInstance().waitForDone(timeout_ms))


def window_closed(owner: QObject | None) -> bool:
    """True when ``owner`` was deleted, or its top-level window has been closed
    (``MainWindow.closed``): its loads must not start, their results must not be shown."""
    if owner is None:
        return False
    if not shiboken6.isValid(owner):
        return True
    window = owner.window() if isinstance(owner, QWidget) else None
    return bool(getattr(window, "closed", False))


def first_loads_pending() -> bool:
    """Jobs of a chain (the pages' first loads) still waiting or running."""
    return bool(_chains)


def _run_chain(pending: list[_Pending]) -> None:
    if pending:
        _chains.append(pending)
        _next_in_chain(pending)


def _next_in_chain(pending: list[_Pending]) -> None:
    while pending and window_closed(pending[0][3]):
        pending.pop(0)  # its page's window was closed meanwhile
    if not pending:
        _chains[:] = [c for c in _chains if c is not pending]
        return
    fn, on_done, on_error, owner = pending.pop(0)
    on_failed = on_error or _log_error
    if owner is not None:  # a result arriving after the close is dropped; the chain goes on
        on_done, on_failed = _unless_closed(owner, on_done), _unless_closed(owner, on_failed)

    def done(value: Any) -> None:
        try:
            on_done(value)
        finally:
            _next_in_chain(pending)

    def failed(exc: BaseException) -> None:
        try:
            on_failed(exc)
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
    *,
    owner: QObject | None = None,
) -> None:
    """Run ``fn`` on the thread pool; ``on_done``/``on_error`` are called on the UI thread.

    ``owner`` (a page): once its window is closed (or the page deleted) the job is not
    started, and a result arriving after the close is dropped — a window closed while a load
    runs never reads its database again nor touches its widgets."""
    if _queue is not None and not _synchronous:
        _queue.append((fn, on_done, on_error, owner))
        return
    if window_closed(owner):
        return
    if owner is not None:
        on_done = _unless_closed(owner, on_done)
        if on_error is not None:
            on_error = _unless_closed(owner, on_error)
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
    failure = on_error or (_log_error if owner is None else _unless_closed(owner, _log_error))
    job.signals.failed.connect(lambda exc: finished(failure, exc))
    job.setAutoDelete(False)
    QThreadPool.globalInstance().start(job)


def _unless_closed(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    def call(value: Any) -> None:
        if not window_closed(owner):
            callback(value)

    return call


def _log_error(exc: BaseException) -> None:
    from ui.dialogs.messages import show_error

    show_error(None, exc)
