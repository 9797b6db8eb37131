"""atomic_write: all or nothing, a clear message when the disk is full."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import app.fileio as fileio
from app.errors import AppError
from app.fileio import atomic_write


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_writes_bytes_and_text(tmp_path: Path) -> None:
    target = tmp_path / "bao-cao.pdf"
    with atomic_write(target) as handle:
        handle.write(b"%PDF-1.4 ...")
    assert target.read_bytes() == b"%PDF-1.4 ..."
    text = tmp_path / "ghi-chu.txt"
    with atomic_write(str(text), "w", encoding="utf-8") as handle:
        handle.write("Sở Nội vụ\r\nQuảng Ngãi")
    assert text.read_bytes() == "Sở Nội vụ\r\nQuảng Ngãi".encode()
    assert _leftovers(tmp_path) == []


def test_error_in_the_body_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "tong-hop.xlsx"
    target.write_bytes(b"old report")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write(b"half of the new")
        raise RuntimeError("the builder failed")
    assert target.read_bytes() == b"old report"
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)])
@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_full_disk_keeps_the_old_file_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, where: str
) -> None:
    target = tmp_path / "sao-luu.db"
    target.write_bytes(b"yesterday's backup")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    if where == "fsync":
        monkeypatch.setattr(fileio.os, "fsync", full)
    elif where == "replace":
        monkeypatch.setattr(fileio.os, "replace", full)
    with pytest.raises(AppError) as caught, atomic_write(target) as handle:
        if where == "write":
            monkeypatch.setattr(handle, "write", full)
        handle.write(b"x" * 100_000)
    assert "Ổ đĩa đã đầy" in caught.value.message
    assert "giải phóng dung lượng" in caught.value.message
    assert target.read_bytes() == b"yesterday's backup"
    assert _leftovers(tmp_path) == []


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with (
        pytest.raises(AppError, match="Không tìm thấy thư mục"),
        atomic_write(tmp_path / "khong-co" / "a.pdf") as handle,
    ):
        handle.write(b"x")


def test_permission_denied_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "dang-mo.pdf"
    target.write_bytes(b"open in a PDF reader")

    def denied(*_args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fileio.os, "replace", denied)
    with pytest.raises(AppError, match="Không có quyền ghi"), atomic_write(target) as handle:
        handle.write(b"new")
    assert target.read_bytes() == b"open in a PDF reader"
    assert _leftovers(tmp_path) == []


def test_read_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError), atomic_write(tmp_path / "a", "rb"):
        pass
