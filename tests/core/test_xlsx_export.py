from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from app.db import Database
from app.exchange.xlsx_export import (
    HEADER_ROW,
    TABLES,
    Column,
    ExportFilters,
    Table,
    build_table,
    export,
    write_table,
)
from app.services.dashboard import MATRIX_TOTALS
from app.services.obligations import list_obligations
from app.status import STATUS_COLOURS, Status
from tests.core._exchange_data import TODAY, add_documents
from tests.helpers import db_arg


def _rows(path: Path) -> list[tuple[object, ...]]:
    ws = openpyxl.load_workbook(path).active
    return [tuple(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def test_writer_layout(tmp_path: Path) -> None:
    table = Table(
        "TIÊU ĐỀ",
        (Column("Tên"), Column("Ngày"), Column("Số")),
        [("Sơn Tịnh", dt.date(2018, 4, 30), 3), ("=1+1", None, None)],
        [("#ffb3b3", None, None), None],
        subtitle="Phụ đề",
    )
    path = write_table(tmp_path / "t", table)
    assert path.suffix == ".xlsx"
    ws = openpyxl.load_workbook(path).active
    assert ws["A1"].value == "TIÊU ĐỀ" and ws["A1"].font.bold
    assert ws["A2"].value == "Phụ đề"
    assert [c.value for c in ws[HEADER_ROW]] == ["Tên", "Ngày", "Số"]
    assert all(c.font.bold for c in ws[HEADER_ROW])
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:C{HEADER_ROW + 2}"
    date_cell = ws.cell(HEADER_ROW + 1, 2)
    assert isinstance(date_cell.value, dt.datetime)
    assert date_cell.value.date() == dt.date(2018, 4, 30)
    assert date_cell.number_format == "DD/MM/YYYY"
    assert ws.cell(HEADER_ROW + 1, 1).fill.start_color.rgb == "FFFFB3B3"
    assert ws.cell(HEADER_ROW + 2, 1).value == "'=1+1"  # never a formula
    assert ws.column_dimensions["A"].width >= len("Sơn Tịnh")


@pytest.mark.parametrize("name", TABLES)
def test_every_table_exports(sample_db: Database, tmp_path: Path, name: str) -> None:
    add_documents(sample_db)
    path, count = export(sample_db, name, tmp_path / f"{name}.xlsx", ExportFilters(as_of=TODAY))
    rows = _rows(path)
    assert len(rows) == count > 0


def test_warnings_match_status_and_are_coloured(sample_db: Database, tmp_path: Path) -> None:
    add_documents(sample_db)
    day = dt.date(2018, 6, 18)
    expected = list_obligations(sample_db, day, statuses=[Status.OVERDUE, Status.DUE_SOON])
    table = build_table(sample_db, "warnings", ExportFilters(as_of=day))
    assert len(table.rows) == len(expected)
    status = [c.header for c in table.columns].index("Trạng thái")
    labels = [r[status] for r in table.rows]
    overdue = labels.count(Status.OVERDUE.label)
    assert labels[:overdue] == [Status.OVERDUE.label] * overdue  # most urgent first
    assert set(labels[overdue:]) <= {Status.DUE_SOON.label}
    path = write_table(tmp_path / "w.xlsx", table)
    ws = openpyxl.load_workbook(path).active
    fill = ws.cell(HEADER_ROW + 1, status + 1).fill.start_color.rgb
    assert fill == "FF" + STATUS_COLOURS[Status(Status.OVERDUE)].lstrip("#").upper()


def test_filters(sample_db: Database) -> None:
    add_documents(sample_db)
    plans = build_table(sample_db, "plans", ExportFilters(as_of=TODAY, kind="huyen"))
    assert {r[1] for r in plans.rows} == {
        o.unit_name for o in list_obligations(sample_db, TODAY, unit_kind="huyen")
    }
    one = build_table(
        sample_db,
        "reports",
        ExportFilters(as_of=TODAY, unit="binh son", period="6 thang dau nam 2018"),
    )
    assert [(r[1], r[6]) for r in one.rows] == [("UBND huyện Bình Sơn", "101/BC-UBND")]
    done = build_table(
        sample_db, "status", ExportFilters(as_of=TODAY, directive="2116", task="ke hoach")
    )
    assert len(done.columns) == 3 + 1 + len(MATRIX_TOTALS)  # STT, unit, kind; one column
    assert done.columns[-3].header == "Quá hạn (chưa nộp)"  # named as the overview names it


def test_cli_export(
    sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "units.xlsx"
    code = run(["--db", db_arg(sample_db), "export", "units", "--out", str(out)])
    assert code == 0
    assert len(_rows(out)) == 34
    code = run(
        [
            "--db",
            db_arg(sample_db),
            "export",
            "warnings",
            "--out",
            str(tmp_path / "w.xlsx"),
            "--as-of",
            "02/05/2018",
            "--status",
            "overdue",
        ]
    )
    assert code == 0
    assert "Đã xuất" in capsys.readouterr().out


def test_cli_export_reports_bad_filters(
    sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        [
            "--db",
            db_arg(sample_db),
            "export",
            "plans",
            "--out",
            str(tmp_path / "p.xlsx"),
            "--directive",
            "9999/XX",
        ]
    )
    assert code == 2
    assert "Không có văn bản chỉ đạo" in capsys.readouterr().err
    assert not (tmp_path / "p.xlsx").exists()
