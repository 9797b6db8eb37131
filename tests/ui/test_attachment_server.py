"""On a shared server an attached file is kept in the database: the form shows its own name and
"Mở" extracts a copy and hands it to the system viewer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QUrl

from app.services import attachment_blobs, attachments
from app.services.directives import list_directives
from ui.widgets import attachment_field
from ui.widgets.attachment_field import AttachmentField, attachment_name, open_attachment


def test_a_database_attachment_shows_its_name_and_opens(
    qtbot, sample_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(type(sample_db), "is_server", property(lambda self: True))
    scan = tmp_path / "Kế hoạch 12.pdf"
    scan.write_bytes(b"%PDF-1.4 scan")
    directive = list_directives(sample_db)[0]
    stored = attachments.attach_to_directive(sample_db, directive.id, scan)
    assert attachment_blobs.is_ref(stored)
    assert attachment_name(sample_db, stored) == "Kế hoạch 12.pdf"
    field = AttachmentField(sample_db, stored)
    qtbot.addWidget(field)
    assert field.name_label.text() == "Kế hoạch 12.pdf"

    opened: list[str] = []

    def open_url(url: QUrl) -> bool:
        opened.append(url.toLocalFile())
        return True

    monkeypatch.setattr(attachment_field.QDesktopServices, "openUrl", open_url)
    monkeypatch.setattr(attachments.tempfile, "gettempdir", lambda: str(tmp_path / "temp"))
    scan.unlink()  # only the database has it now
    assert open_attachment(None, sample_db, stored)
    assert Path(opened[0]).name == "Kế hoạch 12.pdf"
    assert Path(opened[0]).read_bytes() == b"%PDF-1.4 scan"
    assert Path(opened[0]).is_relative_to(tmp_path / "temp")
