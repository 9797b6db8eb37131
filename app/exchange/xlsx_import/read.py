"""Read: open a workbook safely and give the data rows of the sheet that holds the list.

The file is first checked against the limits of :mod:`app.exchange.xlsx_limits` (nothing
parses a file over a limit), then read in openpyxl's streaming mode. Columns are found by their
header (Vietnamese, tolerant of case and diacritics); each data row comes out as raw cell
values, with what the scan found wrong on it (merged cells, formulas without a cached value);
other sheets holding data are named, not read.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from app.errors import AppError, NotFound, ValidationError
from app.exchange.xlsx_columns import IGNORED_HEADERS, SUBMISSION_FIELDS, UNIT_FIELDS, Field
from app.exchange.xlsx_limits import (
    MAX_ROWS,
    SheetScan,
    WorkbookScan,
    not_a_workbook,
    scan_workbook,
)
from app.services.imports import KIND_LABELS
from app.text import search_key

log = logging.getLogger(__name__)

FIELDS = {"units": UNIT_FIELDS, "submissions": SUBMISSION_FIELDS}
HEADER_SCAN_ROWS = 15
GUIDE_SHEET = "Hướng dẫn"  # the template's instructions: never data

Check = Callable[[], None]


@dataclass(frozen=True)
class RawRow:
    row_number: int  # as Excel numbers it
    values: dict[str, Any]  # field key -> cell value (None when empty)
    problems: tuple[str, ...] = ()  # found while reading (merged cells…)


@dataclass(frozen=True)
class SheetRead:
    sheet: str
    fields: tuple[Field, ...]
    rows: list[RawRow]
    unknown: list[str]
    other_sheets: tuple[str, ...]  # other sheets holding data: not read


def _header_key(text: Any) -> str:
    """Compare headers without case, diacritics, "*" marks or "(hints)"."""
    raw = re.sub(r"\(.*?\)", " ", str(text or ""))
    raw = raw.replace("*", " ").replace(":", " ").replace(".", " ")
    return search_key(raw)


def _field_lookup(fields: Sequence[Field]) -> dict[str, Field]:
    lookup: dict[str, Field] = {}
    for f in fields:
        for name in (f.header, *f.aliases):
            lookup.setdefault(_header_key(name), f)
    return lookup


def _open_workbook(path: Path, check: Check | None) -> tuple[Any, WorkbookScan]:
    """The workbook in openpyxl's streaming mode, after :func:`scan_workbook` has checked the
    limits (a file over a limit is refused before openpyxl reads a byte of it)."""
    if not path.exists():
        raise NotFound(f"Không tìm thấy tệp {path}.")
    if path.suffix.lower() == ".xls":
        raise ValidationError(
            f"Tệp {path.name} là Excel cũ (.xls). Hãy mở tệp trong Excel, chọn Lưu thành "
            '"Excel Workbook (*.xlsx)" rồi nhập lại.'
        )
    scan = scan_workbook(path, check)
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except _DAMAGED as exc:
        raise _damaged(path, exc) from exc
    return wb, scan


# What openpyxl raises on a file whose XML is well formed but not what a workbook holds.
_DAMAGED = (
    InvalidFileException,
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    OSError,
    EOFError,
    SyntaxError,
    TypeError,
    AttributeError,
    IndexError,
    OverflowError,
    zlib.error,
)


def _damaged(path: Path, exc: BaseException) -> ValidationError:
    log.warning("Cannot read %s as a workbook: %r", path, exc)
    return not_a_workbook(path.name, _unreadable_reason(exc))


def _unreadable_reason(exc: BaseException) -> str:
    """Why openpyxl could not read a file, in Vietnamese (its own text is English)."""
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 10:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    text = " ".join(str(e) for e in chain).lower()
    if "exceeds the limit" in text and "digits" in text:
        return "có ô chứa số dài hơn 4.300 chữ số"
    if any(isinstance(e, SyntaxError) for e in chain) or "invalid xml" in text:
        return "nội dung bên trong bị cắt cụt hoặc sai cấu trúc"
    if any(isinstance(e, (zipfile.BadZipFile, zlib.error, EOFError)) for e in chain):
        return "tệp nén bên trong bị hỏng"
    if any(isinstance(e, KeyError) for e in chain):
        return "thiếu thành phần bắt buộc của tệp Excel"
    if any(isinstance(e, OSError) for e in chain):
        return "không đọc được tệp"
    return "cấu trúc tệp không đúng"


def _find_header(
    ws: Any, fields: Sequence[Field], max_col: int
) -> tuple[int, dict[int, Field], list[str]]:
    lookup = _field_lookup(fields)
    ignored = {_header_key(h) for h in IGNORED_HEADERS}
    best: tuple[int, dict[int, Field], list[str]] = (0, {}, [])
    for r, row in enumerate(
        ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, max_col=max_col, values_only=True),
        start=1,
    ):
        mapping: dict[int, Field] = {}
        unknown: list[str] = []
        for c, value in enumerate(row, start=1):
            key = _header_key(value)
            if not key:
                continue
            f = lookup.get(key)
            if f is not None and f not in mapping.values():
                mapping[c] = f
            elif key not in ignored:
                unknown.append(str(value).strip())
        if len(mapping) > len(best[1]):
            best = (r, mapping, unknown)
    return best


def _row_problems(
    sheet: SheetScan, header_row: int, mapping: dict[int, Field]
) -> dict[int, list[str]]:
    """Problems found by the scan, by Excel row: merged cells, formulas without a value."""
    problems: dict[int, list[str]] = {}
    for min_row, min_col, max_row, max_col in sheet.merged:
        if max_row <= header_row:
            continue
        coord = (
            f"{get_column_letter(max(min_col, 1))}{min_row}:"
            f"{get_column_letter(max(max_col, 1))}{max_row}"
        )
        text = f"Ô gộp {coord}: hãy bỏ gộp ô (Merge & Center) và ghi đủ giá trị cho từng dòng."
        for r in range(max(min_row, header_row + 1), max_row + 1):
            problems.setdefault(r, []).append(text)
    for r, c in sorted(sheet.uncached):
        if r <= header_row or c not in mapping:
            continue
        problems.setdefault(r, []).append(
            f"Ô {get_column_letter(c)}{r} ({mapping[c].header}) là công thức chưa có kết quả "
            "tính sẵn (tệp chưa được mở và lưu trong Excel), nên không biết giá trị: hãy mở "
            "tệp trong Excel rồi lưu lại, hoặc dán giá trị thay cho công thức."
        )
    return problems


def read_rows(path: Path | str, kind: str, check: Check | None = None) -> SheetRead:
    """The data rows of the sheet that best matches ``kind``. File-level problems (not Excel,
    over a limit, empty, required columns missing) raise a ValidationError saying what to do;
    ``check`` is called now and then (it raises to cancel)."""
    if kind not in FIELDS:
        raise ValidationError(f"Không nhập được loại {kind!r}; chọn units hoặc submissions.")
    fields = FIELDS[kind]
    path = Path(path)
    wb, scan = _open_workbook(path, check)
    try:
        return _read_sheet(path, kind, fields, wb, scan, check)
    except AppError:
        raise
    except _DAMAGED as exc:  # openpyxl on XML that passed the scan but is not a workbook's
        raise _damaged(path, exc) from exc
    finally:
        wb.close()


def _read_sheet(
    path: Path, kind: str, fields: Sequence[Field], wb: Any, scan: WorkbookScan, check: Check | None
) -> SheetRead:
    empty = not any(s.has_data for s in scan.sheets)
    best_sheet: Any = None
    best_scan: SheetScan | None = None
    best: tuple[int, dict[int, Field], list[str]] = (0, {}, [])
    for ws in wb.worksheets:
        info = scan.sheet(ws.title)
        if info is None or not info.has_data:
            continue
        found = _find_header(ws, fields, info.max_col)
        if len(found[1]) > len(best[1]):
            best_sheet, best_scan, best = ws, info, found
    header_row, mapping, unknown = best
    if best_sheet is None or best_scan is None or not mapping:
        if empty:
            raise ValidationError(f"Tệp {path.name} không có dữ liệu (các trang tính đều trống).")
        raise ValidationError(
            f"Không tìm thấy dòng tiêu đề cột của danh sách {KIND_LABELS[kind]} trong tệp "
            f"{path.name}. Cần có các cột: "
            + ", ".join(f.header for f in fields if f.required)
            + '. Hãy dùng "Tải mẫu nhập Excel" để lấy tệp mẫu.'
        )
    present = set(mapping.values())
    missing = [f.header for f in fields if f.required and f not in present]
    if missing:
        raise ValidationError(
            f'Tệp {path.name} (trang "{best_sheet.title}") thiếu cột bắt buộc: '
            + ", ".join(missing)
            + ". Các cột đang có: "
            + ", ".join(f.header for f in mapping.values())
            + (", " if unknown else "")
            + ", ".join(unknown)
            + ". Hãy thêm cột (đúng tên tiêu đề) hoặc dùng tệp mẫu."
        )
    problems = _row_problems(best_scan, header_row, mapping)
    rows: list[RawRow] = []
    max_col = max(mapping)
    for r, row in enumerate(
        best_sheet.iter_rows(
            min_row=header_row + 1,
            max_row=max(best_scan.max_row, header_row),
            max_col=max_col,
            values_only=True,
        ),
        start=header_row + 1,
    ):
        if check is not None and r % 100 == 0:
            check()
        values: dict[str, Any] = {}
        for c, f in mapping.items():
            value = row[c - 1] if c - 1 < len(row) else None
            if isinstance(value, str) and not value.strip():
                value = None
            values[f.key] = value
        if all(v is None for v in values.values()) and r not in problems:
            continue
        rows.append(RawRow(r, values, tuple(problems.get(r, ()))))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp.")
    ordered = tuple(mapping[c] for c in sorted(mapping))
    others = tuple(
        s.title
        for s in scan.sheets
        if s.has_data and s.title not in (best_sheet.title, GUIDE_SHEET)
    )
    return SheetRead(best_sheet.title, ordered, rows, unknown, others)
