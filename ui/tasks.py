"""Slow work off the UI thread (PDF, export, import, backup, opening large lists)."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
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


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
) -> None:
    """Run ``fn`` on the thread pool; ``on_done``/``on_error`` are called on the UI thread."""
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
