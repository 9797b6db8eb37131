from __future__ import annotations

import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from app.cli import run
from app.db import Database, connect
from app.errors import ValidationError
from app.exchange.backup import (
    MANIFEST,
    attachments_dir,
    auto_backup,
    create_backup,
    list_auto_backups,
    restore_backup,
    rotate,
    verify_backup,
)
from app.exchange.data_folder import move_data
from app.paths import default_db_path, location_file
from app.services.units import list_units
from tests.core._exchange_data import add_documents, snapshot

NOW = dt.datetime(2018, 12, 31, 16, 30)

# Backups copy the SQLite file; a server is backed up with pg_dump (docs/may-chu-postgresql.md).
pytestmark = pytest.mark.sqlite_only


def _attachments(db: Database) -> dict[str, bytes]:
    folder = attachments_dir(db)
    assert folder is not None
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _add_attachments(db: Database) -> None:
    folder = attachments_dir(db)
    assert folder is not None
    (folder / "2018" / "submission-1").mkdir(parents=True)
    (folder / "2018" / "submission-1" / "Kế hoạch 45.pdf").write_bytes(b"%PDF-1.4 test\x00\xff")
    (folder / "chỉ đạo.docx").write_bytes(bytes(range(256)) * 50)


def test_backup_then_restore_gives_identical_data_and_attachments(
        sample_db: Database, tmp_path: Path) -> None:
    add_documents(sample_db)
    _add_attachments(sample_db)
    before, files_before = snapshot(sample_db), _attachments(sample_db)
    info = create_backup(sample_db, tmp_path / "saoluu.zip", now=NOW)
    assert info.attachment_count == 2
    assert info.tables["unit"] == 34 and info.tables["submission"] == 6
    with zipfile.ZipFile(info.path) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    assert manifest["schema_revision"] and manifest["program_version"]
    assert manifest["created"] == "2018-12-31T16:30:00"
    assert set(manifest["files"]) == {
        "sotheodoi.db", "attachments/2018/submission-1/Kế hoạch 45.pdf",
        "attachments/chỉ đạo.docx"}
    # Change everything, then restore.
    from app.exchange.xlsx_import import apply_import, preview_import, write_template
    path = write_template("units", tmp_path / "t.xlsx")
    import openpyxl
    wb = openpyxl.load_workbook(path)
    wb["Nhập liệu"].append(["UBND xã Mới", None, "xã"])
    wb.save(path)
    apply_import(sample_db, preview_import(sample_db, "units", path, today=NOW.date()),
                 today=NOW.date())
    folder = attachments_dir(sample_db)
    assert folder is not None
    (folder / "chỉ đạo.docx").write_bytes(b"changed")
    (folder / "new.txt").write_text("x", encoding="utf-8")
    assert snapshot(sample_db) != before
    result = restore_backup(sample_db, info.path, now=NOW + dt.timedelta(minutes=5))
    assert snapshot(sample_db) == before
    assert _attachments(sample_db) == files_before
    # The data as it was before the restore is kept, and is itself a valid backup.
    assert result.safety_copy is not None
    kept = verify_backup(result.safety_copy)
    assert kept.tables["unit"] == 35 and kept.attachment_count == 3
    assert len(list_units(sample_db)) == 34  # the window's engine works after the restore


def test_backup_into_folder_names_the_file(sample_db: Database, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    info = create_backup(sample_db, usb, now=NOW)
    assert info.path.parent == usb and info.path.name == "sotheodoi-saoluu-20181231-163000.zip"
    assert [p.name for p in usb.iterdir()] == [info.path.name]


def _rewrite_zip(source: Path, target: Path, change: dict[str, bytes | None]) -> None:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for name in zin.namelist():
            data = change.get(name, zin.read(name))
            if data is not None:
                zout.writestr(name, data)
        for name, data in change.items():
            if name not in zin.namelist() and data is not None:
                zout.writestr(name, data)


def test_restore_refuses_bad_files_and_changes_nothing(sample_db: Database, tmp_path: Path
                                                       ) -> None:
    add_documents(sample_db)
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read(MANIFEST))
        db_bytes = zf.read("sotheodoi.db")
    before = snapshot(sample_db)
    cases: dict[str, tuple[dict[str, bytes | None], str]] = {
        "no-manifest": ({MANIFEST: None}, "thiếu tệp mô tả"),
        "tampered": ({"sotheodoi.db": db_bytes[:-10] + b"0123456789"}, "sha256"),
        "extra": ({"evil.txt": b"x"}, "không khớp"),
        "newer": ({MANIFEST: json.dumps({**manifest, "format_version": 99}).encode()},
                  "mới hơn"),
    }
    for name, (change, expected) in cases.items():
        bad = tmp_path / f"{name}.zip"
        _rewrite_zip(good, bad, change)
        with pytest.raises(ValidationError) as info:
            restore_backup(sample_db, bad, now=NOW)
        assert expected in info.value.message, name
    not_zip = tmp_path / "not.zip"
    not_zip.write_bytes(b"hello")
    with pytest.raises(ValidationError):
        restore_backup(sample_db, not_zip, now=NOW)
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ValidationError):
        restore_backup(sample_db, truncated, now=NOW)
    assert snapshot(sample_db) == before


