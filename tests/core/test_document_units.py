"""Which units the summary and the reminder name (docs/domain.md, "Which units a document
names"): the sender never; a merged or dissolved unit shown apart in the report and never
addressed in a letter (its successor does not inherit what it owed); two tasks with the same
title never merged; a kind whose units are all exempt not named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.reminder_letter import reminder_content
from app.documents.summary_report import summary_content
from app.models import UnitKind
from app.services.directives import DirectiveInput, TaskInput, add_task, create_directive
from app.services.units import UnitInput, create_unit, record_merger
from app.settings import save_settings

SIGNED = dt.date(2019, 3, 1)
AS_OF = dt.date(2020, 3, 2)


@pytest.fixture()
def db(tmp_path) -> Iterator[tuple[Database, int]]:  # type: ignore[no-untyped-def]
    database = connect(str(tmp_path / "units.db"))
    with database.write() as session:
        save_settings(session, agency_name="Sở Nội vụ",
                      parent_agency="Ủy ban nhân dân tỉnh Quảng Ngãi", agency_abbreviation="SNV",
                      place_name="Quảng Ngãi", drafting_unit="XDCQ", signer_name="Nguyễn Văn A")
    create_unit(database, UnitInput(name="Sở Nội vụ", kind=UnitKind.DEPARTMENT))
    create_unit(database, UnitInput(name="Sở Tư pháp", kind=UnitKind.DEPARTMENT))
    old = create_unit(database, UnitInput(name="UBND xã Tịnh Ấn Đông", kind=UnitKind.COMMUNE))
    new = create_unit(database, UnitInput(name="UBND xã Tịnh Ấn", kind=UnitKind.COMMUNE))
    gone = create_unit(database, UnitInput(name="UBND huyện Tây Trà", kind=UnitKind.DISTRICT))
    create_unit(database, UnitInput(name="UBND xã Mới Lập", kind=UnitKind.OTHER,
                                    valid_from=dt.date(2019, 8, 1)))
    directive = create_directive(database, DirectiveInput(
        number_symbol="15/KH-UBND", signed_date=SIGNED, issuer="UBND tỉnh Quảng Ngãi",
        subject="Cải cách hành chính năm 2019"))
    for due in (dt.date(2019, 6, 20), dt.date(2019, 9, 20)):  # same title, two deadlines
        add_task(database, directive.id, TaskInput(
            title="Báo cáo kết quả thực hiện", kind="once", due_date=due,
            unit_kinds=[UnitKind.DEPARTMENT, UnitKind.COMMUNE, UnitKind.DISTRICT,
                        UnitKind.OTHER]))
    record_merger(database, old.id, new.id, dt.date(2020, 1, 1))
    # The district is dissolved with no successor.
    with database.write() as session:
        from app.models import Unit
        unit = session.get(Unit, gone.id)
        assert unit is not None
        unit.valid_to = dt.date(2019, 12, 31)
    yield database, directive.id
    database.dispose()


def _options(kind: DocumentKind, directive: int) -> DocumentOptions:
    return DocumentOptions(kind=kind, as_of=AS_OF, directive_id=directive, today=AS_OF)


def test_summary_names_everyone_overdue_but_the_sender(db: tuple[Database, int]) -> None:
    database, directive = db
    content, data = summary_content(database, _options(DocumentKind.SUMMARY, directive))
    text = content.section("results").text()
    assert "Sở Nội vụ" not in text  # the sender is not among the units it follows
    assert "quá hạn chưa gửi: Sở Tư pháp" in text
    assert ("đơn vị đã giải thể, sáp nhập chưa gửi: UBND xã Tịnh Ấn Đông (đã sáp nhập vào UBND "
            "xã Tịnh Ấn từ ngày 01/01/2020)") in text
    assert "UBND huyện Tây Trà (không còn hoạt động từ ngày 01/01/2020)" in text
    # Two tasks of the same title are two items, each with its own deadline.
    assert text.count("Báo cáo kết quả thực hiện") == 2
    assert "Hạn gửi báo cáo: ngày 20/06/2019" in text and "ngày 20/09/2019" in text
    # "UBND xã Mới Lập" (the only unit of its kind) did not exist on the directive's date: it is
    # exempt from both tasks, and its kind is not named among those who must carry them out.
    assert any(k.kind is UnitKind.OTHER and k.counts.exempt and not k.counts.bound
               for t in data.tasks for p in t.periods for k in p.by_kind)
    assert "cơ quan, đơn vị khác" not in text
    assert all(r.unit_name != "Sở Nội vụ" for r in data.rows)


def test_reminder_addresses_only_units_that_exist(db: tuple[Database, int]) -> None:
    database, directive = db
    content, data = reminder_content(database, _options(DocumentKind.REMINDER, directive))
    addressed = {u.unit_name for u in data.units}
    assert addressed == {"Sở Tư pháp", "UBND xã Tịnh Ấn"}
    assert {u.name for u in data.not_addressed} == {"UBND huyện Tây Trà",
                                                     "UBND xã Tịnh Ấn Đông"}
    text = content.plain_text()
    assert "UBND huyện Tây Trà" not in text and "Tịnh Ấn Đông" not in text
    owed = content.section("owed").text()
    assert "Sở Nội vụ" not in owed
    # Each unit once per item; the same title told apart by the task's number.
    assert owed.count("UBND xã Tịnh Ấn,") + owed.count("UBND xã Tịnh Ấn.") == 2
    assert "(nhiệm vụ 1)" in owed and "(nhiệm vụ 2)" in owed
    assert content.kinh_gui == ("Sở Tư pháp", "UBND xã Tịnh Ấn")
