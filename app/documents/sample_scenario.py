"""A few documents received, on top of the sample data, so that the printed documents show every
status (used by ``tools/render_documents.py`` and the document tests)."""

from __future__ import annotations

import datetime as dt

from app.db import Database
from app.services.submissions import SubmissionInput, record_submission, resolve_obligation

#: (unit, task, period, number and symbol, signed, received)
SAMPLE_SUBMISSIONS: tuple[tuple[str, str, str | None, str, dt.date, dt.date], ...] = (
    (
        "Thành phố Quảng Ngãi",
        "kế hoạch phối hợp",
        None,
        "45/KH-UBND",
        dt.date(2018, 4, 24),
        dt.date(2018, 4, 25),
    ),
    (
        "Bình Sơn",
        "kế hoạch phối hợp",
        None,
        "52/KH-UBND",
        dt.date(2018, 4, 26),
        dt.date(2018, 4, 27),
    ),
    (
        "Sơn Tịnh",
        "kế hoạch phối hợp",
        None,
        "38/KH-UBND",
        dt.date(2018, 4, 27),
        dt.date(2018, 4, 28),
    ),
    (
        "Tư Nghĩa",
        "kế hoạch phối hợp",
        None,
        "61/KH-UBND",
        dt.date(2018, 4, 27),
        dt.date(2018, 4, 30),
    ),
    ("Mộ Đức", "kế hoạch phối hợp", None, "27/KH-UBND", dt.date(2018, 4, 28), dt.date(2018, 5, 2)),
    ("Đức Phổ", "kế hoạch phối hợp", None, "33/KH-UBND", dt.date(2018, 5, 8), dt.date(2018, 5, 10)),
    ("Lý Sơn", "kế hoạch phối hợp", None, "19/KH-UBND", dt.date(2018, 5, 14), dt.date(2018, 5, 16)),
    (
        "Sở Tư pháp",
        "6 tháng",
        "6 tháng đầu năm 2018",
        "412/BC-STP",
        dt.date(2018, 6, 12),
        dt.date(2018, 6, 14),
    ),
    (
        "Sở Tài chính",
        "6 tháng",
        "6 tháng đầu năm 2018",
        "1530/BC-STC",
        dt.date(2018, 6, 18),
        dt.date(2018, 6, 19),
    ),
    (
        "Sở Y tế",
        "6 tháng",
        "6 tháng đầu năm 2018",
        "986/BC-SYT",
        dt.date(2018, 6, 20),
        dt.date(2018, 6, 22),
    ),
    (
        "Thành phố Quảng Ngãi",
        "6 tháng",
        "6 tháng đầu năm 2018",
        "201/BC-UBND",
        dt.date(2018, 6, 15),
        dt.date(2018, 6, 18),
    ),
    (
        "Bình Sơn",
        "6 tháng",
        "6 tháng đầu năm 2018",
        "176/BC-UBND",
        dt.date(2018, 6, 19),
        dt.date(2018, 6, 20),
    ),
)


def record_sample_submissions(db: Database, directive: str = "2116/UBND-NC") -> int:
    """Record :data:`SAMPLE_SUBMISSIONS` against the sample directive; returns how many."""
    count = 0
    for unit, task, period, number, signed, received in SAMPLE_SUBMISSIONS:
        with db.read() as session:
            obligation_id = resolve_obligation(
                session, unit=unit, directive=directive, task=task, period=period
            ).id
        record_submission(
            db,
            SubmissionInput(
                obligation_id=obligation_id,
                number_symbol=number,
                signed_date=signed,
                received_date=received,
            ),
            today=received,
        )
        count += 1
    return count
