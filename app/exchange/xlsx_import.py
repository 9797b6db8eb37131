"""Import units and received documents from ``.xlsx`` (and the program's own exports).

Columns are found by their header (Vietnamese, tolerant of case and diacritics). The file is
first checked against the limits of :mod:`app.exchange.xlsx_limits` (nothing parses a file over
a limit), then read in openpyxl's streaming mode. Every row is checked and marked new / update /
unchanged / skipped / error with a reason — for an update, each changed field old → new
(:func:`preview_import`); then :func:`apply_import` writes the ticked rows in one transaction,
or nothing at all when any row is in error, and records the import as a batch that
:func:`app.services.imports.undo_import` undoes as a whole.

On an update an empty cell keeps the stored value; :data:`CLEAR_MARKER` in a cell empties the
field (docs/excel-va-sao-luu.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import re
import zipfile
import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import fmt, parse_date
from app.db import Database
from app.errors import AppError, Conflict, NotFound, ValidationError
from app.exchange.xlsx_columns import (
    IGNORED_HEADERS,
    SUBMISSION_FIELDS,
    UNIT_FIELDS,
    Field,
)
from app.exchange.xlsx_limits import (
    MAX_ROWS,
    SheetScan,
    WorkbookScan,
    scan_workbook,
)
from app.fileio import atomic_path
from app.models import (
    CHANNEL_LABELS,
    UNIT_KIND_LABELS,
    Channel,
    Obligation,
    Submission,
    Task,
    Unit,
    UnitKind,
)
from app.schedule import ONE_OFF_KEY
from app.services import audit
from app.text import clean, search_key

log = logging.getLogger(__name__)

KIND_LABELS = {"units": "đơn vị", "submissions": "văn bản nhận được"}
HEADER_SCAN_ROWS = 15

Progress = Callable[[int, int], None]
Check = Callable[[], None]


class RowAction(StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"
    ERROR = "error"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]

    @property
    def colour(self) -> str:
        return ACTION_COLOURS[self]


ACTION_LABELS = {
    RowAction.NEW: "Thêm mới",
    RowAction.UPDATE: "Cập nhật",
    RowAction.UNCHANGED: "Không đổi",
    RowAction.SKIP: "Bỏ qua",
    RowAction.ERROR: "Lỗi",
}
ACTION_COLOURS = {
    RowAction.NEW: "#c8e6c9",
    RowAction.UPDATE: "#bbdefb",
    RowAction.UNCHANGED: "#eeeeee",
    RowAction.SKIP: "#eeeeee",
    RowAction.ERROR: "#ffb3b3",
}


FIELDS = {"units": UNIT_FIELDS, "submissions": SUBMISSION_FIELDS}


@dataclass(frozen=True)
class RawRow:
    row_number: int  # as Excel numbers it
    values: dict[str, Any]  # field key -> cell value (None when empty)
    problems: tuple[str, ...] = ()  # found while reading (merged cells…)


@dataclass(frozen=True)
class FieldChange:
    """One field an update changes, as shown: old → new."""

    key: str
    label: str
    old: str
    new: str

    def describe(self, width: int = 0) -> str:
        def short(text: str) -> str:
            if not text:
                return "(trống)"
            return f"“{text[: width - 1]}…”" if width and len(text) > width else f"“{text}”"

        return f"{self.label}: {short(self.old)} → {short(self.new)}"


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    action: RowAction
    reason: str
    values: dict[str, str]  # field key -> text shown in the preview
    target_id: int | None = None
    changes: tuple[FieldChange, ...] = ()  # for an update: each field old → new
    warnings: tuple[str, ...] = ()  # worth a look, not an error (e.g. unit not yet valid)

    @property
    def selectable(self) -> bool:
        """Only rows that write something can be unticked."""
        return self.action in (RowAction.NEW, RowAction.UPDATE)

    def details(self) -> str:
        """Reason, every change in full and every warning, one per line (a tooltip)."""
        lines = [self.reason] if not self.changes else ["Cập nhật:"]
        lines += [c.describe() for c in self.changes]
        return "\n".join([*lines, *self.warnings])


@dataclass(frozen=True)
class ImportPreview:
    kind: str
    path: str
    sheet: str
    fields: tuple[Field, ...]  # the fields found in the file, in file order
    rows: tuple[ImportRow, ...]
    raw: tuple[RawRow, ...]
    ignored_columns: tuple[str, ...] = ()
    other_sheets: tuple[str, ...] = ()  # sheets holding data that were not read

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def has_errors(self) -> bool:
        return any(r.action is RowAction.ERROR for r in self.rows)

    @property
    def changes(self) -> int:
        return self.count(RowAction.NEW) + self.count(RowAction.UPDATE)

    @property
    def warnings(self) -> int:
        return sum(1 for r in self.rows if r.warnings)

    def sheet_note(self) -> str:
        text = f'Đã đọc trang tính "{self.sheet}".'
        if self.other_sheets:
            text += (
                " Các trang khác cũng có dữ liệu nhưng KHÔNG được đọc: "
                + ", ".join(f'"{t}"' for t in self.other_sheets)
                + " (mỗi lần nhập chỉ đọc một trang; muốn nhập trang khác hãy chép sang "
                "tệp riêng)."
            )
        return text

    def describe(self) -> str:
        parts = [f"{self.count(a)} dòng {a.label.lower()}" for a in RowAction if self.count(a)]
        text = (
            f"{len(self.rows)} dòng dữ liệu: " + ", ".join(parts) + "."
            if parts
            else "Không có dòng dữ liệu nào."
        )
        if self.warnings:
            text += f" {self.warnings} dòng có lưu ý (xem cột Lý do)."
        if self.ignored_columns:
            text += " Cột không dùng: " + ", ".join(self.ignored_columns) + "."
        return text


@dataclass(frozen=True)
class ImportResult:
    kind: str
    added: int
    updated: int
    unchanged: int
    skipped: int
    batch_id: int | None = None  # the import as recorded (undo it with undo_import)
    unticked: int = 0

    def describe(self) -> str:
        text = (
            f"Đã nhập {KIND_LABELS[self.kind]}: thêm {self.added}, cập nhật {self.updated}, "
            f"không đổi {self.unchanged}, bỏ qua {self.skipped}"
        )
        if self.unticked:
            text += f", không chọn {self.unticked}"
        text += "."
        if self.batch_id is not None and (self.added or self.updated):
            text += f" Lần nhập số {self.batch_id}: có thể hoàn tác cả lần nhập này."
        return text


CLEAR_MARKER = "[xoá]"  # written in a cell: empty this field (an empty cell keeps the value)


def is_clear_marker(value: Any) -> bool:
    return (
        isinstance(value, str)
        and "[" in value
        and len(value) < 20
        and search_key(value).replace(" ", "") == "[xoa]"
    )


# --- reading the file -------------------------------------------------------------------------


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
    return ValidationError(
        f"Tệp {path.name} không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng "
        f"({_unreadable_reason(exc)}). Hãy mở tệp trong Excel và lưu lại dạng .xlsx, hoặc "
        "dùng tệp mẫu của chương trình."
    )


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


@dataclass(frozen=True)
class SheetRead:
    sheet: str
    fields: tuple[Field, ...]
    rows: list[RawRow]
    unknown: list[str]
    other_sheets: tuple[str, ...]  # other sheets holding data: not read


GUIDE_SHEET = "Hướng dẫn"


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


# --- cell values ------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return f"{fmt(value)}"
    text = str(value)
    return text[1:] if text.startswith("'=") else text


def _date(value: Any, label: str) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return _plausible(_any_date(value, label), label, value)


def _any_date(value: Any, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 80000:  # an Excel serial day number in a cell not formatted as a date
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValidationError(f"{label}: giá trị {value} không phải ngày.")
    day = parse_date(str(value), label=label)
    assert day is not None
    return day


def _plausible(day: dt.date, label: str, value: Any) -> dt.date:
    """Excel counts days from 1899/1900: a date there is a 0 or a small number in a date
    cell, never a real date of this work (docs/domain.md)."""
    from app.services.submissions import EARLIEST_YEAR

    if day.year < EARLIEST_YEAR:
        shown = f"{fmt(day)}" if isinstance(value, (dt.date, int, float)) else repr(value)
        raise ValidationError(
            f"{label} {shown} không thể đúng (năm {day.year}: ô ngày trong Excel có lẽ chứa số "
            "0 hoặc một số nhỏ): hãy ghi ngày dạng dd/mm/yyyy."
        )
    return day


def _int(value: Any, label: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
    else:
        text = str(value).strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
    raise ValidationError(f"{label}: {value!r} không phải số nguyên.")


def _yes_no(value: Any, label: str) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    key = search_key(str(value))
    if key in ("co", "x", "1", "true", "yes", "dang theo doi", "theo doi"):
        return True
    if key in ("khong", "0", "false", "no", "ngung", "ngung theo doi"):
        return False
    raise ValidationError(f'{label}: {value!r} — hãy ghi "Có" hoặc "Không".')


@functools.cache
def _label_key(label: str) -> str:
    return search_key(label)


def _unit_kind(value: Any) -> UnitKind:
    key = search_key(_text(value))
    for kind, label in UNIT_KIND_LABELS.items():
        if key in (_label_key(label), kind.value):
            return kind
    if "huyen" in key or "thi xa" in key or "thanh pho" in key:
        return UnitKind.DISTRICT
    if "xa" in key.split() or "phuong" in key or "thi tran" in key:
        return UnitKind.COMMUNE
    if "so" in key.split() or "nganh" in key or "ban" in key.split():
        return UnitKind.DEPARTMENT
    if key == "khac":
        return UnitKind.OTHER
    raise ValidationError(
        f"Loại đơn vị {_text(value)!r} không hợp lệ; ghi một trong: "
        + "; ".join(UNIT_KIND_LABELS.values())
        + "."
    )


def _channel(value: Any) -> Channel:
    key = search_key(_text(value))
    if not key:
        return Channel.PAPER
    for channel, label in CHANNEL_LABELS.items():
        if key in (_label_key(label), channel.value):
            return channel
    if "email" in key or "thu dien tu" in key or "e-mail" in key:
        return Channel.EMAIL
    if "he thong" in key or "phan mem" in key or "dien tu" in key:
        return Channel.SYSTEM
    if "giay" in key or "buu" in key or "van thu" in key:
        return Channel.PAPER
    raise ValidationError(
        f"Hình thức nhận {_text(value)!r} không hợp lệ; ghi một trong: "
        + "; ".join(CHANNEL_LABELS.values())
        + "."
    )


def _errors_text(exc: AppError) -> str:
    errors = getattr(exc, "errors", None) or {}
    messages = list(dict.fromkeys([*errors.values()])) or [exc.message]
    return " ".join(messages)


# --- planning (shared by preview and apply) ---------------------------------------------------


@dataclass
class _Planned:
    row: ImportRow
    values: dict[str, Any] = field(default_factory=dict)  # validated values to write


def _shown(raw: RawRow) -> dict[str, str]:
    return {k: _text(v) for k, v in raw.values.items()}


_REQUIRED = object()  # take(): a field that cannot be emptied


def _display(key: str, value: Any) -> str:
    """A stored or imported value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.date):
        return f"{fmt(value)}"
    if key == "kind":
        try:
            return UnitKind(value).label
        except ValueError:
            return str(value)
    if key == "channel":
        try:
            return Channel(value).label
        except ValueError:
            return str(value)
    return str(value)


