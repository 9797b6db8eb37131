"""Import units and received documents from ``.xlsx`` (and the program's own exports).

Columns are found by their header (Vietnamese, tolerant of case and diacritics). Every row is
first checked and marked new / update / unchanged / skipped / error with a reason
(:func:`preview_import`); then :func:`apply_import` writes everything in one transaction, or
nothing at all when any row is in error.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable, Sequence
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
from app.services import audit
from app.text import clean, search_key

KIND_LABELS = {"units": "đơn vị", "submissions": "văn bản nhận được"}
HEADER_SCAN_ROWS = 15
MAX_ROWS = 100_000

Progress = Callable[[int, int], None]


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


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # the header written in exports and templates
    aliases: tuple[str, ...] = ()
    required: bool = False
    is_date: bool = False
    hint: str = ""


UNIT_FIELDS: tuple[Field, ...] = (
    Field("name", "Tên đơn vị", ("Đơn vị", "Tên"), required=True,
          hint="Tên đầy đủ, ví dụ UBND huyện Bình Sơn"),
    Field("short_name", "Tên viết tắt", ("Viết tắt", "Tên ngắn")),
    Field("kind", "Loại đơn vị", ("Loại", "Cấp"), required=True,
          hint="Sở, ban, ngành tỉnh / UBND cấp huyện / UBND cấp xã / Khác"),
    Field("sort_order", "Thứ tự", ("Thứ tự sắp xếp",), hint="Số nguyên"),
    Field("head_title", "Chức danh thủ trưởng", ("Chức danh",)),
    Field("address", "Địa chỉ"),
    Field("phone", "Điện thoại", ("Số điện thoại", "SĐT")),
    Field("email", "Thư điện tử", ("Email", "E-mail", "Địa chỉ thư điện tử")),
    Field("contact_person", "Người liên hệ", ("Đầu mối",)),
    Field("note", "Ghi chú"),
    Field("active", "Đang theo dõi", ("Theo dõi",), hint="Có / Không"),
    Field("valid_from", "Hiệu lực từ ngày", ("Hiệu lực từ", "Từ ngày"), is_date=True),
    Field("valid_to", "Hiệu lực đến ngày", ("Hiệu lực đến", "Đến ngày"), is_date=True),
)
SUBMISSION_FIELDS: tuple[Field, ...] = (
    Field("unit", "Đơn vị", ("Tên đơn vị", "Đơn vị gửi"), required=True),
    Field("directive", "Văn bản chỉ đạo", ("Số, ký hiệu văn bản chỉ đạo", "Văn bản"),
          required=True, hint="Số, ký hiệu, ví dụ 2116/UBND-NC"),
    Field("task", "Nhiệm vụ", ("Tên nhiệm vụ", "Yêu cầu")),
    Field("period", "Kỳ báo cáo", ("Kỳ",), hint="Với báo cáo định kỳ, ví dụ 6 tháng đầu năm 2018"),
    Field("number_symbol", "Số, ký hiệu văn bản", ("Số ký hiệu", "Số, ký hiệu",
                                                   "Số văn bản"), required=True),
    Field("signed_date", "Ngày ký", ("Ngày văn bản", "Ngày ban hành"), required=True,
          is_date=True),
    Field("received_date", "Ngày nhận", ("Ngày đến", "Ngày tiếp nhận"), required=True,
          is_date=True),
    Field("signer", "Người ký"),
    Field("channel", "Hình thức nhận", ("Hình thức",),
          hint="Giấy / Thư điện tử / Hệ thống quản lý văn bản"),
    Field("summary", "Trích yếu", ("Nội dung",)),
    Field("assessment", "Đánh giá", ("Nhận xét",)),
)
# Columns of the program's own exports that are read-only: recognised, not imported.
IGNORED_HEADERS = ("STT", "Số TT", "TT", "Mã", "Sáp nhập vào", "Hạn", "Trạng thái",
                   "Quá hạn (ngày)")
FIELDS = {"units": UNIT_FIELDS, "submissions": SUBMISSION_FIELDS}


@dataclass(frozen=True)
class RawRow:
    row_number: int  # as Excel numbers it
    values: dict[str, Any]  # field key -> cell value (None when empty)
    problems: tuple[str, ...] = ()  # found while reading (merged cells…)


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    action: RowAction
    reason: str
    values: dict[str, str]  # field key -> text shown in the preview
    target_id: int | None = None


@dataclass(frozen=True)
class ImportPreview:
    kind: str
    path: str
    sheet: str
    fields: tuple[Field, ...]  # the fields found in the file, in file order
    rows: tuple[ImportRow, ...]
    raw: tuple[RawRow, ...]
    ignored_columns: tuple[str, ...] = ()

    def count(self, action: RowAction) -> int:
        return sum(1 for r in self.rows if r.action is action)

    @property
    def has_errors(self) -> bool:
        return any(r.action is RowAction.ERROR for r in self.rows)

    @property
    def changes(self) -> int:
        return self.count(RowAction.NEW) + self.count(RowAction.UPDATE)

    def describe(self) -> str:
        parts = [f"{self.count(a)} dòng {a.label.lower()}" for a in RowAction if self.count(a)]
        text = f"{len(self.rows)} dòng dữ liệu: " + ", ".join(parts) + "." if parts else \
            "Không có dòng dữ liệu nào."
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

    def describe(self) -> str:
        return (f"Đã nhập {KIND_LABELS[self.kind]}: thêm {self.added}, cập nhật {self.updated}, "
                f"không đổi {self.unchanged}, bỏ qua {self.skipped}.")


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


def _open_sheet(path: Path) -> Any:
    if not path.exists():
        raise NotFound(f"Không tìm thấy tệp {path}.")
    if path.suffix.lower() == ".xls":
        raise ValidationError(
            f"Tệp {path.name} là Excel cũ (.xls). Hãy mở tệp trong Excel, chọn Lưu thành "
            "\"Excel Workbook (*.xlsx)\" rồi nhập lại.")
    try:
        wb = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError(
            f"Tệp {path.name} không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng ({exc}). "
            "Hãy mở tệp trong Excel và lưu lại dạng .xlsx, hoặc dùng tệp mẫu của chương trình."
        ) from exc
    return wb


def _find_header(ws: Any, fields: Sequence[Field]) -> tuple[int, dict[int, Field], list[str]]:
    lookup = _field_lookup(fields)
    ignored = {_header_key(h) for h in IGNORED_HEADERS}
    best: tuple[int, dict[int, Field], list[str]] = (0, {}, [])
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True),
                            start=1):
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


def _merged_problems(ws: Any, header_row: int) -> dict[int, str]:
    problems: dict[int, str] = {}
    for rng in ws.merged_cells.ranges:
        if rng.max_row <= header_row:
            continue
        text = (f"Ô gộp {rng.coord}: hãy bỏ gộp ô (Merge & Center) và ghi đủ giá trị cho "
                "từng dòng.")
        for r in range(max(rng.min_row, header_row + 1), rng.max_row + 1):
            problems[r] = text
    return problems


def read_rows(path: Path | str, kind: str) -> tuple[str, tuple[Field, ...], list[RawRow],
                                                      list[str]]:
    """(sheet name, fields found, data rows, unknown columns). File-level problems (not Excel,
    empty, required columns missing) raise a ValidationError saying what to do."""
    if kind not in FIELDS:
        raise ValidationError(f"Không nhập được loại {kind!r}; chọn units hoặc submissions.")
    fields = FIELDS[kind]
    path = Path(path)
    wb = _open_sheet(path)
    empty = all(ws.max_row <= 1 and ws.max_column <= 1 and ws.cell(1, 1).value is None
                for ws in wb.worksheets)
    best_sheet: Any = None
    best: tuple[int, dict[int, Field], list[str]] = (0, {}, [])
    for ws in wb.worksheets:
        found = _find_header(ws, fields)
        if len(found[1]) > len(best[1]):
            best_sheet, best = ws, found
    header_row, mapping, unknown = best
    if best_sheet is None or not mapping:
        if empty:
            raise ValidationError(f"Tệp {path.name} không có dữ liệu (các trang tính đều trống).")
        raise ValidationError(
            f"Không tìm thấy dòng tiêu đề cột của danh sách {KIND_LABELS[kind]} trong tệp "
            f"{path.name}. Cần có các cột: "
            + ", ".join(f.header for f in fields if f.required)
            + ". Hãy dùng \"Tải mẫu nhập Excel\" để lấy tệp mẫu.")
    present = set(mapping.values())
    missing = [f.header for f in fields if f.required and f not in present]
    if missing:
        raise ValidationError(
            f"Tệp {path.name} (trang \"{best_sheet.title}\") thiếu cột bắt buộc: "
            + ", ".join(missing) + ". Các cột đang có: "
            + ", ".join(f.header for f in mapping.values()) + (", " if unknown else "")
            + ", ".join(unknown) + ". Hãy thêm cột (đúng tên tiêu đề) hoặc dùng tệp mẫu.")
    merged = _merged_problems(best_sheet, header_row)
    rows: list[RawRow] = []
    for r, row in enumerate(best_sheet.iter_rows(min_row=header_row + 1, values_only=True),
                            start=header_row + 1):
        values: dict[str, Any] = {}
        for c, f in mapping.items():
            value = row[c - 1] if c - 1 < len(row) else None
            if isinstance(value, str) and not value.strip():
                value = None
            values[f.key] = value
        if all(v is None for v in values.values()) and r not in merged:
            continue
        problems = (merged[r],) if r in merged else ()
        rows.append(RawRow(r, values, problems))
        if len(rows) > MAX_ROWS:
            raise ValidationError(f"Tệp có hơn {MAX_ROWS} dòng; hãy chia thành nhiều tệp.")
    ordered = tuple(mapping[c] for c in sorted(mapping))
    return best_sheet.title, ordered, rows, unknown


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
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 80000:  # an Excel serial day number in a cell not formatted as a date
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise ValidationError(f"{label}: giá trị {value} không phải ngày.")
    return parse_date(str(value), label=label)


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
    raise ValidationError(f"{label}: {value!r} — hãy ghi \"Có\" hoặc \"Không\".")


def _unit_kind(value: Any) -> UnitKind:
    key = search_key(_text(value))
    for kind, label in UNIT_KIND_LABELS.items():
        if key in (search_key(label), kind.value):
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
        + "; ".join(UNIT_KIND_LABELS.values()) + ".")


def _channel(value: Any) -> Channel:
    key = search_key(_text(value))
    if not key:
        return Channel.PAPER
    for channel, label in CHANNEL_LABELS.items():
        if key in (search_key(label), channel.value):
            return channel
    if "email" in key or "thu dien tu" in key or "e-mail" in key:
        return Channel.EMAIL
    if "he thong" in key or "phan mem" in key or "dien tu" in key:
        return Channel.SYSTEM
    if "giay" in key or "buu" in key or "van thu" in key:
        return Channel.PAPER
    raise ValidationError(
        f"Hình thức nhận {_text(value)!r} không hợp lệ; ghi một trong: "
        + "; ".join(CHANNEL_LABELS.values()) + ".")


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


def _plan_units(session: Session, raws: Sequence[RawRow], progress: Progress | None
                ) -> list[_Planned]:
    from app.services.units import UnitInput
    from app.services.units import _validate as validate_unit

    existing = {search_key(u.name): u for u in session.scalars(select(Unit))}
    seen: dict[str, int] = {}
    planned: list[_Planned] = []
    total = len(raws)
    for n, raw in enumerate(raws, start=1):
        if progress is not None and (n % 200 == 0 or n == total):
            progress(n, total)
        shown = _shown(raw)
        if raw.problems:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.ERROR,
                                              " ".join(raw.problems), shown)))
            continue
        v = raw.values
        try:
            name = clean(_text(v.get("name")))
            if not name:
                raise ValidationError("Tên đơn vị không được để trống.")
            key = search_key(name)
            if key in seen:
                raise ValidationError(f"Trùng tên đơn vị với dòng {seen[key]} trong tệp.")
            current = existing.get(key)
            errors: list[str] = []

            def take(field_key: str, parse: Callable[[Any], Any], fallback: Any,
                     v: dict[str, Any] = v, errors: list[str] = errors) -> Any:
                if field_key not in v:
                    return fallback
                try:
                    return parse(v[field_key])
                except ValidationError as exc:
                    errors.append(exc.message)
                    return fallback

            def keep(attr: str, default: Any, current: Unit | None = current) -> Any:
                return getattr(current, attr) if current is not None else default

            kind = take("kind", _unit_kind, keep("kind", UnitKind.OTHER.value))
            sort_order = take("sort_order", lambda x: _int(x, "Thứ tự"), None)
            if sort_order is None and current is not None:
                sort_order = current.sort_order
            active = take("active", lambda x: _yes_no(x, "Đang theo dõi"), None)
            if active is None:
                active = keep("active", True)
            data = UnitInput(
                name=name,
                kind=kind,
                short_name=take("short_name", _text, keep("short_name", "")),
                sort_order=sort_order,
                head_title=take("head_title", _text, keep("head_title", "")),
                address=take("address", _text, keep("address", "")),
                phone=take("phone", _text, keep("phone", "")),
                email=take("email", _text, keep("email", "")),
                contact_person=take("contact_person", _text, keep("contact_person", "")),
                note=take("note", _text, keep("note", "")),
                active=bool(active),
                valid_from=take("valid_from", lambda x: _date(x, "Hiệu lực từ ngày"),
                                keep("valid_from", None)),
                valid_to=take("valid_to", lambda x: _date(x, "Hiệu lực đến ngày"),
                              keep("valid_to", None)),
            )
            values: dict[str, Any] = {}
            try:
                values = validate_unit(data)
            except ValidationError as exc:
                errors.append(_errors_text(exc))
            if errors:
                raise ValidationError(" ".join(errors))
            values["sort_order"] = data.sort_order
        except AppError as exc:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.ERROR,
                                              _errors_text(exc), shown)))
            continue
        seen[key] = raw.row_number
        if current is None:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.NEW,
                                              "Đơn vị mới.", shown), values))
            continue
        changed = [k for k, val in values.items()
                   if k != "search_key" and not (k == "sort_order" and val is None)
                   and getattr(current, k) != val]
        if not changed:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.UNCHANGED,
                                              "Giống dữ liệu đang có.", shown, current.id)))
        else:
            labels = {f.key: f.header for f in UNIT_FIELDS}
            planned.append(_Planned(ImportRow(
                raw.row_number, RowAction.UPDATE,
                "Đổi: " + ", ".join(labels.get(k, k) for k in changed) + ".", shown,
                current.id), values))
    return planned


def _plan_submissions(session: Session, raws: Sequence[RawRow], today: dt.date,
                      progress: Progress | None) -> list[_Planned]:
    from app.services.submissions import ObligationFinder, SubmissionInput, number_key
    from app.services.submissions import validate as validate_submission

    finder = ObligationFinder(session, period_hint="cột Kỳ báo cáo", preload=True)
    existing: dict[tuple[int, int, str], Submission] = {
        (s.unit_id, s.year, s.number_key): s for s in session.scalars(select(Submission))}
    seen: dict[tuple[int, int, str], int] = {}
    planned: list[_Planned] = []
    total = len(raws)
    compare = ("obligation_id", "number_symbol", "signed_date", "received_date", "signer",
               "channel", "summary", "assessment")
    labels = {f.key: f.header for f in SUBMISSION_FIELDS} | {"obligation_id": "Nghĩa vụ"}
    for n, raw in enumerate(raws, start=1):
        if progress is not None and (n % 200 == 0 or n == total):
            progress(n, total)
        shown = _shown(raw)
        v = raw.values
        if raw.problems:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.ERROR,
                                              " ".join(raw.problems), shown)))
            continue
        symbol = clean(_text(v.get("number_symbol")))
        if not symbol and v.get("signed_date") is None and v.get("received_date") is None:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.SKIP,
                                              "Chưa có văn bản (dòng để theo dõi).", shown)))
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
            channel = Channel.PAPER
            try:
                channel = _channel(v.get("channel"))
            except ValidationError as exc:
                errors.append(exc.message)
            obligation = finder.find(unit=_text(v.get("unit")), directive=_text(v.get("directive")),
                                     task=_text(v.get("task")), period=_text(v.get("period")))
            if errors:
                raise ValidationError(" ".join(errors))
            key = (obligation.unit_id, signed.year if signed else 0, number_key(symbol))
            if key in seen:
                raise ValidationError(
                    f"Trùng số {symbol} cùng đơn vị, cùng năm với dòng {seen[key]} trong tệp.")
            current = existing.get(key)
            data = SubmissionInput(
                obligation_id=obligation.id, number_symbol=symbol, signed_date=signed,
                received_date=received, signer=_text(v.get("signer")), channel=channel,
                summary=_text(v.get("summary")), assessment=_text(v.get("assessment")))
            _, values = validate_submission(session, data, today=today,
                                            exclude_id=current.id if current else None)
            values["obligation_id"] = obligation.id
            values["unit_id"] = obligation.unit_id
        except AppError as exc:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.ERROR,
                                              _errors_text(exc), shown)))
            continue
        seen[key] = raw.row_number
        if current is None:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.NEW,
                                              "Văn bản mới.", shown), values))
            continue
        changed = [k for k in compare if getattr(current, k) != values[k]]
        if not changed:
            planned.append(_Planned(ImportRow(raw.row_number, RowAction.UNCHANGED,
                                              "Đã có, giống dữ liệu đang có.", shown,
                                              current.id)))
        else:
            planned.append(_Planned(ImportRow(
                raw.row_number, RowAction.UPDATE,
                "Đã có văn bản cùng số, cùng năm; đổi: "
                + ", ".join(labels.get(k, k) for k in changed) + ".", shown, current.id),
                values))
    return planned


def _plan(session: Session, kind: str, raws: Sequence[RawRow], today: dt.date,
          progress: Progress | None) -> list[_Planned]:
    if kind == "units":
        return _plan_units(session, raws, progress)
    return _plan_submissions(session, raws, today, progress)


def preview_import(db: Database, kind: str, path: Path | str, *, today: dt.date,
                   progress: Progress | None = None) -> ImportPreview:
    """Read the file and say, row by row, what importing it would do. Writes nothing."""
    sheet, fields, raws, unknown = read_rows(path, kind)
    with db.read() as session:
        planned = _plan(session, kind, raws, today, progress)
    return ImportPreview(kind=kind, path=str(path), sheet=sheet, fields=fields,
                         rows=tuple(p.row for p in planned), raw=tuple(raws),
                         ignored_columns=tuple(unknown))


def apply_import(db: Database, preview: ImportPreview, *, today: dt.date,
                 progress: Progress | None = None) -> ImportResult:
    """Write the previewed rows in one transaction: all of them, or nothing."""
    if preview.has_errors:
        raise ValidationError(
            f"Còn {preview.count(RowAction.ERROR)} dòng lỗi; chưa nhập gì. Hãy sửa tệp rồi "
            "xem trước lại.")
    with db.write() as session:
        planned = _plan(session, preview.kind, preview.raw, today, progress)
        now = [(p.row.row_number, p.row.action) for p in planned]
        before = [(r.row_number, r.action) for r in preview.rows]
        if now != before:
            raise Conflict("Dữ liệu vừa thay đổi từ lúc xem trước; chưa nhập gì. Hãy xem trước "
                           "lại rồi nhập.")
        if preview.kind == "units":
            _write_units(session, planned)
        else:
            _write_submissions(session, planned)
    return ImportResult(
        kind=preview.kind, added=preview.count(RowAction.NEW),
        updated=preview.count(RowAction.UPDATE), unchanged=preview.count(RowAction.UNCHANGED),
        skipped=preview.count(RowAction.SKIP))


class _Audit:
    """Change-history rows for many records at once (the user's name is looked up once)."""

    def __init__(self, session: Session) -> None:
        import json

        from app.models import AuditEntry

        self.session = session
        self.user = audit.current_user(session)
        self._json = json.dumps
        self._entry = AuditEntry

    def add(self, action: str, entity: str, entity_id: int, summary: str, *,
            before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
        self.session.add(self._entry(
            user=self.user, action=action, entity=entity, entity_id=entity_id,
            summary=summary[:500],
            before=self._json(before or {}, ensure_ascii=False, default=str),
            after=self._json(after or {}, ensure_ascii=False, default=str)))


def _write_units(session: Session, planned: Sequence[_Planned]) -> None:
    from sqlalchemy import func

    from app.models import TaskUnit, TaskUnitKind
    from app.services.obligations import sync_task

    history = _Audit(session)
    top: dict[str, int] = {
        kind: int(n) for kind, n in session.execute(
            select(Unit.kind, func.max(Unit.sort_order)).group_by(Unit.kind))}
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
            history.add("update", "unit", unit.id, f"Nhập từ Excel: sửa đơn vị {unit.name}",
                        before=old, after=new)
            if (old["valid_from"], old["valid_to"], old["kind"]) != (
                    new["valid_from"], new["valid_to"], new["kind"]):
                touched_kinds.update({str(old["kind"]), unit.kind})
                touched_units.add(unit.id)
    if added:
        session.add_all(added)
        session.flush()
        for unit in added:
            history.add("create", "unit", unit.id, f"Nhập từ Excel: thêm đơn vị {unit.name}",
                        after=audit.snapshot(unit))
            touched_kinds.add(unit.kind)
    session.flush()
    if not (touched_kinds or touched_units):
        return
    task_ids = set(session.scalars(select(TaskUnitKind.task_id).where(
        TaskUnitKind.kind.in_(touched_kinds))))
    if touched_units:
        task_ids |= set(session.scalars(select(TaskUnit.task_id).where(
            TaskUnit.unit_id.in_(touched_units))))
        task_ids |= set(session.scalars(select(Obligation.task_id).where(
            Obligation.unit_id.in_(touched_units))))
    for task in session.scalars(select(Task).where(Task.id.in_(task_ids))):
        sync_task(session, task)


def _write_submissions(session: Session, planned: Sequence[_Planned]) -> None:
    from app.services.obligations import refresh_received

    history = _Audit(session)
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
            history.add("update", "submission", submission.id,
                        f"Nhập từ Excel: sửa văn bản {submission.number_symbol}",
                        before=old, after=audit.snapshot(submission))
            touched.add(submission.obligation_id)
    if added:
        session.add_all(added)
        session.flush()
        for submission in added:
            history.add("create", "submission", submission.id,
                        f"Nhập từ Excel: văn bản {submission.number_symbol}",
                        after=audit.snapshot(submission))
    session.flush()
    if touched:
        refresh_received(session, touched)


# --- templates --------------------------------------------------------------------------------


TEMPLATE_TITLES = {
    "units": "MẪU NHẬP DANH SÁCH ĐƠN VỊ",
    "submissions": "MẪU NHẬP VĂN BẢN NHẬN ĐƯỢC (ĐĂNG KÝ KẾ HOẠCH, BÁO CÁO)",
}
TEMPLATE_EXAMPLES: dict[str, dict[str, str]] = {
    "units": {"name": "UBND huyện Bình Sơn", "short_name": "Bình Sơn",
              "kind": "UBND cấp huyện", "sort_order": "1", "head_title": "Chủ tịch",
              "email": "ubndbinhson@example.gov.vn", "active": "Có",
              "valid_from": "01/01/2018"},
    "submissions": {"unit": "UBND huyện Bình Sơn", "directive": "2116/UBND-NC",
                    "task": "Xây dựng kế hoạch phối hợp", "period": "",
                    "number_symbol": "45/KH-UBND", "signed_date": "25/04/2018",
                    "received_date": "27/04/2018", "signer": "Nguyễn Văn A",
                    "channel": "Giấy (bưu chính, văn thư)", "summary": "Kế hoạch phối hợp 2018"},
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
    ws.cell(2, 1, "Điền từ dòng 4; cột có dấu * là bắt buộc; ngày ghi dd/mm/yyyy. Xem trang "
                  "\"Hướng dẫn\".").font = Font(italic=True)
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
            dv = DataValidation(type="list", formula1='"' + ",".join(
                c.replace(",", "") for c in choices) + '"', allow_blank=True)
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
        guide.append([f.header, "Có" if f.required else "", f.hint
                      or ("dd/mm/yyyy" if f.is_date else ""), examples.get(f.key, "")])
    guide.append([])
    guide.append(["Tên cột không phân biệt hoa thường, có dấu hay không dấu. Dòng trống được bỏ "
                  "qua. Không gộp ô trong vùng dữ liệu."])
    if kind == "submissions":
        guide.append(["Văn bản được ghép với nghĩa vụ theo Đơn vị + Văn bản chỉ đạo + Nhiệm vụ + "
                      "Kỳ báo cáo. Văn bản đã có (cùng đơn vị, cùng năm, cùng số) sẽ được cập "
                      "nhật."])
    else:
        guide.append(["Đơn vị đã có (cùng tên) sẽ được cập nhật; cột không có trong tệp giữ "
                      "nguyên giá trị cũ."])
    for letter, width in zip("ABCD", (26, 10, 50, 40), strict=True):
        guide.column_dimensions[letter].width = width
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
