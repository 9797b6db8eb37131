"""How long the plans/reports register takes to load and to filter with many units.

    python bench/bench_ui_lists.py [--units 1000]

Builds a temporary database with the sample plus N commune-level units and a monthly report
task for every commune over a year, then times: loading the register of one period (core), the
table model + proxy (sort by status, search as you type), and a full page refresh.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _timed(label: str, fn, repeat: int = 3):  # type: ignore[no-untyped-def]
    best = float("inf")
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<55} {best * 1000:8.1f} ms")
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1000)
    args = parser.parse_args()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from app.db import connect
    from app.models import TaskKind, Unit, UnitKind
    from app.services import directives
    from app.services.directives import DirectiveInput, TaskInput
    from app.services.intake import intake_rows, task_periods
    from app.services.sample import load_sample
    from app.text import search_key
    from ui import tasks
    from ui.models.intake_model import IntakeModel
    from ui.models.search_proxy import SearchProxy

    app = QApplication.instance() or QApplication([])
    tasks.set_synchronous(True)
    with tempfile.TemporaryDirectory() as folder:
        db = connect(str(Path(folder) / "bench.db"))
        load_sample(db)
        with db.write() as session:
            for i in range(args.units):
                name = f"UBND xã Thử nghiệm {i:04d}"
                session.add(
                    Unit(
                        name=name,
                        kind=UnitKind.COMMUNE.value,
                        sort_order=i,
                        search_key=search_key(name),
                    )
                )
        directive = directives.create_directive(
            db, DirectiveInput("99/UBND-NC", dt.date(2025, 7, 1), subject="Báo cáo hằng tháng")
        )
        task, result = _timed(
            "add monthly task (sync obligations)",
            lambda: directives.add_task(
                db,
                directive.id,
                TaskInput(
                    "Báo cáo tháng",
                    TaskKind.PERIODIC,
                    period_kind="month",
                    start_date=dt.date(2025, 7, 1),
                    end_date=dt.date(2026, 6, 30),
                    unit_kinds=[UnitKind.COMMUNE],
                ),
            ),
            repeat=1,
        )
        print(f"  obligations: {result.added}")
        day = dt.date(2025, 12, 2)
        period = task_periods(db, task.id)[5]
        rows = _timed(
            f"intake_rows, one period ({args.units} units)",
            lambda: intake_rows(db, day, task_id=task.id, period_key=period.key),
        )
        model = IntakeModel()
        _timed("model.set_rows", lambda: model.set_rows(rows))
        proxy = SearchProxy()
        proxy.setSourceModel(model)
        status_col = model.column_index("status")
        _timed(
            "proxy sort by status",
            lambda: (proxy.sort(-1), proxy.sort(status_col, Qt.SortOrder.AscendingOrder)),
        )
        _timed(
            "proxy search 'thu nghiem 09' then clear (2 passes)",
            lambda: (proxy.set_search("thu nghiem 09"), proxy.set_search("")),
        )
        from ui.main_window import MainWindow
        from ui.pages.reports_page import ReportsPage

        window = MainWindow(db, today=day)
        page = next(
            window.tabs.widget(i)
            for i in range(window.tabs.count())
            if isinstance(window.tabs.widget(i), ReportsPage)
        )
        page._directive_id, page._task_id, page._period_key = directive.id, task.id, period.key
        _timed("reports page reload (off-thread part + fill)", page.reload_now)
        print(f"  rows shown: {page.model.rowCount()}")
        window.close()
        db.dispose()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
