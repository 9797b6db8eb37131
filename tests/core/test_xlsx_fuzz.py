"""The Excel importer with random cell values (property-based, hypothesis).

Units and submissions sheets get, in every column, any of: random Unicode, decomposed
Vietnamese, control characters, RTL marks, 10,000-character strings, impossible dates, dates
far in the past or future, huge numbers, formulas, booleans. Properties: ``preview_import``
never crashes (a file-level problem is an ``AppError`` in Vietnamese); every row in error has a
Vietnamese reason; ``apply_import`` writes nothing when any row is an error (the valid first row
is not written either; every table's row count unchanged). The CLI ``import`` with random files
(random bytes, a zip that is not a workbook, a workbook without the columns) says what is wrong
on stderr, exits non-zero and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import event

from app.cli import run
from app.db import Database, connect
from app.errors import AppError
from app.exchange.xlsx_import import (
    FIELDS,
    RowAction,
    apply_import,
    preview_import,
)
from app.services.sample import load_sample
from tests.core.test_bad_input import SCALE, counts

TODAY = dt.date(2018, 12, 31)
VIETNAMESE = re.compile(
    r"[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]", re.IGNORECASE
)
SETTINGS = settings(
    max_examples=40 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

CELL_TEXTS = [
    "Sở Nội vụ",
    unicodedata.normalize("NFD", "UBND huyện Bình Sơn"),
    unicodedata.normalize("NFD", "Sở Tư pháp"),
    "Ho\u0300a Vang",
    "\u202eUBND\u202c",
    "\u200f\u200e\u061c",
    "\ufeffBOM",
    "\U0001f600",
    "\x7f\x85\u2028\u2029",
    "_x0007_ _x001B_",  # allowed controls, escaped controls as text
    "a\r\nb\tc",
    "'; DROP TABLE unit; --",
    "ạ" * 10_000,
    "x" * 10_000,
    " " * 300,
    "31/02/2018",
    "29/02/2019",
    "00/00/0000",
    "32/13/2018",
    "1/1/10000",
    "01/01/0001",
    "2018-02-30",
    "hôm qua",
    "-1",
    "1e309",
    "NaN",
    "Có",
    "Không",
    "x",
    "TRUE",
    "2116/UBND-NC",
    "Báo cáo định kỳ năm",
    "Năm 2018",
    "6 tháng đầu năm 2018",
    "Giấy",
    "Thư điện tử",
    "Hệ thống quản lý văn bản",
    "fax",
    "Sở, ban, ngành tỉnh",
    "UBND cấp huyện",
    "UBND cấp xã",
    "Khác",
]
FORMULAS = ["=1+1", "=A1", "=NOW()", "=1/0", '=HYPERLINK("http://x","y")', "=SUM(A:A)"]


def _legal(text: str) -> str:
    """What an .xlsx can hold: XML forbids C0 controls other than TAB, LF, CR."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


cells: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.text(max_size=40).map(_legal),
    st.sampled_from(CELL_TEXTS),
    st.builds(lambda s, n: _legal(s) * n, st.text(min_size=1, max_size=3), st.integers(1, 3000)),
    st.sampled_from(FORMULAS),
    st.booleans(),
    st.integers(-(2**80), 2**80),
    st.sampled_from([0, -1, 2**63, 2**63 - 1, 10**30, 1.5, -0.5, 1e308, 79999, 80000]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)),
)

GOOD_ROW = {
    "units": {"name": "Ban Dân tộc tỉnh (kiểm thử nhập)", "kind": "Sở, ban, ngành tỉnh"},
    "submissions": {
        "unit": "Sở Nội vụ",
        "directive": "2116/UBND-NC",
        "task": "Báo cáo định kỳ năm",
        "period": "Năm 2018",
        "number_symbol": "9001/BC-NHAPTHU",
        "signed_date": "01/12/2018",
        "received_date": "02/12/2018",
    },
}


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("xlsx-fuzz") / "sotheodoi.db"
    db = connect(str(path))
    load_sample(db)
    db.dispose()
    event.listen(db.engine, "connect", lambda con, _rec: con.execute("PRAGMA synchronous=OFF"))
    yield db
    db.dispose()


