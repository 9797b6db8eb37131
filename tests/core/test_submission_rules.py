"""One home for two rules every reader of submissions shares: the submission that counts (the
first received by the day asked) and finding an obligation by the names a person writes (the
command line and the Excel import, with the same messages)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db import Database
from app.errors import NotFound, ValidationError
from app.services.intake import intake_rows
from app.services.submissions import (
    ObligationFinder,
    SubmissionInput,
    first_seen,
    list_for_obligation,
    record_submission,
    resolve_obligation,
    submissions_seen,
)

D = dt.date
TODAY = D(2018, 12, 31)


def test_the_first_received_by_the_day_counts(sample_db: Database) -> None:
    with sample_db.read() as session:
        obligation = resolve_obligation(
            session, unit="Ba Tơ", directive="2116/UBND-NC", task="kế hoạch", period=None
        )
    late = record_submission(
        sample_db,
        SubmissionInput(
            obligation_id=obligation.id,
            number_symbol="12/KH-UBND",
            signed_date=D(2018, 5, 2),
            received_date=D(2018, 5, 3),
        ),
        today=TODAY,
    )
    early = record_submission(
        sample_db,
        SubmissionInput(
            obligation_id=obligation.id,
            number_symbol="13/KH-UBND",
            signed_date=D(2018, 4, 20),
            received_date=D(2018, 4, 25),
        ),
        today=TODAY,
    )
    with sample_db.read() as session:
        assert submissions_seen(session, [obligation.id], D(2018, 4, 24)) == {}
        (seen,) = submissions_seen(session, [obligation.id], D(2018, 4, 30)).values()
        assert [s.id for s in seen] == [early.id] and seen[0].counts
        (seen,) = submissions_seen(session, [obligation.id], D(2018, 6, 1)).values()
        assert [(s.id, s.counts) for s in seen] == [(early.id, True), (late.id, False)]
        assert seen == list_for_obligation(sample_db, obligation.id)
        assert first_seen(session, [obligation.id, obligation.id], D(2018, 6, 1)) == {
            obligation.id: seen[0]
        }
    # The plans register shows the same document.
    task_id = obligation.task_id
    (row,) = [
        r
        for r in intake_rows(sample_db, D(2018, 6, 1), task_id=task_id)
        if r.obligation.id == obligation.id
    ]
    assert (row.submission_id, row.number_symbol, row.documents) == (early.id, "13/KH-UBND", 2)


def test_finding_an_obligation_by_names_one_rule_two_hints(sample_db: Database) -> None:
    with sample_db.read() as session:
        found = resolve_obligation(
            session,
            unit="son tinh",
            directive="2116",
            task="6 tháng",
            period="6 tháng đầu năm 2018",
        )
        importer = ObligationFinder(session, period_hint="cột Kỳ báo cáo", preload=True)
        assert (
            importer.find(
                unit="Sơn Tịnh",
                directive="2116/UBND-NC",
                task="6 tháng",
                period="6 tháng đầu năm 2018",
            )
            is found
        )
        messages = []
        for finder in (ObligationFinder(session), importer):
            with pytest.raises(ValidationError) as missing:
                finder.find(unit="Sơn Tịnh", directive="2116", task="6 tháng", period="")
            messages.append(missing.value.message)
        assert messages[0].startswith(
            'Nhiệm vụ "Báo cáo định kỳ 6 tháng" là báo cáo định kỳ: hãy ghi kỳ báo cáo '
            '(--period), ví dụ "'
        )
        assert messages[1] == messages[0].replace("kỳ báo cáo (--period)", "cột Kỳ báo cáo")
        # A department is not bound by the plans (districts only): the same NotFound text.
        texts = []
        for finder in (ObligationFinder(session), importer):
            with pytest.raises(NotFound) as none:
                finder.find(unit="Sở Nội vụ", directive="2116", task="kế hoạch", period=None)
            texts.append(none.value.message)
        assert texts[0] == texts[1]
        assert 'không có nghĩa vụ "Xây dựng kế hoạch' in texts[0]
