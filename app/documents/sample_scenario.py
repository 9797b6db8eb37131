"""A few documents received, on top of the sample data, so that the printed documents show every
status (used by ``tools/render_documents.py`` and the document tests). The documents are data:
``resources/sample/quang-ngai-2018-received.csv``, one a line."""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache

from app.db import Database
from app.paths import resource_path
from app.services.submissions import SubmissionInput, record_submission, resolve_obligation

SAMPLE_SUBMISSIONS_FILE = "quang-ngai-2018-received.csv"

#: unit, task, period (None for a one-off task), number and symbol, signed, received
SampleSubmission = tuple[str, str, str | None, str, dt.date, dt.date]


@cache
def sample_submissions() -> tuple[SampleSubmission, ...]:
    """The documents of :data:`SAMPLE_SUBMISSIONS_FILE`, in its order."""
    path = resource_path("sample", SAMPLE_SUBMISSIONS_FILE)
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(
            (
                row["unit"],
                row["task"],
                row["period"] or None,
                row["number_symbol"],
                dt.date.fromisoformat(row["signed"]),
                dt.date.fromisoformat(row["received"]),
            )
            for row in csv.DictReader(handle)
        )


def record_sample_submissions(db: Database, directive: str = "2116/UBND-NC") -> int:
    """Record :func:`sample_submissions` against the sample directive; returns how many."""
    count = 0
    for unit, task, period, number, signed, received in sample_submissions():
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