def _changes(
    current: Any,
    values: dict[str, Any],
    keys: Sequence[str],
    labels: dict[str, str],
    show: Callable[[str, Any], str] = _display,
) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(k, labels.get(k, k), show(k, getattr(current, k)), show(k, values[k]))
        for k in keys
        if k in values and getattr(current, k) != values[k]
    )


def _update_reason(prefix: str, changes: Sequence[FieldChange]) -> str:
    return prefix + "Đổi: " + "; ".join(c.describe(40) for c in changes) + "."


def _take(
    v: dict[str, Any],
    field_key: str,
    header: str,
    parse: Callable[[Any], Any],
    fallback: Any,
    blank: Any,
    errors: list[str],
) -> Any:
    """The value of one cell: an empty cell (or a column not in the file) gives ``fallback``
    (the stored value, or the default of a new record); the clear marker gives ``blank``
    (refused for a field that must have a value); anything else is parsed."""
    value = v.get(field_key)
    if value is None:
        return fallback
    if is_clear_marker(value):
        if blank is _REQUIRED:
            errors.append(f"Cột {header} phải có giá trị, không xoá được bằng {CLEAR_MARKER}.")
            return fallback
        return blank
    try:
        return parse(value)
    except ValidationError as exc:
        errors.append(exc.message)
        return fallback


