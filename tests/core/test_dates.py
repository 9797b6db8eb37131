"""Dates and numbers as the user reads them, from one place each (app.dates, app.text)."""

from __future__ import annotations

import datetime as dt

from app.dates import as_of_caption, fmt, fmt_time
from app.db.recovery import BackupFile
from app.text import number_text


def test_one_formatter_for_dates_captions_and_numbers(tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert fmt(dt.date(2018, 4, 5)) == "05/04/2018"
    assert fmt(None) == ""
    assert fmt_time(dt.datetime(2018, 4, 5, 7, 3, 9)) == "05/04/2018 07:03"
    assert fmt_time(dt.datetime(2018, 4, 5, 7, 3, 9), seconds=True) == "05/04/2018 07:03:09"
    assert as_of_caption(dt.date(2018, 5, 2)) == "tính đến ngày 02/05/2018"
    assert as_of_caption(dt.date(2018, 5, 2), short=True) == "tính đến 02/05/2018"
    assert [number_text(n) for n in (0, 999, 1000, 1_000_000_000)] == [
        "0",
        "999",
        "1.000",
        "1.000.000.000",
    ]
    backup = BackupFile(tmp_path / "so, theo doi.db", dt.datetime(2018, 4, 5, 7, 3), 2_000_000)
    # The thousands dot is in the size only: a comma of the file name stays a comma.
    assert backup.label.startswith("so, theo doi.db — 05/04/2018 07:03 — 1.953 KB — ")
