"""Writes say what they changed (app/changes.py): each family of services, run inside
``db.track_changes()``, yields the Change its tables map to; a rolled-back transaction, a
read, another thread's write and the audit trail yield nothing."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

import openpyxl
import pytest

from app.changes import CHANGE_OF, Change, change_of_table
from app.db import Database
from app.errors import ValidationError
from app.exchange.xlsx_import import apply_import, preview_import, write_template
from app.models import Base, Setting, Unit
from app.services import directives, submissions, units
from app.services.calendar_days import CalendarDayInput, add_calendar_day
from app.services.configuration import update_settings
from app.services.imports import undo_import
from app.services.issued_documents import IssuedInput, delete_issued, record_issued
from app.services.obligations import list_obligations, set_waived

D = dt.date
TODAY = D(2018, 12, 31)


def _written(db: Database, call) -> Change:  # type: ignore[no-untyped-def]
    with db.track_changes() as written:
        call()
    return written.value


def test_every_table_says_what_a_write_to_it_changes() -> None:
    mapped = {model.__tablename__ for model in CHANGE_OF}
    assert mapped == set(Base.metadata.tables)
    assert change_of_table("unit") is Change.UNITS
    assert change_of_table("audit_entry") is Change.NONE
    assert change_of_table("a_table_nobody_mapped") == Change.ALL & ~Change.DAY
    assert all(not change & Change.DAY for change in CHANGE_OF.values())  # a write is no day


def test_units_directives_and_tasks(db: Database) -> None:
    data = units.UnitInput(name="UBND huyện Thử", kind="huyen")
    unit = units.create_unit(db, data)
    assert _written(db, lambda: units.create_unit(db, units.UnitInput("UBND xã A", "xa"))) == (
        Change.UNITS
    )
    renamed = units.UnitInput(name="UBND huyện Thử Nghiệm", kind="huyen")
    assert _written(db, lambda: units.update_unit(db, unit.id, renamed)) is Change.UNITS
    directive = directives.create_directive(
        db, directives.DirectiveInput("10/KH-UBND", D(2018, 4, 18), subject="Thử")
    )
    task = directives.TaskInput(
        title="Kế hoạch", kind="once", due_date=D(2018, 6, 30), unit_kinds=["huyen"]
    )
    with db.track_changes() as written:
        info, _sync = directives.add_task(db, directive.id, task)
    # the task and the obligations it binds
    assert written.value == Change.DIRECTIVES | Change.SUBMISSIONS
    assert _written(db, lambda: directives.delete_task(db, info.id)) == (
        Change.DIRECTIVES | Change.SUBMISSIONS
    )
    assert _written(db, lambda: directives.delete_directive(db, directive.id)) is Change.DIRECTIVES
    extra = units.create_unit(db, units.UnitInput(name="UBND xã Xoá", kind="xa"))
    assert _written(db, lambda: units.delete_unit(db, extra.id)) is Change.UNITS


def test_a_unit_bound_by_a_task_brings_its_obligations(db: Database) -> None:
    directive = directives.create_directive(
        db, directives.DirectiveInput("11/KH-UBND", D(2018, 4, 18), subject="Thử")
    )
    task = directives.TaskInput(
        title="Báo cáo", kind="once", due_date=D(2018, 6, 30), unit_kinds=["huyen"]
    )
    directives.add_task(db, directive.id, task)
    new = units.UnitInput(name="UBND huyện Mới", kind="huyen")
    assert _written(db, lambda: units.create_unit(db, new)) == Change.UNITS | Change.SUBMISSIONS


def test_submissions_waivers_documents_settings_and_holidays(sample_db: Database) -> None:
    row = list_obligations(sample_db, D(2018, 7, 1))[0]
    document = submissions.SubmissionInput(
        obligation_id=row.id,
        number_symbol="45/KH-UBND",
        signed_date=D(2018, 4, 25),
        received_date=D(2018, 4, 27),
    )
    with sample_db.track_changes() as written:
        recorded = submissions.record_submission(sample_db, document, today=TODAY)
    assert written.value is Change.SUBMISSIONS
    assert _written(sample_db, lambda: submissions.delete_submission(sample_db, recorded.id)) is (
        Change.SUBMISSIONS
    )
    assert _written(sample_db, lambda: set_waived(sample_db, row.id, True, "Sáp nhập")) is (
        Change.SUBMISSIONS
    )
    reminder = IssuedInput(kind="reminder", as_of=TODAY, directive_id=row.directive_id)
    with sample_db.track_changes() as written:
        issued = record_issued(sample_db, reminder)
    assert written.value is Change.DOCUMENTS
    assert _written(sample_db, lambda: delete_issued(sample_db, issued.id)) is Change.DOCUMENTS
    assert _written(sample_db, lambda: update_settings(sample_db, warning_days=12)) is (
        Change.SETTINGS
    )
    # a value set again as it was writes nothing
    assert _written(sample_db, lambda: update_settings(sample_db, warning_days=12)) is Change.NONE
    holiday = CalendarDayInput(D(2019, 1, 2), working=False, name="Nghỉ thêm")
    assert _written(
        sample_db, lambda: add_calendar_day(sample_db, holiday, today=D(2018, 12, 1))
    ) & (Change.SETTINGS)
    # reading changes nothing
    assert _written(sample_db, lambda: list_obligations(sample_db, TODAY)) is Change.NONE


def test_an_import_says_what_it_wrote_and_so_does_its_undo(db: Database, tmp_path: Path) -> None:
    path = write_template("units", tmp_path / "units.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Nhập liệu"]
    sheet.cell(4, 1, "UBND xã Nhập")
    sheet.cell(4, 3, "xã")
    book.save(path)
    preview = preview_import(db, "units", path, today=TODAY)
    assert not preview.has_errors
    with db.track_changes() as written:
        result = apply_import(db, preview, today=TODAY)
    assert written.value is Change.UNITS  # not the batch, not the history
    assert result.batch_id is not None
    batch_id = result.batch_id
    assert _written(db, lambda: undo_import(db, batch_id)) is Change.UNITS


def test_a_rolled_back_write_says_nothing(db: Database) -> None:
    unit = units.create_unit(db, units.UnitInput(name="UBND huyện Có", kind="huyen"))
    duplicate = units.UnitInput(name="UBND huyện Có", kind="huyen")
    with db.track_changes() as written:
        with pytest.raises(ValidationError):  # refused before anything is written
            units.create_unit(db, duplicate)
        with pytest.raises(RuntimeError), db.write() as session:
            session.add(Unit(name="UBND xã Bỏ", kind="xa", search_key="ubnd xa bo"))
            session.flush()
            raise RuntimeError("rolled back")
        with pytest.raises(RuntimeError), db.write() as session:
            session.add(Setting(key="warning_days", value="30"))
            session.flush()
            raise RuntimeError("rolled back")
    assert written.value is Change.NONE
    assert [u.id for u in units.list_units(db)] == [unit.id]


def test_blocks_nest_and_see_only_their_own_thread(db: Database) -> None:
    seen: list[Change] = []

    def elsewhere() -> None:  # another thread's write: not this operation's
        units.create_unit(db, units.UnitInput(name="UBND xã Khác", kind="xa"))

    with db.track_changes() as outer:
        assert db.tracking_changes
        with db.track_changes() as inner:
            update_settings(db, warning_days=20)
        seen.append(inner.value)
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    assert not db.tracking_changes
    assert seen == [Change.SETTINGS] and outer.value is Change.SETTINGS
    assert len(units.list_units(db)) == 1  # the other thread did write