def _plan_units(
    session: Session, raws: Sequence[RawRow], progress: Progress | None
) -> list[_Planned]:
    from app.services.units import UnitInput
    from app.services.units import _validate as validate_unit

    existing = {search_key(u.name): u for u in session.scalars(select(Unit))}
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    total = len(raws)
    labels = {f.key: f.header for f in UNIT_FIELDS}
    compare = [f.key for f in UNIT_FIELDS]
    for n, raw in enumerate(raws, start=1):
        if progress is not None and (n % 200 == 0 or n == total):
            progress(n, total)
        shown = _shown(raw)
        if raw.problems:
            planned.append(
                _Planned(ImportRow(raw.row_number, RowAction.ERROR, " ".join(raw.problems), shown))
            )
            continue
        v = raw.values
        try:
            if is_clear_marker(v.get("name")):
                raise ValidationError(
                    f"Cột Tên đơn vị phải có giá trị, không xoá được bằng {CLEAR_MARKER}."
                )
            name = clean(_text(v.get("name")))
            if not name:
                raise ValidationError("Tên đơn vị không được để trống.")
            key = search_key(name)
            if key in seen:
                raise ValidationError(f"Trùng tên đơn vị với dòng {seen[key]} trong tệp.")
            current = existing.get(key)
            errors: list[str] = []

            def take(
                field_key: str,
                parse: Callable[[Any], Any],
                default: Any,
                blank: Any,
                v: dict[str, Any] = v,
                errors: list[str] = errors,
                current: Unit | None = current,
            ) -> Any:
                fallback = getattr(current, field_key) if current is not None else default
                return _take(v, field_key, labels[field_key], parse, fallback, blank, errors)

            kind = take("kind", _unit_kind, None, _REQUIRED)
            if kind is None and not errors:
                errors.append(
                    "Loại đơn vị không được để trống; ghi một trong: "
                    + "; ".join(UNIT_KIND_LABELS.values())
                    + "."
                )
            sort_order = take("sort_order", lambda x: _int(x, "Thứ tự"), None, _REQUIRED)
            active = take("active", lambda x: _yes_no(x, "Đang theo dõi"), True, _REQUIRED)
            data = UnitInput(
                name=name,
                kind=kind or UnitKind.OTHER.value,
                short_name=take("short_name", _text, "", ""),
                sort_order=sort_order,
                head_title=take("head_title", _text, "", ""),
                address=take("address", _text, "", ""),
                phone=take("phone", _text, "", ""),
                email=take("email", _text, "", ""),
                contact_person=take("contact_person", _text, "", ""),
                note=take("note", _text, "", ""),
                active=bool(active),
                valid_from=take("valid_from", lambda x: _date(x, "Hiệu lực từ ngày"), None, None),
                valid_to=take("valid_to", lambda x: _date(x, "Hiệu lực đến ngày"), None, None),
            )
            values: dict[str, Any] = {}
            try:
                values = validate_unit(data)
            except ValidationError as exc:
                errors.append(_errors_text(exc))
            if errors:
                raise ValidationError(" ".join(dict.fromkeys(errors)))
            values["sort_order"] = data.sort_order
        except AppError as exc:
            planned.append(
                _Planned(ImportRow(raw.row_number, RowAction.ERROR, _errors_text(exc), shown))
            )
            continue
        seen[key] = raw.row_number
        if current is None:
            planned.append(
                _Planned(ImportRow(raw.row_number, RowAction.NEW, "Đơn vị mới.", shown), values)
            )
            continue
        changes = _changes(
            current,
            values,
            [k for k in compare if not (k == "sort_order" and values.get(k) is None)],
            labels,
        )
        if not changes:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number,
                        RowAction.UNCHANGED,
                        "Giống dữ liệu đang có.",
                        shown,
                        current.id,
                    )
                )
            )
        else:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number,
                        RowAction.UPDATE,
                        _update_reason("", changes),
                        shown,
                        current.id,
                        changes,
                    ),
                    values,
                )
            )
    return planned


