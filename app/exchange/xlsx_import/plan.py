"""Plan: compare the parsed rows with the database and say, row by row, what importing them
would do — new / update (each changed field old → new) / unchanged / skipped / error with a
reason (:func:`preview_import`). Every value is checked by its service's own rules
(:func:`app.services.units.validate`, :func:`app.services.submissions.validate`); the same
plan, made again in the writing transaction, is what :mod:`.apply` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import fmt
from app.db import Database
from app.errors import AppError, ValidationError
from app.exchange.xlsx_columns import DOCUMENT_KEYS, SUBMISSION_FIELDS, UNIT_FIELDS, Field
from app.exchange.xlsx_import.parse import ParsedRow, not_clearable, one_of, parse_row
from app.exchange.xlsx_import.read import RawRow, read_rows
from app.models import UNIT_KIND_LABELS, Channel, Obligation, Submission, Task, Unit, UnitKind
from app.schedule import ONE_OFF_KEY
from app.services import submissions, units
from app.text import search_key

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


@dataclass
class Planned:
    """A row of the preview and what writing it takes."""

    row: ImportRow
    values: dict[str, object] = field(default_factory=dict)  # validated values to write
    current: Unit | Submission | None = None  # the record an update changes


def _errors_text(exc: AppError) -> str:
    errors = getattr(exc, "errors", None) or {}
    messages = list(dict.fromkeys([*errors.values()])) or [exc.message]
    return " ".join(messages)


def _display(key: str, value: Any) -> str:
    """A stored or imported value as the preview shows it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dt.date):
        return fmt(value)
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


def _error(row: ParsedRow, reason: str) -> Planned:
    return Planned(ImportRow(row.row_number, RowAction.ERROR, reason, row.shown))


def _stored(row: ParsedRow, current: object | None) -> Callable[[str, Any], Any]:
    """A field's value: its cell's, else the stored one (an update), else ``default``."""

    def value(key: str, default: Any) -> Any:
        if key in row.values:
            return row.values[key]
        return getattr(current, key) if current is not None else default

    return value


def _parsed(kind: str, raws: Sequence[RawRow], progress: Progress | None) -> Iterator[ParsedRow]:
    """Each row parsed as it is planned, ``progress(done, total)`` told every 200 rows."""
    total = len(raws)
    for n, raw in enumerate(raws, start=1):
        if progress is not None and (n % 200 == 0 or n == total):
            progress(n, total)
        yield parse_row(kind, raw)


