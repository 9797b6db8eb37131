"""Recovery after a damaged database finds the automatic and manual ``.zip`` backups, checks
them completely before use, and keeps the damaged file (and the attachments) aside."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import zipfile
from pathlib import Path

import pytest

from app.db import connect
from app.db.engine import sqlite_backup
from app.db.recovery import list_backups, restore_backup
from app.errors import AppError
from app.exchange.backup import create_backup
from app.services.sample import load_sample

NOW = dt.datetime(2018, 12, 31, 17, 0)


def _units(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute("SELECT count(*) FROM unit").fetchone()[0])
    finally:
        con.close()


def make_damaged_with_zips(folder: Path) -> Path:
    """``sotheodoi.db`` (now damaged) with: an empty ``.db`` copy from before an upgrade
    (oldest), an automatic zip with the sample and one attachment, a copy from before a
    restore (newest, sample), and a tampered automatic zip (its time is the newest)."""
    path = folder / "sotheodoi.db"
    db = connect(str(path))
    backups = folder / "backups"
    auto = backups / "tu-dong"
    try:
        sqlite_backup(path, backups / "truoc-nang-cap-20181201-080000.db")  # empty schema
        old = (NOW - dt.timedelta(days=30)).timestamp()
        os.utime(backups / "truoc-nang-cap-20181201-080000.db", (old, old))
        load_sample(db)
        (folder / "attachments").mkdir()
        (folder / "attachments" / "bao-cao-1.pdf").write_bytes(b"%PDF-1.4 backup copy")
        create_backup(
            db,
            auto / "tu-dong-20181230-080000-khoi-dong.zip",
            now=NOW - dt.timedelta(days=1),
            reason="khoi-dong",
        )
        create_backup(
            db,
            backups / "truoc-khoi-phuc-20181231-080000.zip",
            now=NOW - dt.timedelta(hours=9),
            reason="trước khi khôi phục",
        )
        bad = create_backup(
            db,
            auto / "tu-dong-20181231-120000-thoat.zip",
            now=NOW - dt.timedelta(hours=5),
            reason="thoat",
        ).path
    finally:
        db.dispose()
    # The tampered one: the database inside replaced (its checksum no longer matches).
    with zipfile.ZipFile(bad) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    original = members["sotheodoi.db"]  # same size: only the checksum can tell
    members["sotheodoi.db"] = original[:4096] + b"\0" * 4096 + original[8192:]
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    (folder / "attachments" / "bao-cao-1.pdf").write_bytes(b"%PDF-1.4 current version")
    (folder / "attachments" / "moi-them.pdf").write_bytes(b"%PDF-1.4 added after the backup")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    return make_damaged_with_zips(tmp_path)


def test_lists_zip_and_db_backups_newest_first(damaged: Path) -> None:
    found = list_backups(damaged)
    assert [b.path.name for b in found] == [
        "tu-dong-20181231-120000-thoat.zip",
        "truoc-khoi-phuc-20181231-080000.zip",
        "tu-dong-20181230-080000-khoi-dong.zip",
        "truoc-nang-cap-20181201-080000.db",
    ]
    assert [b.kind_label for b in found] == [
        "sao lưu tự động",
        "trước khi khôi phục",
        "sao lưu tự động",
        "trước khi nâng cấp",
    ]
    assert found[1].modified == NOW - dt.timedelta(hours=9)  # the manifest's time
    assert "31/12/2018 08:00" in found[1].label


def test_a_tampered_zip_is_refused_and_nothing_is_touched(damaged: Path) -> None:
    before = damaged.read_bytes()
    files_before = sorted(p.name for p in (damaged.parent / "attachments").iterdir())
    newest = list_backups(damaged)[0].path
    with pytest.raises(AppError) as caught:
        restore_backup(newest, damaged, now=NOW)
    assert "sha256" in caught.value.message and "Hãy chọn bản sao lưu khác" in caught.value.message
    assert damaged.read_bytes() == before
    assert sorted(p.name for p in (damaged.parent / "attachments").iterdir()) == files_before
    assert not list(damaged.parent.glob("*.hong-*")) and not list(damaged.parent.glob("*.tmp"))
    assert not list(damaged.parent.glob(".attachments-*"))


def test_restoring_a_zip_keeps_the_damaged_file_and_the_attachments_aside(damaged: Path) -> None:
    before = damaged.read_bytes()
    auto = damaged.parent / "backups" / "tu-dong" / "tu-dong-20181230-080000-khoi-dong.zip"
    aside = restore_backup(auto, damaged, now=NOW)
    assert aside.read_bytes() == before  # the damaged file, whole
    assert aside.name == "sotheodoi.hong-20181231-170000.db"
    assert _units(damaged) == 34
    files = damaged.parent / "attachments"
    assert (files / "bao-cao-1.pdf").read_bytes() == b"%PDF-1.4 backup copy"
    assert not (files / "moi-them.pdf").exists()
    kept = damaged.parent / "attachments.hong-20181231-170000"
    assert (kept / "moi-them.pdf").read_bytes() == b"%PDF-1.4 added after the backup"
    assert (kept / "bao-cao-1.pdf").read_bytes() == b"%PDF-1.4 current version"
    db = connect(str(damaged))  # the program opens the restored file
    try:
        from app.services.units import list_units

        assert len(list_units(db)) == 34
    finally:
        db.dispose()


def test_restoring_an_older_db_copy_still_works(damaged: Path) -> None:
    copy = damaged.parent / "backups" / "truoc-nang-cap-20181201-080000.db"
    aside = restore_backup(copy, damaged, now=NOW)
    assert aside.exists() and _units(damaged) == 0
    assert (damaged.parent / "attachments" / "moi-them.pdf").exists()  # a .db brings no files


def test_a_failed_swap_leaves_everything_as_it_was(
    damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails when the damaged file is to be moved aside: the attachments folder is
    put back, the database file is unchanged, no temp file is left."""
    import app.db.recovery as recovery

    before = damaged.read_bytes()
    real_replace = os.replace

    def failing(src: object, dst: object) -> None:
        if Path(str(src)) == damaged:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(recovery.os, "replace", failing)
    auto = damaged.parent / "backups" / "tu-dong" / "tu-dong-20181230-080000-khoi-dong.zip"
    with pytest.raises(AppError, match="Tệp dữ liệu hiện tại không bị thay đổi"):
        restore_backup(auto, damaged, now=NOW)
    assert damaged.read_bytes() == before
    files = damaged.parent / "attachments"
    assert (files / "moi-them.pdf").exists()
    assert (files / "bao-cao-1.pdf").read_bytes() == b"%PDF-1.4 current version"
    assert not list(damaged.parent.glob("attachments.hong-*"))
    assert not list(damaged.parent.glob("*.tmp")) and not list(damaged.parent.glob(".att*"))