SUBMISSION_REQUIRED = (
    "unit",
    "directive",
    "task",
    "period",
    "number_symbol",
    "signed_date",
    "received_date",
)


def _plan_submissions(
    session: Session, raws: Sequence[RawRow], today: dt.date, progress: Progress | None
) -> list[_Planned]:
    from app.services.submissions import (
        ObligationFinder,
        SubmissionInput,
        date_warnings,
        number_key,
    )
    from app.services.submissions import validate as validate_submission

    finder = ObligationFinder(
        session, period_hint="cột Kỳ báo cáo", one_off_hint=None, preload=True
    )
    existing: dict[tuple[int, int, str], Submission] = {
        (s.unit_id, s.year, s.number_key): s for s in session.scalars(select(Submission))
    }
    seen: dict[tuple[int, int, str], int] = {}
    planned: list[_Planned] = []
    total = len(raws)
    compare = (
        "obligation_id",
        "number_symbol",
        "signed_date",
        "received_date",
        "signer",
        "channel",
        "summary",
        "assessment",
    )
    labels = {f.key: f.header for f in SUBMISSION_FIELDS} | {
        "obligation_id": "Nhiệm vụ, kỳ báo cáo"
    }

    def show(key: str, value: Any) -> str:
        if key == "obligation_id":
            obligation = session.get(Obligation, value)
            task = session.get(Task, obligation.task_id) if obligation is not None else None
            if obligation is None or task is None:
                return str(value)
            return task.title + (
                f" — {obligation.period_label}" if obligation.period_key != ONE_OFF_KEY else ""
            )
        return _display(key, value)

    for n, raw in enumerate(raws, start=1):
        if progress is not None and (n % 200 == 0 or n == total):
            progress(n, total)
        shown = _shown(raw)
        v = raw.values
        if raw.problems:
            planned.append(
                _Planned(ImportRow(raw.row_number, RowAction.ERROR, " ".join(raw.problems), shown))
            )
            continue
        cleared = [labels[k] for k in SUBMISSION_REQUIRED if is_clear_marker(v.get(k))]
        if cleared:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number,
                        RowAction.ERROR,
                        f"Cột {', '.join(cleared)} phải có giá trị, không xoá được bằng "
                        f"{CLEAR_MARKER}.",
                        shown,
                    )
                )
            )
            continue
        symbol = clean(_text(v.get("number_symbol")))
        if not symbol and v.get("signed_date") is None and v.get("received_date") is None:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number, RowAction.SKIP, "Chưa có văn bản (dòng để theo dõi).", shown
                    )
                )
            )
            continue
        try:
            errors: list[str] = []
            signed = received = None
            try:
                signed = _date(v.get("signed_date"), "Ngày ký")
            except ValidationError as exc:
                errors.append(exc.message)
            try:
                received = _date(v.get("received_date"), "Ngày nhận")
            except ValidationError as exc:
                errors.append(exc.message)
            obligation = finder.find(
                unit=_text(v.get("unit")),
                directive=_text(v.get("directive")),
                task=_text(v.get("task")),
                period=_text(v.get("period")),
            )
            key = (obligation.unit_id, signed.year if signed else 0, number_key(symbol))
            if not errors and key in seen:
                raise ValidationError(
                    f"Trùng số {symbol} cùng đơn vị, cùng năm với dòng {seen[key]} trong tệp."
                )
            current = existing.get(key) if not errors else None

            def take(
                field_key: str,
                parse: Callable[[Any], Any],
                default: Any,
                blank: Any,
                v: dict[str, Any] = v,
                errors: list[str] = errors,
                current: Submission | None = current,
            ) -> Any:
                fallback = getattr(current, field_key) if current is not None else default
                return _take(v, field_key, labels[field_key], parse, fallback, blank, errors)

            channel = take("channel", _channel, Channel.PAPER.value, _REQUIRED)
            data = SubmissionInput(
                obligation_id=obligation.id,
                number_symbol=symbol,
                signed_date=signed,
                received_date=received,
                signer=take("signer", _text, "", ""),
                channel=channel,
                summary=take("summary", _text, "", ""),
                assessment=take("assessment", _text, "", ""),
            )
            if errors:
                raise ValidationError(" ".join(errors))
            _, values = validate_submission(
                session, data, today=today, exclude_id=current.id if current else None
            )
            values["obligation_id"] = obligation.id
            values["unit_id"] = obligation.unit_id
            warnings = tuple(date_warnings(session, obligation.id, received))
        except AppError as exc:
            planned.append(
                _Planned(ImportRow(raw.row_number, RowAction.ERROR, _errors_text(exc), shown))
            )
            continue
        seen[key] = raw.row_number
        note = (" " + " ".join(warnings)) if warnings else ""
        if current is None:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number,
                        RowAction.NEW,
                        "Văn bản mới." + note,
                        shown,
                        warnings=warnings,
                    ),
                    values,
                )
            )
            continue
        changes = _changes(current, values, compare, labels, show)
        if not changes:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number,
                        RowAction.UNCHANGED,
                        "Đã có, giống dữ liệu đang có." + note,
                        shown,
                        current.id,
                        warnings=warnings,
                    )
                )
            )
        else:
            planned.append(
                _Planned(
                    ImportRow(
                        raw.row_number,
                        RowAction.UPDATE,
                        _update_reason("Đã có văn bản cùng số, cùng năm. ", changes) + note,
                        shown,
                        current.id,
                        changes,
                        warnings,
                    ),
                    values,
                )
            )
    return planned


