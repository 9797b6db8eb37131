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
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _add_attachments(db: Database) -> None:
    folder = attachments_dir(db)
    assert folder is not None
    (folder / "2018" / "submission-1").mkdir(parents=True)
    (folder / "2018" / "submission-1" / "Kế hoạch 45.pdf").write_bytes(b"%PDF-1.4 test\x00\xff")
    (folder / "chỉ đạo.docx").write_bytes(bytes(range(256)) * 50)


def test_backup_then_restore_gives_identical_data_and_attachments(
    sample_db: Database, tmp_path: Path
) -> None:
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
        "sotheodoi.db",
        "attachments/2018/submission-1/Kế hoạch 45.pdf",
        "attachments/chỉ đạo.docx",
    }
    # Change everything, then restore.
    from app.exchange.xlsx_import import apply_import, preview_import, write_template

    path = write_template("units", tmp_path / "t.xlsx")
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Nhập liệu"].append(["UBND xã Mới", None, "xã"])
    wb.save(path)
    apply_import(
        sample_db, preview_import(sample_db, "units", path, today=NOW.date()), today=NOW.date()
    )
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


def test_restore_refuses_bad_files_and_changes_nothing(sample_db: Database, tmp_path: Path) -> None:
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
        "newer": ({MANIFEST: json.dumps({**manifest, "format_version": 99}).encode()}, "mới hơn"),
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


