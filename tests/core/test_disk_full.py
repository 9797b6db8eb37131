"""A full disk while exporting to Excel or writing a backup: a clear Vietnamese error, no half
file left, the previous file (if any) untouched — through the functions and the CLI.

The disk fills at each point of the write in turn: while the library writes the temp file
(openpyxl's ``save``, the backup's last ``zipfile`` member), at the ``fsync``, and at the final
``os.replace``.
"""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from app.cli import run
from app.db import Database
from app.errors import AppError
from app.exchange.backup import create_backup, verify_backup
from app.exchange.xlsx_export import ExportFilters, export
from tests.helpers import db_arg

NOW = dt.datetime(2018, 12, 31, 17, 0)
CODES = [errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)]
POINTS = ["write", "fsync", "replace"]


def _full(code: int = errno.ENOSPC) -> OSError:
    return OSError(code, os.strerror(code))


def fill_disk(monkeypatch: pytest.MonkeyPatch, point: str, code: int, target: Path) -> None:
    """Make the write of ``target`` fail with ``code`` at ``point``."""
    if point == "write":

        def half_save(self: Workbook, filename: Any) -> None:
            Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
            raise _full(code)

        real_writestr = zipfile.ZipFile.writestr

        def writestr_full(self: zipfile.ZipFile, name: Any, data: Any, *a: Any, **k: Any) -> None:
            if str(getattr(name, "filename", name)) == "manifest.json":  # the last member
                raise _full(code)
            real_writestr(self, name, data, *a, **k)

        monkeypatch.setattr(Workbook, "save", half_save)
        monkeypatch.setattr(zipfile.ZipFile, "writestr", writestr_full)
    elif point == "fsync":

        def fsync_full(fd: int) -> None:
            raise _full(code)

        monkeypatch.setattr(os, "fsync", fsync_full)
    else:
        real_replace: Callable[..., None] = os.replace

        def replace_full(src: Any, dst: Any, *a: Any, **k: Any) -> None:
            if Path(dst) == target:
                raise _full(code)
            real_replace(src, dst, *a, **k)

        monkeypatch.setattr(os, "replace", replace_full)


def assert_nothing_half(folder: Path, target: Path, previous: bytes | None) -> None:
    if previous is None:
        assert not target.exists()
    else:
        assert target.read_bytes() == previous
    assert sorted(p.name for p in folder.iterdir()) == ([target.name] if previous else [])


def assert_disk_full_message(message: str, target: Path) -> None:
    assert "Ổ đĩa đã đầy" in message and str(target) in message
    assert "Tệp cũ (nếu có) vẫn giữ nguyên" in message
    assert "giải phóng dung lượng" in message


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("previous", [False, True], ids=["new-file", "over-old-file"])
def test_export_on_a_full_disk(
    sample_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    code: int,
    previous: bool,
) -> None:
    folder = tmp_path / "xuat"
    folder.mkdir()
    target = folder / "don-vi.xlsx"
    old = None
    if previous:
        export(sample_db, "units", target, ExportFilters(as_of=NOW.date()))
        old = target.read_bytes()
    fill_disk(monkeypatch, point, code, target)
    with pytest.raises(AppError) as caught:
        export(sample_db, "units", target, ExportFilters(as_of=NOW.date()))
    assert_disk_full_message(caught.value.message, target)
    assert_nothing_half(folder, target, old)


@pytest.mark.sqlite_only  # backups copy the SQLite file
@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("previous", [False, True], ids=["new-file", "over-old-file"])
def test_backup_on_a_full_disk(
    sample_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
    code: int,
    previous: bool,
) -> None:
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    target = folder / "sotheodoi-saoluu.zip"
    old = None
    if previous:
        create_backup(sample_db, target, now=NOW)
        old = target.read_bytes()
    fill_disk(monkeypatch, point, code, target)
    with pytest.raises(AppError) as caught:
        create_backup(sample_db, target, now=NOW + dt.timedelta(hours=1))
    assert_disk_full_message(caught.value.message, target)
    assert_nothing_half(folder, target, old)
    monkeypatch.undo()
    if previous:
        assert verify_backup(target).created == NOW  # the old backup still verifies


@pytest.mark.parametrize("point", POINTS)
def test_cli_export_on_a_full_disk(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    folder = tmp_path / "xuat"
    folder.mkdir()
    target = folder / "tinh-hinh.xlsx"
    fill_disk(monkeypatch, point, errno.ENOSPC, target)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "--db",
            db_arg(sample_db),
            "export",
            "status",
            "--out",
            str(target),
            "--as-of",
            "31/12/2018",
        ],
        out=out,
        err=err,
    )
    assert code != 0 and out.getvalue() == ""
    assert err.getvalue().startswith("Lỗi: Ổ đĩa đã đầy")
    assert "Traceback" not in err.getvalue()
    assert_nothing_half(folder, target, None)


@pytest.mark.sqlite_only  # backups copy the SQLite file
@pytest.mark.parametrize("point", POINTS)
def test_cli_backup_on_a_full_disk(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, point: str
) -> None:
    folder = tmp_path / "sao-luu"
    folder.mkdir()
    target = folder / "ban-sao.zip"
    target.write_bytes(b"the previous file")
    fill_disk(monkeypatch, point, errno.ENOSPC, target)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", db_arg(sample_db), "backup", "--out", str(target)], out=out, err=err)
    assert code != 0 and out.getvalue() == ""
    assert err.getvalue().startswith("Lỗi: Ổ đĩa đã đầy")
    assert_nothing_half(folder, target, b"the previous file")
