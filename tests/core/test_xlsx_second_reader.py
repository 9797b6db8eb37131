"""Open every exported file with a second reader: LibreOffice (headless) converts it to CSV.

Needs ``soffice`` (Debian/Ubuntu package ``libreoffice-calc-nogui``); skipped without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from app.db import Database
from app.exchange.xlsx_export import TABLES, ExportFilters, build_table, write_table
from app.exchange.xlsx_import import write_template
from tests.core._exchange_data import TODAY, add_documents

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice không có (cần gói apt libreoffice-calc-nogui để có lệnh soffice)",
)


def _to_csv(files: list[Path], out: Path, profile: Path) -> None:
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def test_libreoffice_reads_every_export(sample_db: Database, tmp_path: Path) -> None:
    add_documents(sample_db)
    tables = {name: build_table(sample_db, name, ExportFilters(as_of=TODAY)) for name in TABLES}
    files = [write_table(tmp_path / f"{name}.xlsx", t) for name, t in tables.items()]
    files.append(write_template("units", tmp_path / "mau-don-vi.xlsx"))
    files.append(write_template("submissions", tmp_path / "mau-van-ban.xlsx"))
    out = tmp_path / "csv"
    _to_csv(files, out, tmp_path / "lo-profile")
    for name, table in tables.items():
        with (out / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][0] == table.title
        assert rows[2][: len(table.columns)] == [c.header for c in table.columns]
        body = [r[: len(table.columns)] for r in rows[3:] if any(r)]
        expected = [[_shown(v) for v in row] for row in table.rows]
        assert body == expected, name
    for template in ("mau-don-vi", "mau-van-ban"):
        with (out / f"{template}.csv").open(encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        assert rows[2][0].startswith(("Tên đơn vị", "Đơn vị"))