def _plan(
    session: Session, kind: str, raws: Sequence[RawRow], today: dt.date, progress: Progress | None
) -> list[_Planned]:
    if kind == "units":
        return _plan_units(session, raws, progress)
    return _plan_submissions(session, raws, today, progress)


def preview_import(
    db: Database, kind: str, path: Path | str, *, today: dt.date, progress: Progress | None = None
) -> ImportPreview:
    """Read the file and say, row by row, what importing it would do. Writes nothing.

    ``progress(done, total)`` is called now and then from the reading thread (``total`` 0
    while the file itself is read); it may raise :class:`ImportCancelled` to stop."""
    check = (lambda: progress(0, 0)) if progress is not None else None
    read = read_rows(path, kind, check)
    with db.read() as session:
        planned = _plan(session, kind, read.rows, today, progress)
    return ImportPreview(
        kind=kind,
        path=str(path),
        sheet=read.sheet,
        fields=read.fields,
        rows=tuple(p.row for p in planned),
        raw=tuple(read.rows),
        ignored_columns=tuple(read.unknown),
        other_sheets=read.other_sheets,
    )


def apply_import(
    db: Database,
    preview: ImportPreview,
    *,
    today: dt.date,
    progress: Progress | None = None,
    rows: Collection[int] | None = None,
) -> ImportResult:
    """Write the previewed rows in one transaction: all of them, or nothing. ``rows`` (Excel
    row numbers) keeps only the ticked ones of the rows that add or change something. The
    import is recorded as one batch that :func:`app.services.imports.undo_import` undoes."""
    from app.services.imports import start_batch

    if preview.has_errors:
        raise ValidationError(
            f"Còn {preview.count(RowAction.ERROR)} dòng lỗi; chưa nhập gì. Hãy sửa tệp rồi "
            "xem trước lại."
        )
    chosen = None if rows is None else set(rows)

    def wanted(p: _Planned) -> bool:
        return p.row.selectable and (chosen is None or p.row.row_number in chosen)

    batch_id: int | None = None
    with db.write() as session:
        planned = _plan(session, preview.kind, preview.raw, today, progress)
        now = [(p.row.row_number, p.row.action) for p in planned]
        before = [(r.row_number, r.action) for r in preview.rows]
        if now != before:
            raise Conflict(
                "Dữ liệu vừa thay đổi từ lúc xem trước; chưa nhập gì. Hãy xem trước lại rồi nhập."
            )
        to_write = [p for p in planned if wanted(p)]
        added = sum(1 for p in to_write if p.row.action is RowAction.NEW)
        updated = len(to_write) - added
        if to_write:
            batch = start_batch(session, preview.kind, Path(preview.path).name, preview.sheet)
            batch.added, batch.updated = added, updated
            batch_id = batch.id
            if preview.kind == "units":
                _write_units(session, to_write, batch_id)
            else:
                _write_submissions(session, to_write, batch_id)
    return ImportResult(
        kind=preview.kind,
        added=added,
        updated=updated,
        unchanged=preview.count(RowAction.UNCHANGED),
        skipped=preview.count(RowAction.SKIP),
        batch_id=batch_id,
        unticked=sum(1 for p in planned if p.row.selectable and not wanted(p)),
    )


