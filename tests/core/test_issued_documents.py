"""Issued documents kept with their edited text; reminders counted per unit (no Qt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from app.db import Database, connect
from app.errors import NotFound, ValidationError
from app.services.audit import history
from app.services.directives import list_directives
from app.services.issued_documents import (
    IssuedInput,
    delete_issued,
    get_issued,
    last_reminders,
    list_issued,
    record_issued,
    reminder_note,
    reminders_sent,
    update_issued,
)
from app.services.sample import load_sample
from app.services.units import list_units


@pytest.fixture()
def db(tmp_path) -> Iterator[Database]:  # type: ignore[no-untyped-def]
    database = connect(str(tmp_path / "s.db"))
    load_sample(database)
    yield database
    database.dispose()


def test_a_document_is_kept_with_its_text_reopened_and_changed(db: Database) -> None:
    directive = list_directives(db)[0].id
    info = record_issued(
        db,
        IssuedInput(
            kind="summary",
            as_of=dt.date(2018, 5, 2),
            directive_id=directive,
            title="Kết quả theo dõi",
            signer="Nguyễn Văn A",
            recipients=("Như trên", "Lưu: VT, XDCQ"),
            edits={"opening": "Đoạn mở đầu đã sửa."},
        ),
    )
    again = get_issued(db, info.id)
    assert again.edits == {"opening": "Đoạn mở đầu đã sửa."}
    assert again.recipients == ("Như trên", "Lưu: VT, XDCQ")
    assert again.directive_symbol == "2116/UBND-NC" and again.kind_label == "Báo cáo tổng hợp"
    changed = update_issued(
        db,
        info.id,
        IssuedInput(
            kind="summary",
            as_of=dt.date(2018, 5, 2),
            directive_id=directive,
            number="15",
            issued_date=dt.date(2018, 5, 3),
        ),
    )
    assert changed.number == "15" and changed.day == dt.date(2018, 5, 3)
    actions = [h.action for h in history(db, "issued_document", info.id)]
    assert actions == ["update", "create"]
    delete_issued(db, info.id)
    with pytest.raises(NotFound):
        get_issued(db, info.id)


def test_bad_input_is_refused_in_vietnamese(db: Database) -> None:
    with pytest.raises(ValidationError, match="Số văn bản"):
        record_issued(db, IssuedInput(kind="summary", as_of=dt.date(2018, 5, 2), number="x"))
    with pytest.raises(NotFound, match="đơn vị"):
        record_issued(
            db, IssuedInput(kind="reminder", as_of=dt.date(2018, 5, 2), unit_ids=(99999,))
        )


def test_reminders_are_numbered_per_unit_and_replayed_by_day(db: Database) -> None:
    directive = list_directives(db)[0].id
    units = [u.id for u in list_units(db)][:3]
    record_issued(
        db,
        IssuedInput(
            kind="reminder",
            as_of=dt.date(2018, 5, 2),
            directive_id=directive,
            unit_ids=tuple(units),
        ),
    )
    record_issued(
        db,
        IssuedInput(
            kind="reminder",
            as_of=dt.date(2018, 5, 10),
            issued_date=dt.date(2018, 5, 11),
            directive_id=directive,
            unit_ids=(units[0],),
        ),
    )
    sent = reminders_sent(db, directive_id=directive)
    assert [(r.unit_id, r.number) for r in sent] == [
        (units[0], 1),
        (units[1], 1),
        (units[2], 1),
        (units[0], 2),
    ]
    last = last_reminders(db, directive_id=directive)
    assert reminder_note(last[(units[0], directive)]) == "đã đôn đốc lần 2, ngày 11/05/2018"
    before = last_reminders(db, directive_id=directive, until=dt.date(2018, 5, 10))
    assert before[(units[0], directive)].number == 1
    assert len(list_issued(db, unit_id=units[0])) == 2
    assert len(list_issued(db, unit_id=units[1])) == 1
