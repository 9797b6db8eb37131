"""Two PCs on one server: a form saved after another PC changed the same record asks what to
do (save mine over it / keep theirs / go back to the form) and never overwrites silently."""

from __future__ import annotations

from typing import Any

import pytest

from app.services import units
from app.services.units import UnitInput
from tests.ui.conftest import page_of, type_text
from ui.dialogs import messages
from ui.dialogs.unit_dialog import UnitDialog
from ui.pages.units_page import UnitsPage


def _other_pc_sets_phone(db, unit_id: int, phone: str) -> None:
    u = units.get_unit(db, unit_id)
    units.update_unit(
        db,
        unit_id,
        UnitInput(
            name=u.name,
            short_name=u.short_name,
            kind=u.kind.value,
            sort_order=u.sort_order,
            head_title=u.head_title,
            address=u.address,
            phone=phone,
            email=u.email,
            contact_person=u.contact_person,
            note=u.note,
            active=u.active,
            valid_from=u.valid_from,
            valid_to=u.valid_to,
        ),
    )


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    record: dict[str, Any] = {"calls": [], "answers": []}

    def ask(
        _parent: Any,
        exc: Any,
        labels: dict[str, str] | None = None,
        mine: dict[str, object] | None = None,
    ) -> str:
        record["calls"].append((exc, labels, mine))
        return record["answers"].pop(0)

    monkeypatch.setattr(messages, "ask_stale_edit", ask)
    return record


def _open_and_change(qtbot: Any, window: Any) -> tuple[UnitDialog, Any]:
    page = page_of(window, UnitsPage)
    page.table.selectRow(0)
    unit = page.current()
    dialog = UnitDialog(window.db, unit, page)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.clear()
    type_text(dialog.name_edit, unit.name + " (đã sửa)")
    _other_pc_sets_phone(window.db, unit.id, "0255 3822 999")  # another PC, meanwhile
    return dialog, unit


def test_back_keeps_the_form_open_with_everything_typed(qtbot, window, asked) -> None:
    dialog, unit = _open_and_change(qtbot, window)
    asked["answers"] = [messages.STALE_BACK]
    dialog.save_button.click()
    assert len(asked["calls"]) == 1
    exc, labels, mine = asked["calls"][0]
    assert exc.current["phone"] == "0255 3822 999"
    assert labels["phone"] == "Điện thoại"
    assert mine["name"] == unit.name + " (đã sửa)"
    assert dialog.isVisible() and dialog.saved is None
    assert dialog.name_edit.text() == unit.name + " (đã sửa)"
    stored = units.get_unit(window.db, unit.id)
    assert stored.name == unit.name and stored.phone == "0255 3822 999"


def test_save_mine_saves_again_over_the_other_version(qtbot, window, asked) -> None:
    dialog, unit = _open_and_change(qtbot, window)
    asked["answers"] = [messages.STALE_SAVE_MINE]
    dialog.save_button.click()
    assert len(asked["calls"]) == 1
    assert not dialog.isVisible()
    assert dialog.result() == dialog.DialogCode.Accepted
    stored = units.get_unit(window.db, unit.id)
    assert stored.name == unit.name + " (đã sửa)"
    assert stored.version == asked["calls"][0][0].current_version + 1


def test_keep_theirs_closes_the_form_and_reloads(qtbot, window, asked) -> None:
    dialog, unit = _open_and_change(qtbot, window)
    page = page_of(window, UnitsPage)
    asked["answers"] = [messages.STALE_KEEP_THEIRS]
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert dialog.result() == dialog.DialogCode.Rejected and dialog.kept_theirs
    stored = units.get_unit(window.db, unit.id)
    assert stored.name == unit.name and stored.phone == "0255 3822 999"
    shown = next(u for u in page.model.rows() if u.id == unit.id)
    assert shown.phone == "0255 3822 999"  # the page shows the other PC's version


def test_back_then_save_mine_later(qtbot, window, asked) -> None:
    dialog, unit = _open_and_change(qtbot, window)
    asked["answers"] = [messages.STALE_BACK, messages.STALE_SAVE_MINE]
    dialog.save_button.click()
    assert dialog.isVisible()
    dialog.save_button.click()
    assert len(asked["calls"]) == 2
    assert units.get_unit(window.db, unit.id).name == unit.name + " (đã sửa)"


def test_directive_form_saves_mine_after_another_pc_wrote_report_texts(
    qtbot, window, asked
) -> None:
    from app.services import directives
    from ui.dialogs.directive_dialog import DirectiveDialog

    directive = directives.list_directives(window.db)[0]
    dialog = DirectiveDialog(window.db, directive)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.note_edit, "Ghi chu moi. ")
    directives.save_report_texts(
        window.db, directive.id, assessment="Đánh giá của máy khác", difficulties="", proposals=""
    )
    asked["answers"] = [messages.STALE_BACK, messages.STALE_SAVE_MINE]
    dialog.save_button.click()
    assert dialog.isVisible()  # back: nothing lost
    assert "Ghi chu moi. " in dialog.note_edit.toPlainText()
    dialog.save_button.click()
    assert not dialog.isVisible() and len(asked["calls"]) == 2
    saved = directives.get_directive(window.db, directive.id)
    assert "Ghi chu moi." in saved.note
    assert saved.report_assessment == "Đánh giá của máy khác"  # their other change is kept
