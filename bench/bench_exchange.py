"""Timings of the exchange package (not part of the test run).

python bench/bench_exchange.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from app.db import connect
from app.exchange.backup import create_backup, restore_backup
from app.exchange.xlsx_export import ExportFilters, export
from app.exchange.xlsx_import import apply_import, preview_import
from app.services.sample import load_sample


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    print(f"{label:<45} {time.perf_counter() - start:6.2f} s")
    return result


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    today = dt.date(2018, 12, 31)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        db = connect(str(tmp / "bench.db"))
        load_sample(db)
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["Tên đơn vị", "Loại đơn vị", "Thư điện tử", "Hiệu lực từ ngày"])
        for i in range(rows):
            ws.append([f"UBND xã Số {i}", "UBND cấp xã", f"xa{i}@example.vn", dt.date(2019, 1, 1)])
        wb.save(tmp / "units.xlsx")
        preview = timed(
            f"preview import of {rows} units",
            lambda: preview_import(db, "units", tmp / "units.xlsx", today=today),
        )
        timed(f"apply import of {rows} units", lambda: apply_import(db, preview, today=today))
        timed(
            f"export units ({rows + 34} rows)",
            lambda: export(db, "units", tmp / "out.xlsx", ExportFilters(as_of=today)),
        )
        timed(
            "export completeness matrix",
            lambda: export(db, "status", tmp / "status.xlsx", ExportFilters(as_of=today)),
        )
        size = (tmp / "bench.db").stat().st_size / 1e6
        info = timed(
            f"backup ({size:.1f} MB database)",
            lambda: create_backup(db, tmp / "b.zip", now=dt.datetime(2018, 12, 31, 17)),
        )
        timed(
            "restore (verify, safety copy, replace)",
            lambda: restore_backup(db, info.path, now=dt.datetime(2018, 12, 31, 18)),
        )
        db.dispose()


if __name__ == "__main__":
    main()
