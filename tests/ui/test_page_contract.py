"""The contract between the window and its pages (ui/pages/base.py): every tab is a Page, a
write is broadcast as what it changed and each page reloads only when that concerns it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from app.changes import Change
from app.errors import Conflict
from app.models import UnitKind
from app.services import directives, submissions, units
from app.services.calendar_days import list_calendar_days
from tests.ui.conftest import page_of, with_modal
from ui.pages.base import Page
from ui.pages.dashboard_page import DashboardPage
from ui.pages.directives_page import DirectivesPage
from ui.pages.plans_page import PlansPage
from ui.pages.units_page import UnitsPage
from ui.pages.warnings_page import WarningsPage


def _count_refreshes(window: Any, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    counts = {type(p).__name__: 0 for p in window.pages}
    for page in window.pages:
        real = page.refresh

        def counted(real: Any = real, name: str = type(page).__name__) -> None:
            counts[name] += 1
            real()

        monkeypatch.setattr(page, "refresh", counted)
    return counts


def test_every_tab_is_a_loaded_page(window) -> None:  # type: ignore[no-untyped-def]
    assert window.tabs.count() == len(window.pages) == 6
    for i in range(window.tabs.count()):
        page = window.tabs.widget(i)
        assert isinstance(page, Page) and page.main_window is window
        assert page.is_loaded
    # Menu actions a page does not offer do nothing (the overview has no "Thêm mới").
    window.tabs.setCurrentWidget(next(p for p in window.pages if isinstance(p, DashboardPage)))
    window.page_actions["new_item"].trigger()
    window.page_actions["delete_item"].trigger()


def test_each_page_reloads_only_what_concerns_it(window, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    counts = _count_refreshes(window, monkeypatch)
    window.broadcast(Change.DAY)
    assert counts == {
        "DashboardPage": 1,
        "WarningsPage": 1,
        "PlansPage": 1,
        "ReportsPage": 1,
        "DirectivesPage": 0,
        "UnitsPage": 0,
    }
    window.broadcast(Change.UNITS)
    assert all(n == 2 for name, n in counts.items() if name not in ("DirectivesPage", "UnitsPage"))
    assert counts["DirectivesPage"] == 1 and counts["UnitsPage"] == 1
    reminded: list[int] = []
    warnings = next(p for p in window.pages if isinstance(p, WarningsPage))
    monkeypatch.setattr(warnings, "reload_reminded", lambda: reminded.append(1))
    window.broadcast(Change.DOCUMENTS)  # a reminder kept: only the reminders column again
    assert reminded == [1] and sum(counts.values()) == 2 * 4 + 2


def test_a_write_is_broadcast_once_by_its_page(window, monkeypatch, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = next(p for p in window.pages if isinstance(p, UnitsPage))
    window.tabs.setCurrentWidget(page)
    first, second = sorted(
        (u for u in units.list_units(window.db) if u.kind is page.model.rows()[0].kind),
        key=lambda u: (u.sort_order, u.id),
    )[:2]
    page.table.select_id(second.id)
    counts = _count_refreshes(window, monkeypatch)
    with qtbot.waitSignal(window.changed) as changed:
        page.move_current(-1)
    assert changed.args == [Change.UNITS]
    assert counts["UnitsPage"] == 1 and counts["DashboardPage"] == 1
    assert counts["DirectivesPage"] == 1
    order = {u.id: u.sort_order for u in units.list_units(window.db)}
    assert order[second.id] < order[first.id]  # moved up, above the one that was first
    assert page.current().id == second.id  # and still selected


def test_an_operation_refused_says_why_and_changes_nothing(  # type: ignore[no-untyped-def]
    window, message_log, monkeypatch
) -> None:
    page = next(p for p in window.pages if isinstance(p, DirectivesPage))
    counts = _count_refreshes(window, monkeypatch)

    def refuse() -> None:
        raise Conflict("Văn bản đã có đơn vị gửi báo cáo: không xoá được.")

    seen: list[object] = []
    window.changed.connect(seen.append)
    assert page.operate(refuse, done=seen.append) is False
    assert message_log.errors == ["Văn bản đã có đơn vị gửi báo cáo: không xoá được."]
    assert seen == [] and sum(counts.values()) == 0
    message_log.answer = False  # the user says no: the service is not called
    called: list[int] = []
    from ui.pages.base import Confirm

    page.operate(lambda: called.append(1), confirm=Confirm("Xoá", "Xoá?", yes="Xoá"))
    assert called == [] and message_log.confirms == ["Xoá?"]


def test_a_form_saved_from_a_page_is_told_once_by_what_it_wrote(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch
) -> None:
    """The unit form saves itself (FormDialog.accept, an operation of its own inside the page's
    ``exec_form``): one broadcast, of what the database recorded, when it closes."""
    page = page_of(window, UnitsPage)
    counts = _count_refreshes(window, monkeypatch)
    seen: list[Change] = []
    window.changed.connect(seen.append)

    def fill(dialog: Any) -> None:
        dialog.name_edit.setText("UBND xã Thử Nghiệm")
        dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(UnitKind.COMMUNE.value))
        dialog.accept()

    assert with_modal(qtbot, page.new_item, fill).accepted
    assert seen == [Change.UNITS]  # no task binds communes: no obligation made
    assert counts == {
        "DashboardPage": 1,
        "WarningsPage": 1,
        "PlansPage": 1,
        "ReportsPage": 1,
        "DirectivesPage": 1,
        "UnitsPage": 1,  # itself, after the form closed
    }


def test_a_submission_removed_reloads_only_the_pages_it_concerns(  # type: ignore[no-untyped-def]
    window, monkeypatch
) -> None:
    page = page_of(window, PlansPage)
    row = page.model.rows()[0]
    document = submissions.SubmissionInput(
        row.id, "45/KH-UBND", dt.date(2018, 4, 25), dt.date(2018, 4, 27)
    )
    submissions.record_submission(window.db, document, today=window.today())
    page.reload_now()
    page.table.select_id(row.id)
    assert page.current_document() is not None or page.current().submission_id is not None
    counts = _count_refreshes(window, monkeypatch)
    seen: list[Change] = []
    window.changed.connect(seen.append)
    page.delete_item()
    assert seen == [Change.SUBMISSIONS]
    assert counts == {
        "DashboardPage": 1,
        "WarningsPage": 1,
        "ReportsPage": 1,
        "PlansPage": 0,  # the page that wrote reloads itself (its own ``done``)
        "DirectivesPage": 0,  # directives, tasks and units: nothing of theirs changed
        "UnitsPage": 0,
    }


def test_a_write_that_then_fails_is_still_told(window, message_log, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Committed is committed: the pages reload, the page that wrote too (its ``done``, which
    would have reloaded it, is not called)."""
    page = page_of(window, UnitsPage)
    counts = _count_refreshes(window, monkeypatch)

    def half_done() -> None:
        units.create_unit(window.db, units.UnitInput(name="UBND xã Nửa Chừng", kind="xa"))
        raise Conflict("Bước sau không làm được.")

    assert page.operate(half_done, done=lambda _r: None) is False
    assert message_log.errors == ["Bước sau không làm được."]
    assert counts["UnitsPage"] == 1 and counts["DirectivesPage"] == 1


