"""The indexed WHERE clause of ``status_filter`` selects exactly the obligations whose status
(computed by ``status_expression``, the rules of ``app.status``) is among those asked for."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from sqlalchemy import select

from app.db import connect
from app.models import Obligation
from app.services.obligations import query_obligations, status_expression, status_filter
from app.status import Status
from bench.generate import SCALES, generate


def test_filter_agrees_with_expression_for_every_subset(tmp_path: Path) -> None:
    path = generate("S", tmp_path / "s.db", seed=3).path
    db = connect(str(path))
    as_of = SCALES["S"].as_of
    days = [dt.date(2018, 1, 1), dt.date(2018, 5, 2), as_of, dt.date(2018, 12, 31)]
    seen: set[str] = set()
    try:
        with db.read() as session:
            for day in days:
                status = status_expression(day, 7)
                by_status: dict[str, set[int]] = {}
                for oid, value in session.execute(select(Obligation.id, status)):
                    by_status.setdefault(value, set()).add(oid)
                seen |= set(by_status)
                for n in (1, 2, 3):
                    for subset in itertools.combinations(list(Status), n):
                        expected = set().union(*(by_status.get(s.value, set()) for s in subset))
                        got = set(
                            session.scalars(
                                select(Obligation.id).where(status_filter(subset, day, 7))
                            )
                        )
                        assert got == expected, (day, subset)
        assert len(seen) >= 5  # the days cover (nearly) every status
    finally:
        db.dispose()


def test_warnings_rows_carry_only_open_statuses(tmp_path: Path) -> None:
    path = generate("S", tmp_path / "s.db", seed=5).path
    db = connect(str(path))
    try:
        with db.read() as session:
            day = SCALES["S"].as_of
            rows = query_obligations(
                session, day, window_days=7, statuses=[Status.OVERDUE, Status.DUE_SOON]
            )
            everything = query_obligations(session, day, window_days=7)
        assert rows, "the generated year has overdue obligations on its last day"
        assert {r.status for r in rows} <= {Status.OVERDUE, Status.DUE_SOON}
        assert [r.id for r in rows] == [
            r.id for r in everything if r.status in (Status.OVERDUE, Status.DUE_SOON)
        ]
    finally:
        db.dispose()


def test_pages_of_a_list_put_together_give_the_whole_list(tmp_path: Path) -> None:
    path = generate("S", tmp_path / "s.db", seed=9).path
    db = connect(str(path))
    try:
        with db.read() as session:
            day = SCALES["S"].as_of
            whole = [r.id for r in query_obligations(session, day, window_days=7)]
            pages: list[int] = []
            while True:
                page = query_obligations(session, day, window_days=7, limit=200, offset=len(pages))
                if not page:
                    break
                pages += [r.id for r in page]
        assert len(whole) > 400
        assert pages == whole
    finally:
        db.dispose()


def test_pending_changes_in_the_session_are_seen(tmp_path: Path) -> None:
    path = generate("S", tmp_path / "s.db", seed=4).path
    db = connect(str(path))
    try:
        with db.write() as session:
            day = SCALES["S"].as_of
            first = query_obligations(session, day, window_days=7, statuses=[Status.OVERDUE])[0]
            obligation = session.get(Obligation, first.id)
            assert obligation is not None
            obligation.waived = True  # not flushed yet
            row = query_obligations(session, day, window_days=7, obligation_ids=[first.id])[0]
            assert row.status is Status.EXEMPT
            session.rollback()
    finally:
        db.dispose()
