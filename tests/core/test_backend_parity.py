"""Things SQLite lets pass and PostgreSQL does not (column lengths, constraints), and values that
must come back the same from both: run on SQLite and, with SOTHEODOI_TEST_DATABASE_URL, on
PostgreSQL."""

import datetime as dt

import pytest
from sqlalchemy import select

from app.errors import Conflict, ValidationError
from app.models import AuditEntry, Obligation, Setting, Unit
from app.services import directives, submissions, units

D = dt.date


def test_longest_inputs_fit_their_columns_even_when_keys_expand(db):
    """ "ß" casefolds to "ss": the search keys grow past the name; they are cut to the column."""
    name = "ß" * units.NAME_MAX
    unit = units.create_unit(
        db, units.UnitInput(name=name, kind="huyen", short_name="ẞ" * units.SHORT_MAX)
    )
    assert units.get_unit(db, unit.id).name == name
    directive = directives.create_directive(
        db,
        directives.DirectiveInput(
            number_symbol="1/" + "ß" * 98,
            signed_date=D(2018, 4, 18),
            issuer="Đ" * 255,
            subject="Trích yếu rất dài " * 1100,
        ),
    )
    task, _ = directives.add_task(
        db,
        directive.id,
        directives.TaskInput(
            title="Nhiệm vụ " + "ß" * 490, kind="once", due_date=D(2018, 4, 30), unit_ids=[unit.id]
        ),
    )
    with db.read() as session:
        obligation_id = session.scalar(select(Obligation.id).where(Obligation.task_id == task.id))
    sub = submissions.record_submission(
        db,
        submissions.SubmissionInput(
            obligation_id=obligation_id,
            number_symbol="ß" * 100,
            signed_date=D(2018, 4, 20),
            received_date=D(2018, 4, 21),
            signer="Ǆ" * 255,
        ),
        today=D(2018, 5, 1),
    )
    assert submissions.get_submission(db, sub.id).number_symbol == "ß" * 100
    with db.read() as session:
        assert all(len(r.summary) <= 500 for r in session.scalars(select(AuditEntry)))


def test_value_too_long_for_its_column(db):
    """A service that forgot a length check gets a Vietnamese message on a server, not a
    crash (SQLite stores it anyway)."""
    if db.is_sqlite:
        with db.write() as session:
            session.add(Setting(key="k" * 300, value=""))
        return
    with pytest.raises(ValidationError) as err, db.write() as session:
        session.add(Setting(key="k" * 300, value=""))
    assert "dài hơn giới hạn" in err.value.message


def test_unique_violation_becomes_a_conflict(sample_db):
    """Two PCs deriving the same obligation at the same moment: the second gets a Conflict."""
    with sample_db.read() as session:
        first = session.scalars(select(Obligation).limit(1)).one()
        values = dict(
            task_id=first.task_id,
            unit_id=first.unit_id,
            period_key=first.period_key,
            due_date=first.due_date,
            submission_count=0,
            waived=False,
        )
    with pytest.raises(Conflict) as err, sample_db.write() as session:
        session.add(Obligation(**values))
    assert "cùng lúc" in err.value.message


def test_values_come_back_as_they_went_in(db):
    text = "Sở Nội vụ — “trích yếu” 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ✓ \\ % _ ' \""
    unit = units.create_unit(
        db,
        units.UnitInput(
            name=text,
            kind="so_nganh",
            note="dòng 1\ndòng 2",
            valid_from=D(1, 1, 1),
            valid_to=D(9999, 12, 31),
        ),
    )
    back = units.get_unit(db, unit.id)
    assert (back.name, back.note, back.valid_from, back.valid_to) == (
        text,
        "dòng 1\ndòng 2",
        D(1, 1, 1),
        D(9999, 12, 31),
    )
    stamp = dt.datetime(2018, 4, 18, 7, 30, 15, 123456)
    with db.write() as session:
        session.add(AuditEntry(at=stamp, user="u", action="x", entity="e", entity_id=1))
    with db.read() as session:
        assert session.scalar(select(AuditEntry.at).where(AuditEntry.action == "x")) == stamp
        # booleans and NULL dates filter alike
        active = session.scalars(
            select(Unit.id).where(Unit.active.is_(True), Unit.successor_id.is_(None))
        ).all()
    assert active == [unit.id]
    with db.read() as session:  # a LIKE wildcard typed by the user matches literally
        assert units.find_unit(session, "% _").id == unit.id