def test_the_holidays_table_is_told_once_when_it_closes(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch
) -> None:
    counts = _count_refreshes(window, monkeypatch)
    seen: list[Change] = []
    window.changed.connect(seen.append)

    def fill(dialog: Any) -> None:
        for day, name in (("20/06/2018", "Nghỉ thêm"), ("21/06/2018", "Nghỉ thêm nữa")):
            dialog.day_edit.setText(day)
            dialog.name_edit.setText(name)
            dialog.add_button.click()
        assert seen == []  # not while the table is open
        dialog.reject()

    with_modal(qtbot, window.deadline_actions.calendar_action.trigger, fill)
    assert len(list_calendar_days(window.db)) == 2
    assert len(seen) == 1 and seen[0] & Change.SETTINGS
    assert counts["UnitsPage"] == 0 and counts["DirectivesPage"] == 1


def test_closing_a_read_only_obligation_writes_and_tells_nothing(  # type: ignore[no-untyped-def]
    window, monkeypatch
) -> None:
    seen: list[Change] = []
    window.changed.connect(seen.append)
    warnings = page_of(window, WarningsPage)
    obligation_id = warnings.model.row_at(0).id
    for page in window.pages:  # no page handles it: the read-only detail opens
        monkeypatch.setattr(page, "open_obligation", lambda _id: False)
    window.open_obligation(obligation_id)
    window.obligation_dialog.reject()
    assert seen == []


def test_an_import_and_its_undo_are_told_as_what_they_wrote(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch, tmp_path
) -> None:
    import openpyxl

    from app.exchange.xlsx_import import write_template

    path = write_template("units", tmp_path / "don-vi.xlsx")
    book = openpyxl.load_workbook(path)
    book["Nhập liệu"].cell(4, 1, "UBND xã Nhập Mới")
    book["Nhập liệu"].cell(4, 3, "xã")
    book.save(path)
    counts = _count_refreshes(window, monkeypatch)
    seen: list[Change] = []
    window.changed.connect(seen.append)
    dialog = window.data_actions.import_file("units", path)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        dialog.import_button.click()
    assert seen == [Change.UNITS]  # the units, not the batch nor the history
    assert counts["UnitsPage"] == 1 and counts["WarningsPage"] == 1
    with qtbot.waitSignal(dialog.undone, timeout=10_000):
        dialog.undo_button.click()
    assert seen == [Change.UNITS, Change.UNITS]
    dialog.close()


def test_the_print_dialogs_wording_is_told_when_it_closes(  # type: ignore[no-untyped-def]
    qtbot, window, monkeypatch
) -> None:
    """The report's texts are saved with the directive at every preview while she types: the
    lists are told once, when the dialog closes, not at every pause."""
    directive = directives.list_directives(window.db)[0]
    dialog = window.open_document_dialog("summary", directive_id=directive.id)
    qtbot.addWidget(dialog)
    counts = _count_refreshes(window, monkeypatch)
    seen: list[Change] = []
    window.changed.connect(seen.append)
    for text in ("Đánh giá", "Đánh giá chung: tốt"):
        dialog.assessment_edit.setPlainText(text)
        dialog.generate(quiet=True)
        qtbot.waitUntil(lambda: not dialog.busy(), timeout=20_000)
    assert directives.get_directive(window.db, directive.id).report_assessment == (
        "Đánh giá chung: tốt"
    )
    assert seen == [] and sum(counts.values()) == 0
    dialog.reject()
    assert seen == [Change.DIRECTIVES]
    assert counts["DirectivesPage"] == 1 and counts["UnitsPage"] == 0
