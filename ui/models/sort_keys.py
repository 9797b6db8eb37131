"""Sort keys that never compare None with a value."""

from __future__ import annotations

import datetime as dt


def date_key(day: dt.date | None) -> tuple[int, dt.date]:
    """Empty dates last."""
    return (1, dt.date.min) if day is None else (0, day)


def int_key(value: int | None) -> tuple[int, int]:
    return (1, 0) if value is None else (0, value)
