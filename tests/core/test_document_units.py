"""Which units the summary and the reminder name (docs/domain.md, "Which units a document
names"): the sender never; a merged or dissolved unit shown apart in the report and never
addressed in a letter (its successor does not inherit what it owed); two tasks with the same
title never merged; a kind whose units are all exempt not named."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

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
def db(tmp_path: Path) -> Iterator[tuple[Database, int]]:
    database = connect(str(tmp_path / "units.db"))
    with database.write() as session:
        save_settings(
            session,
            agency_name="Sở Nội vụ",
            parent_agency="Ủy ban nhân dân tỉnh Quảng Ngãi",
            agency_abbreviation="SNV",
            place_name="Quảng Ngãi",
            drafting_unit="XDCQ",
            signer_name="Nguyễn Văn A",
        )
    create_unit(database, UnitInput(name="Sở Nội vụ", kind=UnitKind.DEPARTMENT))
    create_unit(database, UnitInput(name="Sở Tư pháp", kind=UnitKind.DEPARTMENT))
    old = create_unit(database, UnitInput(name="UBND xã Tịnh Ấn Đông", kind=UnitKind.COMMUNE))
    new = create_unit(database, UnitInput(name="UBND xã Tịnh Ấn", kind=UnitKind.COMMUNE))
    gone = create_unit(database, UnitInput(name="UBND huyện Tây Trà", kind=UnitKind.DISTRICT))
    create_unit(
        database,
        UnitInput(name="UBND xã Mới Lập", kind=UnitKind.OTHER, valid_from=dt.date(2019, 8, 1)),
    )
    directive = create_directive(
        database,
        DirectiveInput(
            number_symbol="15/KH-UBND",
            signed_date=SIGNED,
            issuer="UBND tỉnh Quảng Ngãi",
            subject="Cải cách hành chính năm 2019",
        ),
    )
    for due in (dt.date(2019, 6, 20), dt.date(2019, 9, 20)):  # same title, two deadlines
        add_task(
            database,
            directive.id,
            TaskInput(
                title="Báo cáo kết quả thực hiện",
                kind="once",
                due_date=due,
                unit_kinds=[
                    UnitKind.DEPARTMENT,
                    UnitKind.COMMUNE,
                    UnitKind.DISTRICT,
                    UnitKind.OTHER,
                ],
            ),
        )
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
    assert (
        "đơn vị đã giải thể, sáp nhập chưa gửi: UBND xã Tịnh Ấn Đông (đã sáp nhập vào UBND "
        "xã Tịnh Ấn từ ngày 01/01/2020)"
    ) in text
    assert "UBND huyện Tây Trà (không còn hoạt động từ ngày 01/01/2020)" in text
    # Two tasks of the same title are two items, each with its own deadline.
    assert text.count("Báo cáo kết quả thực hiện") == 2
    assert "Hạn gửi báo cáo: ngày 20/06/2019" in text and "ngày 20/09/2019" in text
    # "UBND xã Mới Lập" (the only unit of its kind) did not exist on the directive's date: it is
    # exempt from both tasks, and its kind is not named among those who must carry them out.
    assert any(
        k.kind is UnitKind.OTHER and k.counts.exempt and not k.counts.bound
        for t in data.tasks
        for p in t.periods
        for k in p.by_kind
    )
    assert "cơ quan, đơn vị khác" not in text
    assert all(r.unit_name != "Sở Nội vụ" for r in data.rows)


def test_reminder_addresses_only_units_that_exist(db: tuple[Database, int]) -> None:
    database, directive = db
    content, data = reminder_content(database, _options(DocumentKind.REMINDER, directive))
    addressed = {u.unit_name for u in data.units}
    assert addressed == {"Sở Tư pháp", "UBND xã Tịnh Ấn"}
    assert {u.name for u in data.not_addressed} == {"UBND huyện Tây Trà", "UBND xã Tịnh Ấn Đông"}
    text = content.plain_text()
    assert "UBND huyện Tây Trà" not in text and "Tịnh Ấn Đông" not in text
    owed = content.section("owed").text()
    assert "Sở Nội vụ" not in owed
    # Each unit once per item; the same title told apart by the task's number.
    assert owed.count("UBND xã Tịnh Ấn,") + owed.count("UBND xã Tịnh Ấn.") == 2
    assert "(nhiệm vụ 1)" in owed and "(nhiệm vụ 2)" in owed
    assert content.kinh_gui == ("Sở Tư pháp", "UBND xã Tịnh Ấn")


def test_current_round_earlier_overdue_and_closed_periods(tmp_path: Path) -> None:
    """A quarterly report: Q1 and Q2 received in full (summed up in one line), Q3 (the current
    round) and Q4 of the year before still owed by one unit (named), Q4 of this year not due
    (not written)."""
    from app.services.submissions import SubmissionInput, record_submission, resolve_obligation

    database = connect(str(tmp_path / "periods.db"))
    try:
        with database.write() as session:
            save_settings(
                session,
                agency_name="Sở Nội vụ",
                parent_agency="UBND tỉnh Quảng Ngãi",
                agency_abbreviation="SNV",
                place_name="Quảng Ngãi",
                drafting_unit="XDCQ",
                signer_name="Nguyễn Văn A",
            )
        for name in ("Sở Tư pháp", "Sở Y tế"):
            create_unit(database, UnitInput(name=name, kind=UnitKind.DEPARTMENT))
        directive = create_directive(
            database,
            DirectiveInput(
                number_symbol="20/CT-UBND",
                signed_date=dt.date(2018, 10, 1),
                issuer="UBND tỉnh Quảng Ngãi",
                subject="Tăng cường kỷ luật hành chính",
            ),
        )
        add_task(
            database,
            directive.id,
            TaskInput(
                title="Báo cáo quý",
                kind="periodic",
                period_kind="quarter",
                start_date=dt.date(2018, 10, 1),
                end_date=dt.date(2019, 12, 31),
                unit_kinds=[UnitKind.DEPARTMENT],
            ),
        )
        received = {  # (unit, period) -> received (20th of the quarter's last month is due)
            ("Sở Tư pháp", "Quý IV/2018"): dt.date(2018, 12, 18),
            ("Sở Tư pháp", "Quý I/2019"): dt.date(2019, 3, 18),
            ("Sở Y tế", "Quý I/2019"): dt.date(2019, 3, 19),
            ("Sở Tư pháp", "Quý II/2019"): dt.date(2019, 6, 19),
            ("Sở Y tế", "Quý II/2019"): dt.date(2019, 6, 25),
            ("Sở Tư pháp", "Quý III/2019"): dt.date(2019, 9, 20),
        }
        for n, ((unit, period), day) in enumerate(received.items(), start=1):
            with database.read() as session:
                obligation = resolve_obligation(
                    session, unit=unit, directive="20/CT-UBND", task="Báo cáo quý", period=period
                )
            record_submission(
                database,
                SubmissionInput(
                    obligation_id=obligation.id,
                    number_symbol=f"{n}/BC",
                    signed_date=day,
                    received_date=day,
                ),
                today=day,
            )
        content, _ = summary_content(
            database,
            DocumentOptions(
                kind=DocumentKind.SUMMARY,
                as_of=dt.date(2019, 10, 15),
                directive_id=directive.id,
                today=dt.date(2019, 10, 15),
            ),
        )
    finally:
        database.dispose()
    text = content.section("results").text()
    assert "a) Kỳ quý III/2019 (hạn ngày 20/09/2019)" in text
    assert "đã nhận 1/2 báo cáo (đúng hạn); 1 đơn vị quá hạn chưa gửi: Sở Y tế." in text
    assert "b) Các kỳ trước" in text
    assert (
        "- Các kỳ đã nhận đủ báo cáo (2 kỳ, từ kỳ quý I/2019 đến kỳ quý II/2019): tổng cộng "
        "4 báo cáo (3 đúng hạn, 1 quá hạn);"
    ) in text
    assert (
        "- Kỳ quý IV/2018 (hạn ngày 20/12/2018): đã nhận 1/2 báo cáo (đúng hạn); quá hạn "
        "chưa gửi: Sở Y tế."
    ) in text
    assert "quý IV/2019" not in text  # not due: nothing to say
