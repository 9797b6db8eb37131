"""Attachments are copied into the data folder and found again from the stored path."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import AppError, NotFound, ValidationError
from app.services import attachments
from app.services.audit import history
from app.services.directives import list_directives


def _scan(folder: Path, name: str = "Kế hoạch 45.pdf", content: bytes = b"%PDF-1.4 scan") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content)
    return path


def test_store_copies_under_entity_and_id(tmp_path: Path) -> None:
    usb = _scan(tmp_path / "usb")
    data = tmp_path / "data"
    stored = attachments.store(data, "submission", 7, usb)
    assert stored == "attachments/submission/7/Kế hoạch 45.pdf"
    copy = attachments.resolve(data, stored)
    assert copy.read_bytes() == usb.read_bytes()
    usb.unlink()  # the USB stick is gone: the copy stays
    assert attachments.resolve(data, stored).is_file()
    assert not list((data / "attachments" / "submission" / "7").glob(".tmp-*"))


def test_same_name_twice_keeps_both(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = attachments.store(data, "directive", 1, _scan(tmp_path / "a", content=b"one"))
    second = attachments.store(data, "directive", 1, _scan(tmp_path / "b", content=b"two"))
    assert first != second
    assert second.endswith("Kế hoạch 45 (2).pdf")
    assert attachments.resolve(data, first).read_bytes() == b"one"
    assert attachments.resolve(data, second).read_bytes() == b"two"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('bao:cao*"6"?thang.PDF', "bao_cao__6__thang.pdf"),
        ("CON.docx", "_CON.docx"),
        ("  ...  ", "tep-dinh-kem"),
        ("C:\\Users\\a\\Hoà bình.pdf", "Hoà bình.pdf"),
    ],
)
def test_safe_name(raw: str, expected: str) -> None:
    assert attachments.safe_name(raw) == expected


def test_long_name_is_cut_keeping_extension() -> None:
    name = attachments.safe_name("ả" * 300 + ".docx")
    assert len(name) <= attachments.NAME_MAX
    assert name.endswith(".docx")


def test_refuses_missing_file_and_wrong_type(tmp_path: Path) -> None:
    with pytest.raises(ValidationError) as missing:
        attachments.store(tmp_path, "directive", 1, tmp_path / "khong-co.pdf")
    assert "attachment" in missing.value.errors
    exe = tmp_path / "virus.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(ValidationError):
        attachments.store(tmp_path, "directive", 1, exe)


def test_resolve_refuses_escaping_paths(tmp_path: Path) -> None:
    for bad in ("../secret.pdf", "/etc/passwd", "C:/x.pdf"):
        with pytest.raises(AppError):
            attachments.resolve(tmp_path, bad)
    with pytest.raises(NotFound):
        attachments.resolve(tmp_path, "")


@pytest.mark.sqlite_only  # on a server, attachments are stored in the database
def test_attach_to_directive_records_path_and_history(sample_db, tmp_path: Path) -> None:
    directive = list_directives(sample_db)[0]
    stored = attachments.attach_to_directive(sample_db, directive.id, _scan(tmp_path / "usb"))
    assert list_directives(sample_db)[0].attachment_path == stored
    path = attachments.open_path(sample_db, stored)
    assert path.parent.parent.parent.parent == Path(sample_db.path).resolve().parent
    entries = history(sample_db, "directive", directive.id)
    assert entries[0].after["attachment_path"] == stored


def _force_server(monkeypatch: pytest.MonkeyPatch, db) -> None:
    monkeypatch.setattr(type(db), "is_server", property(lambda self: True))


def test_on_a_server_the_file_goes_into_the_database(
    sample_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.services import attachment_blobs

    _force_server(monkeypatch, sample_db)
    directive = list_directives(sample_db)[0]
    usb = _scan(tmp_path / "usb", content=b"%PDF-1.4 server scan")
    stored = attachments.attach_to_directive(sample_db, directive.id, usb)
    assert attachment_blobs.is_ref(stored)
    assert list_directives(sample_db)[0].attachment_path == stored
    if sample_db.path is not None:  # nothing copied beside an SQLite file either
        assert not (sample_db.path.resolve().parent / attachments.ATTACHMENTS_DIR).exists()
    usb.unlink()  # the USB stick is gone: the database keeps the file
    opened = attachments.open_path(sample_db, stored, tmp_path / "viewer")
    assert opened.parent == tmp_path / "viewer"
    assert opened.name == "Kế hoạch 45.pdf"
    assert opened.read_bytes() == b"%PDF-1.4 server scan"


def test_on_a_server_a_wrong_file_type_is_refused(
    sample_db, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _force_server(monkeypatch, sample_db)
    directive = list_directives(sample_db)[0]
    with pytest.raises(ValidationError):
        attachments.attach_to_directive(
            sample_db, directive.id, _scan(tmp_path / "usb", name="virus.exe")
        )


def test_on_sqlite_the_file_is_copied_to_the_folder(sample_db, tmp_path: Path) -> None:
    if sample_db.is_server:
        pytest.skip("SQLite behaviour")
    directive = list_directives(sample_db)[0]
    stored = attachments.attach_to_directive(sample_db, directive.id, _scan(tmp_path / "usb"))
    assert stored.startswith(attachments.ATTACHMENTS_DIR + "/")


@pytest.mark.pg_only
def test_real_server_attachment_round_trip(sample_db, tmp_path: Path) -> None:
    from app.services import attachment_blobs

    assert sample_db.is_server
    directive = list_directives(sample_db)[0]
    stored = attachments.attach_to_directive(
        sample_db, directive.id, _scan(tmp_path / "usb", content=b"%PDF pg")
    )
    assert attachment_blobs.is_ref(stored)
    assert attachments.open_path(sample_db, stored, tmp_path / "out").read_bytes() == b"%PDF pg"
