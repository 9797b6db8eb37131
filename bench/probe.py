"""A child process for the start-up and memory benchmarks (run by ``bench/run.py``).

    python bench/probe.py app   --db bench/data/M.db --day 2025-10-15
    python bench/probe.py floor

Prints one JSON line when the window is painted: seconds since the process started (as seen
from inside, for information; the runner measures the wall time from outside) and the peak
resident memory (``VmHWM``, else ``ru_maxrss``).

- ``app``: the program's own start: QApplication, database opened and migrated, MainWindow
  with its pages, shown, background loads finished, painted.
- ``floor``: a bare PySide6 window with a tab widget, same interpreter.
- ``app-rows``: ``app`` plus every obligation row of the day held in memory, the way a table
  page that loads everything would (an upper bound for the memory figure until the pages exist).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _page_ready(page: object) -> bool:
    """The page on screen has its data: a page with a ``loading`` flag has cleared it; the
    overview has its ``data``; the warnings their ``day``."""
    loading = getattr(page, "loading", None)
    if loading is not None:
        return not loading
    for name in ("data", "day"):
        if hasattr(page, name):
            return getattr(page, name) is not None
    return True


def _painted(window: object) -> tuple[float, float]:
    """Wait until the page on screen has its data and has been painted with it. Returns the
    moment (perf_counter) and the process's CPU time at which that paint ended: the first
    event after the page's paint event that is not a paint event (its children and the rest
    of the window are painted in between). The window does what waits for that paint (the
    other pages, the damage check) only after it."""
    from PySide6.QtCore import QEvent, QObject, QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    tabs = getattr(window, "tabs", None)
    target = tabs.currentWidget() if tabs is not None else window
    seen: list[tuple[float, float]] = []

    class _PaintEnded(QObject):  # on the application, only while that paint lasts
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if not seen and event.type() != QEvent.Type.Paint:
                seen.append((time.perf_counter(), time.process_time()))
            return False

    class _PagePainted(QObject):  # on the page: its first paint with its data
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and _page_ready(watched):
                watched.removeEventFilter(self)
                app.installEventFilter(ended)
            return False

    ended, painted = _PaintEnded(), _PagePainted()
    target.installEventFilter(painted)  # type: ignore[union-attr]
    deadline = time.perf_counter() + 120
    while not seen and time.perf_counter() < deadline:
        app.processEvents()
        if not seen:
            QThreadPool.globalInstance().waitForDone(5)
    app.removeEventFilter(ended)
    assert seen, "the page on screen was never painted with its data"
    return seen[0]


def _pages_loaded(window: object) -> float:
    """Every page's first load delivered (the chain of first loads empty, every page with its
    data). Returns the moment (perf_counter). The UI thread keeps delivering results while it
    waits: waiting on the thread pool itself would also wait for the start-up backup (tens of
    seconds with a large file), holding back the pages' results behind it."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    tabs = window.tabs  # type: ignore[attr-defined]
    deadline = time.perf_counter() + 600
    while time.perf_counter() < deadline:
        app.processEvents()
        if not window.first_loads_pending() and all(  # type: ignore[attr-defined]
            _page_ready(tabs.widget(i)) for i in range(tabs.count())
        ):
            break
        QThreadPool.globalInstance().waitForDone(5)
    return time.perf_counter()


def _all_loaded() -> None:
    """Every page's background load finished and delivered."""
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    assert app is not None
    for _ in range(500):
        QThreadPool.globalInstance().waitForDone()
        app.processEvents()
        if QThreadPool.globalInstance().activeThreadCount() == 0:
            from ui import tasks

            if not any(r.busy() for r in tasks._all_runners(app)):
                break


def peak_memory_kb() -> int:
    """Peak resident memory of this process. ``VmHWM`` where there is /proc: on Linux,
    ``ru_maxrss`` keeps the high-water mark of the parent copied at fork time across exec,
    so a child of a big runner would report the runner's memory."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def _report(started: float, extra: dict[str, object]) -> None:
    print(
        json.dumps(
            {
                "inside_s": time.perf_counter() - started,
                "maxrss_mb": peak_memory_kb() / 1024,
                **extra,
            }
        ),
        flush=True,
    )


def run_floor(started: float) -> None:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QTabWidget

    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    tabs = QTabWidget(window)
    for title in ("Tổng quan", "Đơn vị", "Văn bản chỉ đạo", "Kế hoạch", "Báo cáo", "Cảnh báo"):
        tabs.addTab(QLabel(title), title)
    window.setCentralWidget(tabs)
    window.resize(1200, 760)
    window.show()
    _, painted_cpu = _painted(window)
    _report(started, {"tabs": tabs.count(), "painted_cpu_s": painted_cpu})
    del app


def run_app(started: float, db_path: str, day: dt.date, rows: bool) -> None:
    """The program's own start path (``ui.app.start_window``), up to the window painted;
    the garbage collector paused first, as ``python -m app`` does (app/startup.py)."""
    from app.startup import pause_collector

    pause_collector()
    from ui.app import start_window

    result = start_window(["--db", db_path])
    assert not isinstance(result, int), f"start failed with code {result}"
    window, db = result
    painted, painted_cpu = _painted(window)
    print(json.dumps({"painted_s": painted - started, "painted_cpu_s": painted_cpu}), flush=True)
    pages = _pages_loaded(window)
    pages_cpu = time.process_time()
    _all_loaded()
    extra: dict[str, object] = {
        "tabs": window.tabs.count(),  # type: ignore[attr-defined]
        "painted_s": painted - started,
        "pages_loaded_s": pages - started,
        "pages_loaded_cpu_s": pages_cpu,
        "all_loaded_s": time.perf_counter() - started,
    }
    if rows:
        from app.services.obligations import list_obligations

        held = list_obligations(db, day)
        extra["rows"] = len(held)
    _report(started, extra)
    window.close()  # type: ignore[attr-defined]
    db.dispose()


def main() -> int:
    started = time.perf_counter()
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["app", "floor", "app-rows"])
    parser.add_argument("--db")
    parser.add_argument("--day", default="2025-10-15")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.mode == "floor":
        run_floor(started)
    else:
        run_app(started, args.db, dt.date.fromisoformat(args.day), args.mode == "app-rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