def _plan_units(
    session: Session, raws: Sequence[RawRow], progress: Progress | None
) -> list[Planned]:
    existing = {search_key(u.name): u for u in session.scalars(select(Unit))}
    seen: dict[str, int] = {}
    planned: list[Planned] = []
    labels = {f.key: f.header for f in UNIT_FIELDS}
    compare = [f.key for f in UNIT_FIELDS]
    for row in _parsed("units", raws, progress):
        if row.problems:
            planned.append(_error(row, " ".join(row.problems)))
            continue
        try:
            if "name" in row.uncleared:
                raise ValidationError(row.errors["name"])
            name = row.values.get("name", "")
            if not name:
                raise ValidationError(units.EMPTY_NAME)
            key = search_key(name)
            if key in seen:
                raise ValidationError(f"Trùng tên đơn vị với dòng {seen[key]} trong tệp.")
            current = existing.get(key)
            value = _stored(row, current)
            errors = list(row.errors.values())
            kind = value("kind", None)
            if kind is None and row.empty("kind"):
                errors.insert(
                    0, "Loại đơn vị không được để trống; " + one_of(UNIT_KIND_LABELS.values())
                )
            data = units.UnitInput(
                name=name,
                kind=kind or UnitKind.OTHER.value,
                short_name=value("short_name", ""),
                sort_order=value("sort_order", None),
                head_title=value("head_title", ""),
                address=value("address", ""),
                phone=value("phone", ""),
                email=value("email", ""),
                contact_person=value("contact_person", ""),
                note=value("note", ""),
                active=bool(value("active", True)),
                valid_from=value("valid_from", None),
                valid_to=value("valid_to", None),
            )
            values: dict[str, object] = {}
            try:
                values = units.validate(data)
            except ValidationError as exc:
                errors.append(_errors_text(exc))
            if errors:
                raise ValidationError(" ".join(dict.fromkeys(errors)))
        except AppError as exc:
            planned.append(_error(row, _errors_text(exc)))
            continue
        seen[key] = row.row_number
        if current is None:
            new = ImportRow(row.row_number, RowAction.NEW, "Đơn vị mới.", row.shown)
            planned.append(Planned(new, values))
            continue
        changes = _changes(
            current,
            values,
            [k for k in compare if not (k == "sort_order" and values.get(k) is None)],
            labels,
        )
        if not changes:
            same = "Giống dữ liệu đang có."
            planned.append(Planned(ImportRow(row.row_number, RowAction.UNCHANGED, same, row.shown)))
        else:
            reason = _update_reason("", changes)
            update = ImportRow(row.row_number, RowAction.UPDATE, reason, row.shown, changes)
            planned.append(Planned(update, values, current))
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
) -> list[Planned]:
    finder = submissions.ObligationFinder(
        session, period_hint="cột Kỳ báo cáo", one_off_hint=None, preload=True
    )
    existing: dict[tuple[int, int, str], Submission] = {
        (s.unit_id, s.year, s.number_key): s for s in session.scalars(select(Submission))
    }
    seen: dict[tuple[int, int, str], int] = {}
    planned: list[Planned] = []
    compare = ("obligation_id", *DOCUMENT_KEYS)  # the obligation, then the document's own
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

    for row in _parsed("submissions", raws, progress):
        if row.problems:
            planned.append(_error(row, " ".join(row.problems)))
            continue
        cleared = [labels[k] for k in SUBMISSION_REQUIRED if k in row.uncleared]
        if cleared:
            planned.append(_error(row, not_clearable(cleared)))
            continue
        symbol = row.values.get("number_symbol", "")
        if not symbol and row.empty("signed_date") and row.empty("received_date"):
            skip = "Chưa có văn bản (dòng để theo dõi)."
            planned.append(Planned(ImportRow(row.row_number, RowAction.SKIP, skip, row.shown)))
            continue
        try:
            unread_dates = "signed_date" in row.errors or "received_date" in row.errors
            signed = row.values.get("signed_date")
            received = row.values.get("received_date")
            obligation = finder.find(
                unit=row.values.get("unit", ""),
                directive=row.values.get("directive", ""),
                task=row.values.get("task", ""),
                period=row.values.get("period", ""),
            )
            key = (obligation.unit_id, signed.year if signed else 0, submissions.number_key(symbol))
            if not unread_dates and key in seen:
                raise ValidationError(
                    f"Trùng số {symbol} cùng đơn vị, cùng năm với dòng {seen[key]} trong tệp."
                )
            current = existing.get(key) if not unread_dates else None
            value = _stored(row, current)
            data = submissions.SubmissionInput(
                obligation_id=obligation.id,
                number_symbol=symbol,
                signed_date=signed,
                received_date=received,
                signer=value("signer", ""),
                channel=value("channel", Channel.PAPER.value),
                summary=value("summary", ""),
                assessment=value("assessment", ""),
            )
            if row.errors:
                raise ValidationError(" ".join(row.errors.values()))
            _, values = submissions.validate(
                session, data, today=today, exclude_id=current.id if current else None
            )
            warnings = tuple(submissions.date_warnings(session, obligation.id, received))
        except AppError as exc:
            planned.append(_error(row, _errors_text(exc)))
            continue
        seen[key] = row.row_number
        note = (" " + " ".join(warnings)) if warnings else ""
        if current is None:
            new = ImportRow(
                row.row_number, RowAction.NEW, "Văn bản mới." + note, row.shown, warnings=warnings
            )
            planned.append(Planned(new, values))
            continue
        changes = _changes(current, values, compare, labels, show)
        if not changes:
            same = ImportRow(
                row.row_number,
                RowAction.UNCHANGED,
                "Đã có, giống dữ liệu đang có." + note,
                row.shown,
                warnings=warnings,
            )
            planned.append(Planned(same))
        else:
            update = ImportRow(
                row.row_number,
                RowAction.UPDATE,
                _update_reason("Đã có văn bản cùng số, cùng năm. ", changes) + note,
                row.shown,
                changes,
                warnings,
            )
            planned.append(Planned(update, values, current))
    return planned


def plan(
    session: Session, kind: str, raws: Sequence[RawRow], today: dt.date, progress: Progress | None
) -> list[Planned]:
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
        planned = plan(session, kind, read.rows, today, progress)
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