def _backup_with_db(tmp_path: Path, good: Path, db_file: Path, name: str) -> Path:
    import hashlib

    data = db_file.read_bytes()
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read(MANIFEST))
    manifest["files"]["sotheodoi.db"] = hashlib.sha256(data).hexdigest()
    out = tmp_path / name
    _rewrite_zip(good, out, {"sotheodoi.db": data, MANIFEST: json.dumps(manifest).encode()})
    return out


def test_restore_refuses_newer_schema_and_damaged_database(sample_db: Database, tmp_path: Path
                                                          ) -> None:
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    copy = tmp_path / "copy.db"
    with zipfile.ZipFile(good) as zf:
        copy.write_bytes(zf.read("sotheodoi.db"))
    conn = sqlite3.connect(copy)
    conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.commit()
    conn.close()
    newer = _backup_with_db(tmp_path, good, copy, "newer.zip")
    with pytest.raises(ValidationError) as info:
        verify_backup(newer)
    assert "phiên bản mới hơn" in info.value.message
    damaged = tmp_path / "damaged.db"
    raw = bytearray(copy.read_bytes())
    raw[4096 * 2: 4096 * 2 + 200] = b"\x13" * 200
    damaged.write_bytes(bytes(raw))
    bad = _backup_with_db(tmp_path, good, damaged, "damaged.zip")
    with pytest.raises(ValidationError) as info:
        verify_backup(bad)
    assert "hỏng" in info.value.message