class _Audit:
    """Change-history rows for many records at once (the user's name is looked up once)."""

    def __init__(self, session: Session, batch_id: int | None) -> None:
        import json

        from app.models import AuditEntry

        self.session = session
        self.user = audit.current_user(session)[:100]
        self.batch_id = batch_id
        self._json = json.dumps
        self._entry = AuditEntry

    def add(
        self,
        action: str,
        entity: str,
        entity_id: int,
        summary: str,
        *,
        before: dict[str, Any] | None = None,
        after: dict[str, Any] | None = None,
    ) -> None:
        self.session.add(
            self._entry(
                user=self.user,
                action=action,
                entity=entity,
                entity_id=entity_id,
                summary=summary[:500],
                before=self._json(before or {}, ensure_ascii=False, default=str),
                after=self._json(after or {}, ensure_ascii=False, default=str),
                batch_id=self.batch_id,
            )
        )


def _write_units(session: Session, planned: Sequence[_Planned], batch_id: int | None) -> None:
    from app.services.obligations import sync_tasks_for_units
    from app.services.units import top_sort_orders

    history = _Audit(session, batch_id)
    top = top_sort_orders(session)
    touched_kinds: set[str] = set()
    touched_units: set[int] = set()
    added: list[Unit] = []
    for p in planned:
        values = dict(p.values)
        if p.row.action is RowAction.NEW:
            if values.get("sort_order") is None:
                top[str(values["kind"])] = (top.get(str(values["kind"])) or 0) + 1
                values["sort_order"] = top[str(values["kind"])]
            added.append(Unit(**values))
        elif p.row.action is RowAction.UPDATE:
            existing_unit = session.get(Unit, p.row.target_id)
            assert existing_unit is not None
            unit = existing_unit
            old = audit.snapshot(unit)
            for key, value in values.items():
                if not (key == "sort_order" and value is None):
                    setattr(unit, key, value)
            session.flush()
            new = audit.snapshot(unit)
            history.add(
                "update",
                "unit",
                unit.id,
                f"Nhập từ Excel: sửa đơn vị {unit.name}",
                before=old,
                after=new,
            )
            if (old["valid_from"], old["valid_to"], old["kind"]) != (
                new["valid_from"],
                new["valid_to"],
                new["kind"],
            ):
                touched_kinds.update({str(old["kind"]), unit.kind})
                touched_units.add(unit.id)
    if added:
        session.add_all(added)
        session.flush()
        for unit in added:
            history.add(
                "create",
                "unit",
                unit.id,
                f"Nhập từ Excel: thêm đơn vị {unit.name}",
                after=audit.snapshot(unit),
            )
            touched_kinds.add(unit.kind)
    session.flush()
    if touched_kinds or touched_units:
        sync_tasks_for_units(session, kinds=touched_kinds, unit_ids=touched_units)


