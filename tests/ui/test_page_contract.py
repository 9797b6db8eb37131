"""The contract between the window and its pages (ui/pages/base.py): every tab is a Page, a
write is broadcast as what it changed and each page reloads only when that concerns it."""

from __future__ import annotations

from typing import Any

import pytest

from app.errors import Conflict
from app.services import units
from ui.pages.base import Change, Page
from ui.pages.dashboard_page import DashboardPage
from ui.pages.directives_page import DirectivesPage
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
    assert page.operate(refuse, change=Change.DIRECTIVES, done=seen.append) is False
    assert message_log.errors == ["Văn bản đã có đơn vị gửi báo cáo: không xoá được."]
    assert seen == [] and sum(counts.values()) == 0
    message_log.answer = False  # the user says no: the service is not called
    called: list[int] = []
    from ui.pages.base import Confirm

    page.operate(
        lambda: called.append(1),
        change=Change.DIRECTIVES,
        confirm=Confirm("Xoá", "Xoá?", yes="Xoá"),
    )
    assert called == [] and message_log.confirms == ["Xoá?"]