def test_restore_migrates_an_older_backup(sample_db: Database, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup whose schema is older than head is brought to head after the restore."""
    from app.db import migrate

    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    calls: list[str] = []
    real_upgrade = migrate.upgrade

    def spy(db: Database, **kwargs: object) -> str:
        calls.append("upgrade")
        return real_upgrade(db, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(migrate, "upgrade", spy)
    monkeypatch.setattr(migrate, "head_revision", lambda: "newer-head-for-test")
    monkeypatch.setattr(migrate, "_at_head_quickly", lambda db: False)
    from alembic import command

    monkeypatch.setattr(command, "upgrade", lambda *a, **k: None)
    info = verify_backup(good)
    result = restore_backup(sample_db, good, now=NOW)
    assert calls == ["upgrade"]
    assert result.upgraded_from == info.schema_revision is not None


def test_auto_backup_and_rotation(sample_db: Database) -> None:
    from app.settings import save_settings

    with sample_db.write() as session:
        save_settings(session, backup_keep_daily=3, backup_keep_monthly=2)
    start = dt.datetime(2018, 1, 25, 8, 0)
    made = []
    for day in range(40):  # 40 days, a start and an exit backup each day
        when = start + dt.timedelta(days=day)
        made.append(auto_backup(sample_db, "khoi-dong", when))
        made.append(auto_backup(sample_db, "thoat", when + dt.timedelta(hours=9)))
    assert all(p is not None for p in made)
    kept = sorted(p.name for p in list_auto_backups(sample_db))
    # Last 3 days (first and last of each) + newest of the last 2 months.
    assert kept == [
        "tu-dong-20180228-170000-thoat.zip",
        "tu-dong-20180303-080000-khoi-dong.zip",
        "tu-dong-20180303-170000-thoat.zip",
        "tu-dong-20180304-080000-khoi-dong.zip",
        "tu-dong-20180304-170000-thoat.zip",
        "tu-dong-20180305-080000-khoi-dong.zip",
        "tu-dong-20180305-170000-thoat.zip",
    ]
    verify_backup(list_auto_backups(sample_db)[0])


def test_rotation_keeps_newest_even_with_zero(tmp_path: Path) -> None:
    for name in ("tu-dong-20180101-080000-a.zip", "tu-dong-20180102-080000-a.zip", "other.zip"):
        (tmp_path / name).write_bytes(b"")
    deleted = rotate(tmp_path, keep_daily=0, keep_monthly=0)
    assert [p.name for p in deleted] == ["tu-dong-20180101-080000-a.zip"]
    for name in ("tu-dong-20180102-090000-a.zip", "tu-dong-20180102-100000-a.zip"):
        (tmp_path / name).write_bytes(b"")
    deleted = rotate(tmp_path, keep_daily=1, keep_monthly=0)  # first and last of the day
    assert [p.name for p in deleted] == ["tu-dong-20180102-090000-a.zip"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "other.zip", "tu-dong-20180102-080000-a.zip", "tu-dong-20180102-100000-a.zip"]


def test_cli_backup_and_restore(sample_db: Database, tmp_path: Path,
                                capsys: pytest.CaptureFixture[str]) -> None:
    assert sample_db.path is not None
    db = str(sample_db.path)
    out = tmp_path / "b.zip"
    assert run(["--db", db, "backup", "--out", str(out)]) == 0
    assert run(["--db", db, "restore", str(out), "--check-only"]) == 0
    assert run(["--db", db, "restore", str(out)]) == 0
    assert "Đã khôi phục" in capsys.readouterr().out
    (tmp_path / "x.zip").write_text("x")
    assert run(["--db", db, "restore", str(tmp_path / "x.zip")]) == 2


def test_move_data_folder(sample_db: Database, tmp_path: Path) -> None:
    add_documents(sample_db)
    _add_attachments(sample_db)
    before, files = snapshot(sample_db), _attachments(sample_db)
    result = move_data(sample_db, tmp_path / "moi", now=NOW)
    assert result.new_db == (tmp_path / "moi" / "sotheodoi.db").resolve()
    assert result.attachments == 2
    assert json.loads(location_file().read_text(encoding="utf-8"))["db"] == str(result.new_db)
    assert default_db_path() == result.new_db
    moved = connect(str(result.new_db))
    try:
        assert snapshot(moved) == before
        assert _attachments(moved) == files
    finally:
        moved.dispose()
    assert sample_db.path is not None and sample_db.path.exists()  # the old folder is kept
    with pytest.raises(ValidationError):  # never over existing data
        move_data(sample_db, tmp_path / "moi", now=NOW)


def test_failed_database_write_leaves_everything(sample_db: Database, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from app.errors import DatabaseError
    from app.exchange import backup as backup_module

    _add_attachments(sample_db)
    info = create_backup(sample_db, tmp_path / "b.zip", now=NOW)
    folder = attachments_dir(sample_db)
    assert folder is not None
    (folder / "after.txt").write_text("kept", encoding="utf-8")
    before, files = snapshot(sample_db), _attachments(sample_db)
    real_connect = sqlite3.connect
    calls: list[str] = []

    def failing_connect(target: str, *args: object, **kwargs: object) -> sqlite3.Connection:
        if str(target) == str(sample_db.path) and "timeout" in kwargs:  # the restore's write
            calls.append(str(target))
            raise sqlite3.OperationalError("database is locked")
        return real_connect(target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup_module.sqlite3, "connect", failing_connect)
    with pytest.raises(DatabaseError):
        restore_backup(sample_db, info.path, now=NOW)
    monkeypatch.undo()
    assert calls  # it failed while writing the database, after the attachments were swapped
    assert snapshot(sample_db) == before
    assert _attachments(sample_db) == files
    assert sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(".attach")) == []


def test_auto_backup_removes_temporaries_left_by_a_crash(sample_db: Database) -> None:
    assert sample_db.path is not None
    folder = sample_db.path.resolve().parent / "backups" / "tu-dong"
    folder.mkdir(parents=True)
    stale = folder / ".tu-dong-20180502-080000-khoi-dong.zip.abc123.tmp"
    stale.write_bytes(b"PK half a zip")
    made = auto_backup(sample_db, "khoi-dong", NOW)
    assert made is not None and made.exists()
    assert not stale.exists()