def _write_submissions(session: Session, planned: Sequence[_Planned], batch_id: int | None) -> None:
    from app.services.obligations import refresh_received

    history = _Audit(session, batch_id)
    touched: set[int] = set()
    added: list[Submission] = []
    for p in planned:
        if p.row.action is RowAction.NEW:
            added.append(Submission(**p.values))
            touched.add(int(p.values["obligation_id"]))
        elif p.row.action is RowAction.UPDATE:
            existing = session.get(Submission, p.row.target_id)
            assert existing is not None
            submission = existing
            old = audit.snapshot(submission)
            touched.add(submission.obligation_id)
            for key, value in p.values.items():
                setattr(submission, key, value)
            session.flush()
            history.add(
                "update",
                "submission",
                submission.id,
                f"Nhập từ Excel: sửa văn bản {submission.number_symbol}",
                before=old,
                after=audit.snapshot(submission),
            )
            touched.add(submission.obligation_id)
    if added:
        session.add_all(added)
        session.flush()
        for submission in added:
            history.add(
                "create",
                "submission",
                submission.id,
                f"Nhập từ Excel: văn bản {submission.number_symbol}",
                after=audit.snapshot(submission),
            )
    session.flush()
    if touched:
        refresh_received(session, touched)


# --- templates --------------------------------------------------------------------------------


TEMPLATE_TITLES = {
    "units": "MẪU NHẬP DANH SÁCH ĐƠN VỊ",
    "submissions": "MẪU NHẬP VĂN BẢN NHẬN ĐƯỢC (ĐĂNG KÝ KẾ HOẠCH, BÁO CÁO)",
}
TEMPLATE_EXAMPLES: dict[str, dict[str, str]] = {
    "units": {
        "name": "UBND huyện Bình Sơn",
        "short_name": "Bình Sơn",
        "kind": "UBND cấp huyện",
        "sort_order": "1",
        "head_title": "Chủ tịch",
        "email": "ubndbinhson@example.gov.vn",
        "active": "Có",
        "valid_from": "01/01/2018",
    },
    "submissions": {
        "unit": "UBND huyện Bình Sơn",
        "directive": "2116/UBND-NC",
        "task": "Xây dựng kế hoạch phối hợp",
        "period": "",
        "number_symbol": "45/KH-UBND",
        "signed_date": "25/04/2018",
        "received_date": "27/04/2018",
        "signer": "Nguyễn Văn A",
        "channel": "Giấy (bưu chính, văn thư)",
        "summary": "Kế hoạch phối hợp 2018",
    },
}