def write_sheet(path: Path, kind: str, rows: list[dict[str, Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    fields = FIELDS[kind]
    ws.append([f.header for f in fields])
    for row in rows:
        ws.append([row.get(f.key) for f in fields])
    wb.save(path)
    return path


def assert_vietnamese(text: str) -> None:
    assert text.strip() and VIETNAMESE.search(text), text
    assert "Traceback" not in text and "Error(" not in text


def random_rows(kind: str) -> st.SearchStrategy[list[dict[str, Any]]]:
    keys = [f.key for f in FIELDS[kind]]
    # Each random row starts from the good one with some columns replaced by random values.
    row = st.fixed_dictionaries({}, optional={k: cells for k in keys}).map(
        lambda changed: {**GOOD_ROW[kind], **changed}
    )
    return st.lists(row, min_size=1, max_size=6)


def check_file(db: Database, path: Path, kind: str) -> None:
    before = counts(db)
    try:
        preview = preview_import(db, kind, path, today=TODAY)
    except AppError as exc:  # a file-level problem, said in Vietnamese
        assert_vietnamese(exc.message)
        assert counts(db) == before
        return
    for row in preview.rows:
        assert isinstance(row.action, RowAction)
        if row.action is RowAction.ERROR:
            assert_vietnamese(row.reason)
    assert counts(db) == before  # the preview writes nothing
    if preview.has_errors:
        with pytest.raises(AppError) as caught:
            apply_import(db, preview, today=TODAY)
        assert_vietnamese(caught.value.message)
        assert counts(db) == before


@pytest.mark.parametrize("kind", ["units", "submissions"])
@SETTINGS
@given(data=st.data())
def test_random_cells_never_crash_and_errors_write_nothing(
    fuzz_db: Database, tmp_path: Path, kind: str, data: st.DataObject
) -> None:
    rows = data.draw(random_rows(kind))
    path = write_sheet(tmp_path / f"{kind}.xlsx", kind, [GOOD_ROW[kind], *rows])
    check_file(fuzz_db, path, kind)


@pytest.mark.parametrize("kind", ["units", "submissions"])
def test_each_kind_of_bad_cell_gets_a_reason(fuzz_db: Database, tmp_path: Path, kind: str) -> None:
    """Not left to chance: one file per bad value in each column, with the good row first."""
    bad_values: list[Any] = [
        "31/02/2018",
        "ạ" * 10_000,
        2**80,
        -1,
        "=1/0",
        True,
        dt.date(9999, 12, 31),
        "\u202e\u200f",
        "x" * 300,
    ]
    seen_error = 0
    for f in FIELDS[kind]:
        for i, value in enumerate(bad_values):
            path = write_sheet(
                tmp_path / f"{f.key}-{i}.xlsx",
                kind,
                [GOOD_ROW[kind], {**GOOD_ROW[kind], f.key: value}],
            )
            before = counts(fuzz_db)
            preview = preview_import(fuzz_db, kind, path, today=TODAY)
            errors = [r for r in preview.rows if r.action is RowAction.ERROR]
            for row in errors:
                assert_vietnamese(row.reason)
            if errors:
                seen_error += 1
                with pytest.raises(AppError):
                    apply_import(fuzz_db, preview, today=TODAY)
            assert counts(fuzz_db) == before
    assert seen_error >= len(FIELDS[kind])  # most bad values are caught, in every column


# --- the CLI with files that are not workbooks --------------------------------------------------


def _zip_not_xlsx(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("readme.txt", data)
        zf.writestr("[Content_Types].xml", b"<Types/>")
    return buffer.getvalue()


def _truncated_xlsx(cut: int) -> bytes:
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append([f.header for f in FIELDS["submissions"]])
    wb.save(buffer)
    data = buffer.getvalue()
    return data[: max(1, min(cut, len(data) - 1))]


files = st.one_of(
    st.binary(max_size=4000),
    st.binary(max_size=200).map(lambda b: b"PK\x03\x04" + b),
    st.binary(max_size=500).map(_zip_not_xlsx),
    st.integers(1, 5000).map(_truncated_xlsx),
    st.sampled_from(
        [
            b"",
            "Đơn vị;Ngày nhận\nSở Nội vụ;02/12/2018".encode(),
            b"<html><body>bao cao</body></html>",
        ]
    ),
)


@settings(
    max_examples=30 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=files,
    kind=st.sampled_from(["units", "submissions"]),
    suffix=st.sampled_from([".xlsx", ".xls", ".zip", ""]),
)
def test_cli_import_of_random_files(
    fuzz_db: Database,
    tmp_path: Path,
    data: bytes,
    kind: str,
    suffix: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / f"nhap{suffix}"
    path.write_bytes(data)
    before = counts(fuzz_db)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["--db", str(fuzz_db.path), "import", kind, str(path), "--today", "31/12/2018"],
        out=out,
        err=err,
    )
    messages = err.getvalue() + capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in messages and "không mong đợi" not in messages
    assert messages.startswith("Lỗi: ")
    assert_vietnamese(messages)
    assert counts(fuzz_db) == before


def test_cli_import_of_a_file_with_one_bad_row_writes_nothing(
    fuzz_db: Database, tmp_path: Path
) -> None:
    path = write_sheet(
        tmp_path / "x.xlsx",
        "submissions",
        [GOOD_ROW["submissions"], {**GOOD_ROW["submissions"], "received_date": "31/02/2018"}],
    )
    before = counts(fuzz_db)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["--db", str(fuzz_db.path), "import", "submissions", str(path), "--today", "31/12/2018"],
        out=out,
        err=err,
    )
    assert code != 0 and "chưa nhập gì" in out.getvalue()
    assert counts(fuzz_db) == before
