"""Moving a large database to PostgreSQL and back, and the status query on both.

    SOTHEODOI_TEST_DATABASE_URL=$(bash scripts/pg_test_server.sh) \
        python bench/bench_transfer.py [--tasks 50]

Builds an SQLite file with the sample's 34 units and ``--tasks`` monthly report tasks over five
years (34 × 60 obligations each: 50 tasks ≈ 100,000 obligations), then times
``transfer`` SQLite → PostgreSQL → SQLite and ``list_obligations`` on one day on both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.db import connect
from app.exchange.transfer import transfer
from app.services import directives
from app.services.obligations import list_obligations
from app.services.sample import load_sample
from tests.pg import PgTestServer


def build(path: Path, tasks: int) -> int:
    db = connect(str(path))
    load_sample(db)
    (directive,) = directives.list_directives(db)
    for n in range(tasks):
        directives.add_task(
            db,
            directive.id,
            directives.TaskInput(
                title=f"Báo cáo tháng số {n + 1}",
                kind="periodic",
                period_kind="month",
                start_date=dt.date(2018, 1, 1),
                end_date=dt.date(2022, 12, 31),
                due_day=20,
                unit_kinds=("so_nganh", "huyen"),
            ),
        )
    count = len(list_obligations(db, dt.date(2020, 6, 30)))
    db.dispose()
    return count


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=50)
    args = parser.parse_args()
    url = os.environ.get("SOTHEODOI_TEST_DATABASE_URL")
    if not url:
        sys.exit("Set SOTHEODOI_TEST_DATABASE_URL (scripts/pg_test_server.sh prints one).")
    server = PgTestServer(url)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "lon.db"
        count = timed("build SQLite", lambda: build(source, args.tasks))
        print(f"obligations: {count}, file size {source.stat().st_size / 1e6:.1f} MB")
        target = server.create_database(migrated=False)
        try:
            result = timed("SQLite → PostgreSQL", lambda: transfer(str(source), target))
            print(f"rows copied: {result.rows}")
            timed("PostgreSQL → SQLite", lambda: transfer(target, str(Path(tmp) / "back.db")))
            for name, where in (("SQLite", str(source)), ("PostgreSQL", target)):
                db = connect(where)
                try:
                    list_obligations(db, dt.date(2020, 6, 30))  # warm
                    rows = timed(
                        f"list_obligations on {name}",
                        lambda db=db: list_obligations(db, dt.date(2020, 6, 30)),
                    )
                    print(f"  {len(rows)} rows")
                finally:
                    db.dispose()
        finally:
            server.drop_database(target)
            server.close()


if __name__ == "__main__":
    main()
