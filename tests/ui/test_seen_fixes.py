"""The smaller things seen on day one: the print dialog's page range, "Mở tệp" that cannot open,
margins in millimetres."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QSpinBox


def test_print_dialog_offers_every_page(qtbot: Any) -> None:
    from ui.dialogs.document_dialog import print_dialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = print_dialog(printer, 5)
    qtbot.addWidget(dialog)
    dialog.show()
    spins = {s.objectName(): s for s in dialog.findChildren(QSpinBox)}
    assert (dialog.minPage(), dialog.maxPage()) == (1, 5)
    assert (printer.fromPage(), printer.toPage()) == (1, 5)
    if "from" in spins:  # Qt's own dialog (the Windows one is drawn by the system)
        assert (spins["from"].value(), spins["to"].value()) == (1, 5)


def test_open_file_that_the_system_cannot_open_says_so(
    qtbot: Any, db: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch, message_log: Any
) -> None:
    from ui.widgets import attachment_field

    target = tmp_path / "ke-hoach.xyz"
    target.write_text("x", encoding="utf-8")
    monkeypatch.setattr(attachment_field.attachments, "open_path", lambda _db, _s: target)
    monkeypatch.setattr(attachment_field.QDesktopServices, "openUrl", lambda _url: False)
    assert attachment_field.open_attachment(None, db, "dinh-kem/ke-hoach.xyz") is False
    assert message_log.errors and "ke-hoach.xyz" in message_log.errors[-1]
    assert ".xyz" in message_log.errors[-1] and str(tmp_path) in message_log.errors[-1]


def test_settings_margins_read_20_mm(qtbot: Any, db: Any) -> None:
    from ui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(db)
    qtbot.addWidget(dialog)
    spin = dialog.margins["margin_top_mm"]
    spin.setValue(20.0)
    assert spin.text() == "20 mm"
    spin.setValue(22.5)
    assert spin.text() == "22,5 mm"
    spin.lineEdit().setText("23,5 mm")
    spin.interpretText()
    assert spin.value() == 23.5
