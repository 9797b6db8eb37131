"""Sort keys that never compare None with a value."""

from __future__ import annotations

import datetime as dt


def date_key(day: dt.date | None) -> tuple[int, dt.date]:
    """Empty dates last."""
    return (1, dt.date.min) if day is None else (0, day)