def test_restore_refuses_newer_schema_and_damaged_database(
    sample_db: Database, tmp_path: Path
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
    raw[4096 * 2 : 4096 * 2 + 200] = b"\x13" * 200
    damaged.write_bytes(bytes(raw))
    bad = _backup_with_db(tmp_path, good, damaged, "damaged.zip")
    with pytest.raises(ValidationError) as info:
        verify_backup(bad)
    assert "hỏng" in info.value.message


def test_restore_migrates_an_older_backup(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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
        "other.zip",
        "tu-dong-20180102-080000-a.zip",
        "tu-dong-20180102-100000-a.zip",
    ]


def test_cli_backup_and_restore(
    sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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


def test_failed_database_write_leaves_everything(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
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


# --- hostile backups: refused before anything is extracted, nothing left behind ---------------

GIB = 1 << 30


def _manifest(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as zf:
        return dict(json.loads(zf.read(MANIFEST)))


def _declare_size(path: Path, member: str, size: int) -> None:
    """Patch the zip's central directory so that ``member`` claims ``size`` bytes once
    extracted (a zip bomb's trick), without writing them."""
    import struct

    data = bytearray(path.read_bytes())
    name = member.encode()
    at = 0
    while True:
        at = data.index(b"PK\x01\x02", at)
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46 : at + 46 + name_len]) == name:
            struct.pack_into("<I", data, at + 24, size)
            break
        at += 4
    path.write_bytes(bytes(data))


def _zero_filled(tmp_path: Path, good: Path, *, declared: int, manifest_size: int | None) -> Path:
    """A backup whose database is zeros: 1 MiB of them compressed, claiming ``declared``
    bytes (3 GiB in the report that found it)."""
    import hashlib

    zeros = b"\0" * (1 << 20)
    manifest = _manifest(good)
    files = dict(manifest["files"])  # type: ignore[call-overload]
    files["sotheodoi.db"] = hashlib.sha256(zeros).hexdigest()
    manifest["files"] = files
    if manifest_size is not None:
        manifest["sizes"] = {**manifest["sizes"], "sotheodoi.db": manifest_size}  # type: ignore[dict-item]
    tmp_path.mkdir(exist_ok=True)
    bomb = tmp_path / "bom.zip"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.namelist():
            if item == "sotheodoi.db":
                zout.writestr(item, zeros)
            elif item == MANIFEST:
                zout.writestr(item, json.dumps(manifest))
            else:
                zout.writestr(item, zin.read(item))
    _declare_size(bomb, "sotheodoi.db", declared)
    return bomb


@pytest.fixture
def no_extraction(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Fails the test if anything of a backup being checked is extracted or staged."""
    from app.exchange import backup

    calls: list[str] = []
    real_stage = backup.staging_folder

    def refuse(*args: object, **kwargs: object) -> None:
        calls.append("extract")
        raise AssertionError("extracted before the checks")

    def stage(base: Path, purpose: str):  # type: ignore[no-untyped-def]
        if purpose == "khoi-phuc":
            refuse()
        return real_stage(base, purpose)  # a backup being made (the test's own)

    monkeypatch.setattr(backup, "_extract", refuse)
    monkeypatch.setattr(backup, "staging_folder", stage)
    return calls


def _folder_state(folder: Path) -> dict[str, int]:
    return {
        p.relative_to(folder).as_posix(): p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and "-wal" not in p.name and "-shm" not in p.name
    }


def test_a_zip_of_a_huge_zero_filled_database_is_refused_before_extracting(
    sample_db: Database, tmp_path: Path, no_extraction: list[str]
) -> None:
    assert sample_db.path is not None
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    data = sample_db.path.resolve().parent
    # The manifest agrees with the zip (made by hand to match): the header says no SQLite.
    consistent = _zero_filled(tmp_path, good, declared=3 * GIB, manifest_size=3 * GIB)
    lying = _zero_filled(tmp_path / "zips", good, declared=3 * GIB, manifest_size=1 << 20)
    before, counts = _folder_state(data), snapshot(sample_db)
    with zipfile.ZipFile(consistent) as zf:
        assert zf.getinfo("sotheodoi.db").file_size == 3 * GIB
    assert consistent.stat().st_size < 100_000
    with pytest.raises(ValidationError) as err:
        restore_backup(sample_db, consistent, now=NOW)
    assert "không phải tệp SQLite" in err.value.message
    # The manifest says one size, the zip another.
    with pytest.raises(ValidationError) as err:
        verify_backup(lying)
    assert "kích thước của sotheodoi.db không khớp tệp mô tả" in err.value.message
    assert no_extraction == []
    assert _folder_state(data) == before and snapshot(sample_db) == counts


def test_a_database_whose_header_disagrees_with_its_size_is_refused(
    sample_db: Database, tmp_path: Path, no_extraction: list[str]
) -> None:
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    manifest = _manifest(good)
    real_size = manifest["sizes"]["sotheodoi.db"]  # type: ignore[index]
    manifest["sizes"] = {**manifest["sizes"], "sotheodoi.db": 3 * GIB}  # type: ignore[dict-item]
    grown = tmp_path / "phinh.zip"
    _rewrite_zip(good, grown, {MANIFEST: json.dumps(manifest).encode()})
    _declare_size(grown, "sotheodoi.db", 3 * GIB)
    with pytest.raises(ValidationError) as err:
        verify_backup(grown)
    assert "không khớp phần đầu" in err.value.message and real_size < 3 * GIB
    assert no_extraction == []


def test_not_enough_free_space_is_said_before_extracting(
    sample_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    no_extraction: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    import shutil
    from collections import namedtuple

    from app.errors import AppError

    assert sample_db.path is not None
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(GIB, GIB - (10 << 20), 10 << 20))
    with pytest.raises(AppError) as err:
        restore_backup(sample_db, good, now=NOW)
    assert "Không đủ chỗ trống" in err.value.message and "chỉ còn 10 MB" in err.value.message
    assert run(["--db", str(sample_db.path), "restore", str(good)]) == 1
    captured = capsys.readouterr()
    assert captured.err.startswith("Lỗi: Không đủ chỗ trống") and "Traceback" not in captured.err
    assert no_extraction == []


MALFORMED_MANIFESTS: dict[str, object] = {
    "a list": [1, 2, 3],
    "no time": {"created": None},
    "time not a time": {"created": "hôm qua"},
    "counts not numbers": {"tables": {"unit": "ba mươi tư"}},
    "counts a list": {"tables": [34]},
    "count of 5,000 digits": "5000-digits",
    "files a list": {"files": ["sotheodoi.db"]},
    "format version text": {"format_version": "1"},
    "sizes text": {"sizes": "lớn"},
    "nested 100,000 deep": "deep",
}


@pytest.mark.parametrize("case", list(MALFORMED_MANIFESTS))
def test_a_malformed_manifest_says_the_backup_is_bad(
    sample_db: Database, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert sample_db.path is not None
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    change = MALFORMED_MANIFESTS[case]
    if change == "5000-digits":
        text = json.dumps(_manifest(good)).replace('"unit": 34', '"unit": ' + "9" * 5000)
        assert "9" * 5000 in text
    elif change == "deep":
        text = "[" * 100_000 + "]" * 100_000
    elif isinstance(change, dict):
        text = json.dumps({**_manifest(good), **change})
    else:
        text = json.dumps(change)
    bad = tmp_path / "hong.zip"
    _rewrite_zip(good, bad, {MANIFEST: text.encode()})
    before = snapshot(sample_db)
    with pytest.raises(ValidationError) as err:
        verify_backup(bad)
    assert "không dùng để khôi phục được" in err.value.message
    for argv in (["restore", str(bad), "--check-only"], ["restore", str(bad)]):
        assert run(["--db", str(sample_db.path), *argv]) == 2
        captured = capsys.readouterr()
        assert captured.err.startswith("Lỗi: Tệp hong.zip không dùng để khôi phục được")
        assert "Traceback" not in captured.err and "không mong đợi" not in captured.err
    assert snapshot(sample_db) == before


def test_a_member_where_a_folder_must_be_says_bad_backup_not_file_exists(
    sample_db: Database, tmp_path: Path
) -> None:
    import hashlib

    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    manifest = _manifest(good)
    extra = {"attachments/2018": b"a file", "attachments/2018/bao-cao.pdf": b"%PDF"}
    manifest["files"] = {
        **manifest["files"],  # type: ignore[dict-item]
        **{k: hashlib.sha256(v).hexdigest() for k, v in extra.items()},
    }
    manifest["sizes"] = {
        **manifest["sizes"],  # type: ignore[dict-item]
        **{k: len(v) for k, v in extra.items()},
    }
    bad = tmp_path / "thu-muc.zip"
    _rewrite_zip(good, bad, {MANIFEST: json.dumps(manifest).encode(), **extra})
    with pytest.raises(ValidationError) as err:
        verify_backup(bad)
    assert "không giải nén được" in err.value.message
    assert "File exists" not in err.value.message and "Not a directory" not in err.value.message


def _drop(db_file: Path, sql: str) -> None:
    con = sqlite3.connect(db_file)
    con.execute(sql)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    "damage", ["DROP TABLE task_unit_kind", "ALTER TABLE unit DROP COLUMN note"]
)
def test_our_stamp_without_our_schema_is_refused(
    sample_db: Database, tmp_path: Path, damage: str
) -> None:
    """A backup carrying our revision stamp but not our tables and columns was restored and
    broke every command: the schema is checked, not the stamp alone."""
    assert sample_db.path is not None
    good = create_backup(sample_db, tmp_path / "good.zip", now=NOW).path
    copy = tmp_path / "copy.db"
    with zipfile.ZipFile(good) as zf:
        copy.write_bytes(zf.read("sotheodoi.db"))
    _drop(copy, damage)
    manifest = _manifest(good)
    manifest.pop("sizes")  # as a backup from before sizes were recorded
    _rewrite_zip(good, tmp_path / "base.zip", {MANIFEST: json.dumps(manifest).encode()})
    bad = _backup_with_db(tmp_path, tmp_path / "base.zip", copy, "khong-dung-luoc-do.zip")
    before = snapshot(sample_db)
    with pytest.raises(ValidationError) as err:
        restore_backup(sample_db, bad, now=NOW)
    assert "không đúng lược đồ của Sổ theo dõi" in err.value.message
    assert (
        "bảng task_unit_kind" if "TABLE task" in damage else "cột unit.note"
    ) in err.value.message
    assert snapshot(sample_db) == before
    assert run(["--db", str(sample_db.path), "units"]) == 0


def test_backup_and_restore_never_use_the_system_temp_folder(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from app import fileio

    assert sample_db.path is not None
    system_temp = tmp_path / "system-temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    stages: list[Path] = []
    real = fileio.staging_folder

    def spy(base: Path, purpose: str):  # type: ignore[no-untyped-def]
        stages.append(base)
        return real(base, purpose)

    from app.exchange import backup

    monkeypatch.setattr(backup, "staging_folder", spy)
    made = create_backup(sample_db, tmp_path / "b.zip", now=NOW).path
    verify_backup(made, stage_in=sample_db.path.parent)
    restore_backup(sample_db, made, now=NOW)
    assert list(system_temp.iterdir()) == []
    assert stages and all(s == sample_db.path.resolve().parent for s in stages)
    assert not [p for p in sample_db.path.parent.iterdir() if p.name.startswith(".sotheodoi-tam")]


def test_files_written_get_normal_permissions(sample_db: Database, tmp_path: Path) -> None:
    import os
    import stat

    from app.fileio import _UMASK

    made = create_backup(sample_db, tmp_path / "b.zip", now=NOW).path
    assert stat.S_IMODE(os.stat(made).st_mode) == 0o666 & ~_UMASK
    old = os.umask(0o022)
    os.umask(old)
    assert old == _UMASK


KILL_DRIVER = r"""
import sys, time
from pathlib import Path
from app.db import connect
from app.exchange import backup

what, db_file, zip_file = sys.argv[1:4]
db = connect(db_file)
if what == "backup":
    real = backup.copy_database
    def copy_then_hang(source, destination):
        real(source, destination)
        print("STAGED", flush=True)
        time.sleep(600)
    backup.copy_database = copy_then_hang
    backup.create_backup(db, Path(zip_file), now=__import__("datetime").datetime.now())
else:
    real = backup._check_database
    def check_then_hang(source, db_file):
        real(source, db_file)
        print("STAGED", flush=True)
        time.sleep(600)
    backup._check_database = check_then_hang
    backup.restore_backup(db, Path(zip_file), now=__import__("datetime").datetime.now())
"""


@pytest.mark.parametrize("what", ["backup", "restore"])
def test_a_killed_backup_or_restore_leaves_its_stage_and_the_next_start_removes_it(
    sample_db: Database, tmp_path: Path, what: str
) -> None:
    """SIGKILL while the database copy is staged: the copy is in the data folder (never the
    system temp folder), and the next start of the program removes it."""
    import os
    import signal
    import subprocess
    import sys

    assert sample_db.path is not None
    if what == "restore":
        made = create_backup(sample_db, tmp_path / "b.zip", now=NOW).path
    else:
        made = tmp_path / "killed.zip"
    data = sample_db.path.resolve().parent
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(root), TMPDIR=str(tmp_path / "system-temp"))
    (tmp_path / "system-temp").mkdir()
    child = subprocess.Popen(
        [sys.executable, "-c", KILL_DRIVER, what, str(sample_db.path), str(made)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "STAGED", (
            child.stderr.read() if child.stderr else ""
        )
        stages = [p for p in data.iterdir() if p.name.startswith(".sotheodoi-tam-")]
        assert len(stages) == 1 and (stages[0] / "sotheodoi.db").stat().st_size > 0
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert list((tmp_path / "system-temp").iterdir()) == []
    # A stage in use by a live program is never taken away.
    from app.fileio import remove_stale_stages, staging_folder

    with staging_folder(data, "dang-dung") as live:
        assert run(["--db", str(sample_db.path), "status", "--as-of", "02/05/2018"]) == 0
        assert live.is_dir()
        assert not [p for p in data.iterdir() if p.name.startswith(".sotheodoi-tam-") and p != live]
    assert remove_stale_stages(data) == []
    assert not [p for p in data.iterdir() if p.name.startswith(".sotheodoi-tam-")]


def test_the_schema_expected_of_a_head_backup_is_the_migrated_one(tmp_path: Path) -> None:
    """The head's reference schema is read from the models (no Alembic): it is exactly what
    the migrations make."""
    from alembic import command

    from app.db import migrate
    from app.db.engine import open_database

    head = migrate.head_revision()
    from_models = migrate.expected_schema(head, tmp_path)
    db = open_database(tmp_path / "tham-chieu.db")
    command.upgrade(migrate.alembic_config(db), head)
    db.dispose()
    assert from_models == migrate.sqlite_schema(tmp_path / "tham-chieu.db")
    assert {"unit", "submission", "alembic_version"} <= set(from_models)


SWAP_DRIVER = r"""
import datetime, shutil, sys, time
from pathlib import Path
from app.db import connect
from app.exchange import backup

point, db_file, zip_file = sys.argv[1:4]

def pause(name):
    if name == point:
        print("AT", name, flush=True)
        time.sleep(600)

real_copytree = shutil.copytree
def copytree(*a, **k):
    made = real_copytree(*a, **k)
    pause("copied")
    return made
shutil.copytree = copytree
real_rename = Path.rename
renames = []
def rename(self, target):
    made = real_rename(self, target)
    renames.append(target)
    pause("moved-old" if len(renames) == 1 else "swapped")
    return made
Path.rename = rename
real_finish = backup._AttachmentSwap.finish
def finish(self):
    pause("database-in")
    real_finish(self)
    pause("finished")
backup._AttachmentSwap.finish = finish
db = connect(db_file)
backup.restore_backup(db, Path(zip_file), now=datetime.datetime(2018, 12, 31, 16, 30))
print("DONE", flush=True)
"""


@pytest.mark.parametrize("point", ["copied", "moved-old", "swapped", "database-in", "finished"])
def test_a_restore_killed_between_attachments_and_database_is_set_right_at_start(
    sample_db: Database, tmp_path: Path, point: str
) -> None:
    """The attachments folder and the database are replaced in two steps. SIGKILL between
    them used to leave the backup's attachments beside the old database (or the current
    attachments hidden in .attachments-cu-…); the next start now completes or undoes the
    swap, by the token the restored database carries."""
    import os
    import signal
    import subprocess
    import sys

    assert sample_db.path is not None
    folder = attachments_dir(sample_db)
    assert folder is not None
    folder.mkdir()
    (folder / "moi.pdf").write_bytes(b"%PDF the backup's")
    made = create_backup(sample_db, tmp_path / "b.zip", now=NOW).path
    from app.services.units import UnitInput, create_unit

    create_unit(sample_db, UnitInput(name="Đơn vị thêm sau khi sao lưu", kind="khac"))
    (folder / "moi.pdf").unlink()
    (folder / "cu.pdf").write_bytes(b"%PDF the current one")
    sample_db.dispose()
    root = Path(__file__).resolve().parents[2]
    child = subprocess.Popen(
        [sys.executable, "-c", SWAP_DRIVER, point, str(sample_db.path), str(made)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ, PYTHONPATH=str(root)),
    )
    try:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        assert line == f"AT {point}", child.stderr.read() if child.stderr else line
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    data = sample_db.path.resolve().parent
    assert (data / ".khoi-phuc-dang-do.json").exists()
    db = connect(str(sample_db.path))  # the next start
    try:
        count = len(list_units(db))
    finally:
        db.dispose()
    files = sorted(p.name for p in folder.iterdir()) if folder.exists() else []
    if point in ("database-in", "finished"):
        assert (count, files) == (34, ["moi.pdf"])  # the backup's, both
    else:
        assert (count, files) == (35, ["cu.pdf"])  # as before, both
    assert not (data / ".khoi-phuc-dang-do.json").exists()
    assert not [
        p.name for p in data.iterdir() if p.name.startswith((".attachments", ".sotheodoi-tam"))
    ]
    con = sqlite3.connect(sample_db.path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 0
    con.close()


def test_a_finished_restore_leaves_no_journal_and_no_token(
    sample_db: Database, tmp_path: Path
) -> None:
    assert sample_db.path is not None
    made = create_backup(sample_db, tmp_path / "b.zip", now=NOW).path
    restore_backup(sample_db, made, now=NOW)
    assert not (sample_db.path.parent / ".khoi-phuc-dang-do.json").exists()
    con = sqlite3.connect(sample_db.path)
    assert con.execute("PRAGMA user_version").fetchone()[0] == 0
    con.close()


def test_stages_half_made_or_half_removed_are_cleaned_and_live_ones_kept(tmp_path: Path) -> None:
    from app.fileio import STAGE_PREFIX, remove_stale_stages, staging_folder

    half_removed = tmp_path / f"{STAGE_PREFIX}sao-luu-abc"  # killed after its lock went
    half_removed.mkdir()
    (half_removed / "sotheodoi.db").write_bytes(b"SQLite format 3\0" + b"\0" * 4000)
    unlocked = tmp_path / f"{STAGE_PREFIX}khoi-phuc-def"  # killed: the lock died with it
    unlocked.mkdir()
    (unlocked / ".dang-dung").write_bytes(b"")
    other = tmp_path / "sotheodoi-tam-not-ours"
    other.mkdir()
    with staging_folder(tmp_path, "dang-dung") as live:
        (live / "x").write_bytes(b"in use")
        removed = remove_stale_stages(tmp_path)
        assert sorted(removed) == sorted([half_removed, unlocked])
        assert (live / "x").read_bytes() == b"in use"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sotheodoi-tam-not-ours"]
