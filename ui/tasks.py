"""Slow work off the UI thread (PDF, export, import, backup, opening large lists).

A :class:`Runner` is an object: the main window owns one (``MainWindow.runner``) for its pages,
dialogs and widgets; work started before or without a window goes to the application's
runner (:func:`app_runner`). ``run_in_background(..., owner=widget)`` finds the runner of the
widget's window. Results come back on the UI thread through Qt signals.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
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


_Pending = tuple[
    Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None] | None, QObject | None
]


class Runner(QObject):
    """Runs jobs on Qt's thread pool; ``on_done``/``on_error`` are called on the UI thread.

    ``inline``: the job runs at once on the calling thread, so its result has arrived when
    ``run`` returns — what the tests use (``set_synchronous``); the program never sets it.
    ``firstLoadsDone`` is emitted when the jobs of ``one_after_another`` have all delivered
    (the pages' first loads at start-up)."""

    firstLoadsDone = Signal()
    inline_by_default = False  # the tests' switch (set_synchronous)

    def __init__(self, parent: QObject | None = None, *, inline: bool | None = None) -> None:
        super().__init__(parent)
        self._inline = inline
        self._jobs: set[_Job] = set()
        self._queue: list[_Pending] | None = None
        self._chains: list[list[_Pending]] = []

    @property
    def inline(self) -> bool:
        return Runner.inline_by_default if self._inline is None else self._inline

    # --- running --------------------------------------------------------------------------
    def run(
        self,
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
        *,
        owner: QObject | None = None,
    ) -> None:
        """Run ``fn``; ``owner`` (a page): once its window is closed (or the page deleted) the
        job is not started, and a result arriving after the close is dropped — a window
        closed while a load runs never reads its database again nor touches its widgets."""
        if self._queue is not None and not self.inline:
            self._queue.append((fn, on_done, on_error, owner))
            return
        if window_closed(owner):
            return
        if owner is not None:
            on_done = _unless_closed(owner, on_done)
            if on_error is not None:
                on_error = _unless_closed(owner, on_error)
        if self.inline:
            self._run_inline(fn, on_done, on_error)
            return
        job = _Job(fn)
        self._jobs.add(job)

        def finished(callback: Callable[[Any], None] | None, value: Any) -> None:
            self._jobs.discard(job)
            if callback is not None:
                callback(value)

        job.signals.done.connect(lambda value: finished(on_done, value))
        failure = on_error or (_log_error if owner is None else _unless_closed(owner, _log_error))
        job.signals.failed.connect(lambda exc: finished(failure, exc))
        job.setAutoDelete(False)
        QThreadPool.globalInstance().start(job)

    @staticmethod
    def _run_inline(
        fn: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None,
    ) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            on_done(result)

    def busy(self) -> bool:
        """Jobs started and not delivered yet."""
        return bool(self._jobs) or bool(self._chains)

    # --- one after another ----------------------------------------------------------------
    @contextlib.contextmanager
    def one_after_another(self) -> Iterator[None]:
        """Jobs started inside run one at a time, in the order they were started, each after
        the previous one has delivered its result. At start-up every page asks for its data
        at once: run together they share the interpreter's lock, and the page on screen
        waited for all of them (docs/performance.md); in order, the first page's data
        arrives first."""
        outer, self._queue = self._queue, []
        try:
            yield
        finally:
            pending, self._queue = self._queue, outer
            if pending:
                self._chains.append(pending)
                self._next_in_chain(pending)
            elif not self._chains:
                self.firstLoadsDone.emit()

    def first_loads_pending(self) -> bool:
        """Jobs of a chain (the pages' first loads) still waiting or running."""
        return bool(self._chains)

    def cancel_queued(self) -> None:
        """Drop the jobs still waiting in a chain (the window is closing); a running job
        ends."""
        for chain in self._chains:
            chain.clear()
        self._chains.clear()

    def _next_in_chain(self, pending: list[_Pending]) -> None:
        while pending and window_closed(pending[0][3]):
            pending.pop(0)  # its page's window was closed meanwhile
        if not pending:
            had = bool(self._chains)
            self._chains[:] = [c for c in self._chains if c is not pending]
            if had and not self._chains:
                self.firstLoadsDone.emit()
            return
        fn, on_done, on_error, owner = pending.pop(0)
        on_failed = on_error or _log_error
        if owner is not None:  # a result arriving after the close is dropped; the chain goes on
            on_done, on_failed = _unless_closed(owner, on_done), _unless_closed(owner, on_failed)

        def done(value: Any) -> None:
            try:
                on_done(value)
            finally:
                self._next_in_chain(pending)

        def failed(exc: BaseException) -> None:
            try:
                on_failed(exc)
            finally:
                self._next_in_chain(pending)

        self.run(fn, done, failed)


def app_runner() -> Runner:
    """The application's runner, for work started without a window (the start-up checks, the
    dialogs shown before the window). A child of the QApplication: it lives as long as it."""
    app = QCoreApplication.instance()
    runner = app.findChild(Runner, "appRunner") if app is not None else None
    if runner is None:
        runner = Runner(app)
        runner.setObjectName("appRunner")
    return runner


def runner_for(owner: QObject | None) -> Runner:
    """The runner of ``owner``'s main window (walking up its parents), else the
    application's."""
    from ui.main_window import MainWindow

    obj: QObject | None = owner
    while obj is not None and shiboken6.isValid(obj):
        if isinstance(obj, MainWindow):
            return obj.runner
        obj = obj.parent()
    return app_runner()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    owner: QObject | None = None,
) -> None:
    """Run ``fn`` off the UI thread on the runner of ``owner``'s window (see
    :meth:`Runner.run`)."""
    runner_for(owner).run(fn, on_done, on_error, owner=owner)


def set_synchronous(value: bool) -> None:
    """Tests: every runner without its own setting runs its jobs inline (the result arrives
    before the next line of the test)."""
    Runner.inline_by_default = value


def wait_for_background(timeout_ms: int = 30_000) -> bool:
    """Drop the queued jobs of every runner and wait for the running ones to end (before the
    database they read is closed). Their results are delivered by the event loop later, if at
    all: a closed window's pages drop them (see ``owner`` in ``Runner.run``). False on
    time-out."""
    app = QCoreApplication.instance()
    if app is not None:
        for runner in _all_runners(app):
            runner.cancel_queued()
    return bool(QThreadPool.globalInstance().waitForDone(timeout_ms))


def _all_runners(app: QObject) -> list[Runner]:
    from PySide6.QtWidgets import QApplication

    found = [r for r in (app.findChild(Runner, "appRunner"),) if r is not None]
    if isinstance(app, QApplication):
        for widget in app.topLevelWidgets():
            found.extend(widget.findChildren(Runner))
    return found


def window_closed(owner: QObject | None) -> bool:
    """True when ``owner`` was deleted, or its top-level window has been closed
    (``MainWindow.closed``): its loads must not start, their results must not be shown."""
    if owner is None:
        return False
    if not shiboken6.isValid(owner):
        return True
    window = owner.window() if isinstance(owner, QWidget) else None
    from ui.main_window import MainWindow

    return isinstance(window, MainWindow) and window.closed


def _unless_closed(owner: QObject, callback: Callable[[Any], None]) -> Callable[[Any], None]:
    def call(value: Any) -> None:
        if not window_closed(owner):
            callback(value)

    return call


def _log_error(exc: BaseException) -> None:
    from ui.dialogs.messages import show_error

    show_error(None, exc)
