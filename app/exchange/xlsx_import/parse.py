"""Parse: one raw row (:mod:`.read`) into typed values, with a Vietnamese message for each cell
that cannot be read.

An empty cell leaves its field out: an update keeps the stored value, a new record takes the
default. :data:`CLEAR_MARKER` in a cell gives the field's empty value — refused for a field that
must keep one (docs/excel-va-sao-luu.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from app.dates import fmt, parse_date
from app.errors import ValidationError
from app.exchange.xlsx_import.read import FIELDS, RawRow
from app.models import CHANNEL_LABELS, UNIT_KIND_LABELS, Channel, UnitKind
from app.services.submissions import too_early
from app.text import clean, search_key

CLEAR_MARKER = "[xoá]"  # written in a cell: empty this field (an empty cell keeps the value)


def is_clear_marker(value: Any) -> bool:
    return (
        isinstance(value, str)
        and "[" in value
        and len(value) < 20
        and search_key(value).replace(" ", "") == "[xoa]"
    )


def not_clearable(headers: Iterable[str]) -> str:
    return f"Cột {', '.join(headers)} phải có giá trị, không xoá được bằng {CLEAR_MARKER}."


def one_of(labels: Iterable[str]) -> str:
    return "ghi một trong: " + "; ".join(labels) + "."


# --- cell values ------------------------------------------------------------------------------


def text(value: Any) -> str:
    """A cell as the user reads it (a date dd/mm/yyyy, a whole number without ".0")."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return fmt(value)
    shown = str(value)
    return shown[1:] if shown.startswith("'=") else shown


def _plain(value: Any, label: str) -> str:
    return text(value)


def _cleaned(value: Any, label: str) -> str:
    return clean(text(value))


def _date(value: Any, label: str) -> dt.date:
    """A date cell as it is; a number (an Excel day in a cell not formatted as a date) or text
    read as a day, refused when it cannot be a day of this work."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 1 <= value < 80000:
            raise ValidationError(f"{label}: giá trị {value} không phải ngày.")
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    else:
        parsed = parse_date(str(value), label=label)
        assert parsed is not None
        day = parsed
    if (early := too_early(label, day)) is not None:
        raise ValidationError(early)
    return day


def _int(value: Any, label: str) -> int:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if float(value).is_integer():
            return int(value)
    else:
        shown = str(value).strip()
        if re.fullmatch(r"-?\d+", shown):
            return int(shown)
    raise ValidationError(f"{label}: {value!r} không phải số nguyên.")


def _yes_no(value: Any, label: str) -> bool:
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


def _unit_kind(value: Any, label: str) -> UnitKind:
    key = search_key(text(value))
    for kind, kind_label in UNIT_KIND_LABELS.items():
        if key in (_label_key(kind_label), kind.value):
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
        f"{label} {text(value)!r} không hợp lệ; " + one_of(UNIT_KIND_LABELS.values())
    )


def _channel(value: Any, label: str) -> Channel:
    key = search_key(text(value))
    if not key:
        return Channel.PAPER
    for channel, channel_label in CHANNEL_LABELS.items():
        if key in (_label_key(channel_label), channel.value):
            return channel
    if "email" in key or "thu dien tu" in key or "e-mail" in key:
        return Channel.EMAIL
    if "he thong" in key or "phan mem" in key or "dien tu" in key:
        return Channel.SYSTEM
    if "giay" in key or "buu" in key or "van thu" in key:
        return Channel.PAPER
    raise ValidationError(
        f"{label} {text(value)!r} không hợp lệ; " + one_of(CHANNEL_LABELS.values())
    )


# --- rows -------------------------------------------------------------------------------------

Reader = Callable[[Any, str], Any]  # (cell value, column header) -> typed value
KEEP = object()  # a field that cannot be emptied with the clear marker

# Each field of a kind, in the order of its columns (the order of the messages): how its cell
# is read, and the value the clear marker gives it.
CELLS: dict[str, dict[str, tuple[Reader, Any]]] = {
    "units": {
        "name": (_cleaned, KEEP),
        "short_name": (_plain, ""),
        "kind": (_unit_kind, KEEP),
        "sort_order": (_int, KEEP),
        "head_title": (_plain, ""),
        "address": (_plain, ""),
        "phone": (_plain, ""),
        "email": (_plain, ""),
        "contact_person": (_plain, ""),
        "note": (_plain, ""),
        "active": (_yes_no, KEEP),
        "valid_from": (_date, None),
        "valid_to": (_date, None),
    },
    "submissions": {
        "unit": (_plain, KEEP),
        "directive": (_plain, KEEP),
        "task": (_plain, KEEP),
        "period": (_plain, KEEP),
        "number_symbol": (_cleaned, KEEP),
        "signed_date": (_date, KEEP),
        "received_date": (_date, KEEP),
        "signer": (_plain, ""),
        "channel": (_channel, KEEP),
        "summary": (_plain, ""),
        "assessment": (_plain, ""),
    },
}


class ParsedRow(NamedTuple):
    """One data row as typed values."""

    row_number: int
    values: dict[str, Any]  # field key -> typed value; no key: an empty cell (or an error)
    errors: dict[str, str]  # field key -> why its cell cannot be read or emptied
    uncleared: frozenset[str]  # fields whose cell asks to empty what must keep a value
    shown: dict[str, str]  # the cells as the preview shows them
    problems: tuple[str, ...] = ()  # found while reading (merged cells…)

    def empty(self, key: str) -> bool:
        """The cell is empty (or its column is not in the file)."""
        return key not in self.values and key not in self.errors


_HEADERS = {kind: {f.key: f.header for f in fields} for kind, fields in FIELDS.items()}


def parse_row(kind: str, raw: RawRow) -> ParsedRow:
    headers = _HEADERS[kind]
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    uncleared: set[str] = set()
    for key, (read, blank) in CELLS[kind].items():
        value = raw.values.get(key)
        if value is None:
            continue
        if is_clear_marker(value):
            if blank is KEEP:
                uncleared.add(key)
                errors[key] = not_clearable([headers[key]])
            else:
                values[key] = blank
            continue
        try:
            values[key] = read(value, headers[key])
        except ValidationError as exc:
            errors[key] = exc.message
    shown = {k: text(v) for k, v in raw.values.items()}
    return ParsedRow(raw.row_number, values, errors, frozenset(uncleared), shown, raw.problems)
