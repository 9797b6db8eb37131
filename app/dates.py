"""Dates as the user writes and reads them: dd/mm/yyyy (also yyyy-mm-dd on the command line)."""

from __future__ import annotations

import datetime as dt
import re

from app.errors import ValidationError

_DMY = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
MIN_YEAR = 1945
MAX_YEAR = 2100


def parse_date(
    text: str | dt.date | None, *, field: str | None = None, label: str = "Ngày"
) -> dt.date:
    """Parse ``dd/mm/yyyy`` or ``yyyy-mm-dd``; a clear Vietnamese error otherwise."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    raw = (text or "").strip()
    if not raw:
        raise ValidationError(f"{label} chưa được nhập.", field=field)
    match = _DMY.match(raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(raw)
        if not match:
            raise ValidationError(
                f"{label} {raw!r} không đúng dạng ngày/tháng/năm (ví dụ 30/04/2018).", field=field
            )
        year, month, day = (int(g) for g in match.groups())
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError(f"{label}: năm {year} không hợp lệ.", field=field)
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValidationError(
            f"{label} {day:02d}/{month:02d}/{year} không tồn tại.", field=field
        ) from None


def parse_optional_date(text: str | dt.date | None, **kwargs: str | None) -> dt.date | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    return parse_date(text, **kwargs)  # type: ignore[arg-type]


def fmt(day: dt.date | None) -> str:
    """dd/mm/yyyy, or an empty string."""
    return day.strftime("%d/%m/%Y") if day else ""


def as_of_caption(day: dt.date, *, short: bool = False) -> str:
    """The caption of figures seen on a day: "tính đến ngày 10/05/2018" (documents, Excel,
    the command line); ``short``: "tính đến 10/05/2018" (a list's title)."""
    return f"tính đến {fmt(day)}" if short else f"tính đến ngày {fmt(day)}"


def fmt_time(moment: dt.datetime, *, seconds: bool = False) -> str:
    """dd/mm/yyyy HH:MM (HH:MM:SS with ``seconds``), for times of this PC."""
    return moment.strftime("%d/%m/%Y %H:%M:%S" if seconds else "%d/%m/%Y %H:%M")