def write_template(kind: str, path: Path | str) -> Path:
    """An empty sheet with the right headers (required ones marked *), drop-down lists, and a
    sheet of instructions with an example row."""
    if kind not in FIELDS:
        raise ValidationError(f"Không có mẫu {kind!r}; chọn units hoặc submissions.")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    fields = FIELDS[kind]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nhập liệu"
    ws.cell(1, 1, TEMPLATE_TITLES[kind]).font = Font(bold=True, size=14)
    ws.cell(
        2,
        1,
        "Điền từ dòng 4; cột có dấu * là bắt buộc; ngày ghi dd/mm/yyyy. Khi cập nhật, "
        f"ô trống giữ nguyên giá trị đang có; ghi {CLEAR_MARKER} để xoá một giá trị. "
        'Xem trang "Hướng dẫn".',
    ).font = Font(italic=True)
    fill = PatternFill("solid", start_color="FFD9E2F3", end_color="FFD9E2F3")
    for c, f in enumerate(fields, start=1):
        cell = ws.cell(3, c, f.header + (" *" if f.required else ""))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(14, len(f.header) + 4)
        if f.is_date:
            for r in range(4, 1004):
                ws.cell(r, c).number_format = "DD/MM/YYYY"
        choices = None
        if f.key == "kind":
            choices = list(UNIT_KIND_LABELS.values())
        elif f.key == "channel":
            choices = list(CHANNEL_LABELS.values())
        elif f.key == "active":
            choices = ["Có", "Không"]
        if choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(c.replace(",", "") for c in choices) + '"',
                allow_blank=True,
            )
            dv.error = "Hãy chọn trong danh sách."
            ws.add_data_validation(dv)
            dv.add(f"{letter}4:{letter}1003")
    ws.freeze_panes = "A4"
    guide = wb.create_sheet("Hướng dẫn")
    guide.cell(1, 1, "Hướng dẫn nhập").font = Font(bold=True, size=14)
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for cell in guide[3]:
        cell.font = Font(bold=True)
    examples = TEMPLATE_EXAMPLES[kind]
    for f in fields:
        guide.append(
            [
                f.header,
                "Có" if f.required else "",
                f.hint or ("dd/mm/yyyy" if f.is_date else ""),
                examples.get(f.key, ""),
            ]
        )
    guide.append([])
    guide.append(
        [
            "Tên cột không phân biệt hoa thường, có dấu hay không dấu. Dòng trống được bỏ "
            'qua. Không gộp ô trong vùng dữ liệu. Chỉ trang "Nhập liệu" được đọc.'
        ]
    )
    if kind == "submissions":
        guide.append(
            [
                "Văn bản được ghép với nghĩa vụ theo Đơn vị + Văn bản chỉ đạo + Nhiệm vụ + "
                "Kỳ báo cáo. Văn bản đã có (cùng đơn vị, cùng năm, cùng số) sẽ được cập "
                "nhật."
            ]
        )
        guide.append(
            [
                "Ngày ký, ngày nhận không được trước ngày của văn bản chỉ đạo; ngày nhận "
                "không trước ngày ký, không sau hôm nay."
            ]
        )
    else:
        guide.append(["Đơn vị đã có (cùng tên) sẽ được cập nhật."])
    guide.append(
        [
            f"Khi cập nhật: ô để trống GIỮ NGUYÊN giá trị đang có (cột không có trong tệp "
            f"cũng vậy). Muốn xoá một giá trị, ghi {CLEAR_MARKER} vào ô đó (cột bắt buộc "
            "không xoá được)."
        ]
    )
    guide.append(
        [
            "Ô công thức phải có kết quả: hãy lưu tệp trong Excel trước khi nhập (tệp do "
            "chương trình khác tạo có thể chưa tính công thức)."
        ]
    )
    guide.append(["Mỗi lần nhập có thể hoàn tác cả lần: Tệp → Các lần nhập Excel (hoàn tác)…"])
    for letter, width in zip("ABCD", (26, 10, 50, 40), strict=True):
        guide.column_dimensions[letter].width = width
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
