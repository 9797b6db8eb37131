from __future__ import annotations

import errno
from pathlib import Path

import pytest

from app.errors import AppError
from app.fileio import atomic_path


def test_atomic_path_replaces_only_when_complete(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
        assert target.read_text(encoding="utf-8") == "old"  # untouched while writing
        assert tmp.parent == target.parent
    assert target.read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_error_leaves_target_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("crash while writing")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_full_disk_becomes_vietnamese_app_error(tmp_path: Path) -> None:
    target = tmp_path / "b.xlsx"
    with pytest.raises(AppError) as info, atomic_path(target) as tmp:
        tmp.write_bytes(b"x")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert "Ổ đĩa đã đầy" in info.value.message
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []
