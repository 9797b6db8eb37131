"""Speed of the dashboard queries on a synthetic database of ~100,000 obligations.

    python bench/bench_dashboard.py [--units 1050] [--years 8]

Writes nothing outside a temporary folder; prints the timings (median of 5 runs).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from app.db import Database, connect  # noqa: E402
from app.models import Directive, Obligation, Task, Unit, UnitKind  # noqa: E402
from app.services import dashboard  # noqa: E402
from app.services.obligations import list_obligations  # noqa: E402


def build(db: Database, units: int, years: int) -> int:
    rng = random.Random(2018)
    with db.write() as session:
        session.execute(
            insert(Unit),
            [
                {
                    "name": f"Đơn vị {i:04d}",
                    "short_name": "",
                    "kind": rng.choice(
                        [UnitKind.DEPARTMENT.value, UnitKind.DISTRICT.value, UnitKind.COMMUNE.value]
                    ),
                    "sort_order": i,
                    "active": True,
                    "search_key": f"don vi {i}",
                    "version": 1,
                }
                for i in range(units)
            ],
        )
        directive = Directive(
            number_symbol="1/UBND-TH",
            signed_date=dt.date(2018, 1, 2),
            subject="Thử tốc độ",
            search_key="1/ubnd-th",
        )
        task = Task(
            title="Báo cáo tháng",
            kind="periodic",
            period_kind="month",
            sort_order=1,
            due_month_offset=0,
        )
        directive.tasks.append(task)
        session.add(directive)
        session.flush()
        unit_ids = [
            u for (u,) in session.execute(Unit.__table__.select().with_only_columns(Unit.id))
        ]
        rows = []
        for year in range(2018, 2018 + years):
            for month in range(1, 13):
                due = dt.date(year, month, 20)
                for uid in unit_ids:
                    received = None
                    if rng.random() < 0.7:
                        received = due + dt.timedelta(days=rng.randint(-15, 20))
                    rows.append(
                        {
                            "task_id": task.id,
                            "unit_id": uid,
                            "period_key": f"{year}-M{month:02d}",
                            "period_label": f"Tháng {month}/{year}",
                            "due_date": due,
                            "first_received": received,
                            "submission_count": 1 if received else 0,
                            "exempt_reason": "Miễn" if rng.random() < 0.02 else None,
                            "waived": False,
                        }
                    )
        session.execute(insert(Obligation), rows)
        return len(rows)


def timed(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    values = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        values.append(time.perf_counter() - start)
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=1050)
    parser.add_argument("--years", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    db = connect(str(folder / "bench.db"))
    start = time.perf_counter()
    n = build(db, args.units, args.years)
    print(f"{n} obligations built in {time.perf_counter() - start:.1f} s")
    day = dt.date(2021, 6, 25)
    task_id = dashboard.task_choices(db)[0].task_id
    rows = dashboard.warnings(db, day)
    print(f"warnings on {day:%d/%m/%Y}: {len(rows)} rows")
    results = {
        "warnings (overdue + due soon, sorted)": timed(lambda: dashboard.warnings(db, day)),
        "overview (grouped counts)": timed(lambda: dashboard.overview(db, day)),
        "completeness matrix (all units × 96 months)": timed(
            lambda: dashboard.completeness_matrix(db, task_id, day), runs=3
        ),
        "newly overdue since a week": timed(
            lambda: dashboard.newly_overdue(db, day - dt.timedelta(days=7), day)
        ),
        "status of every obligation (reference)": timed(lambda: list_obligations(db, day), runs=3),
    }
    for name, seconds in results.items():
        print(f"{name:48s} {seconds * 1000:8.0f} ms")
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
