"""``python -m app --self-test``: works without a screen, prints one verdict, exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_without_a_display(tmp_path: Path) -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "app", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    verdict = [line for line in done.stdout.splitlines() if line.startswith("SELF-TEST")]
    assert done.returncode == 0, done.stdout + done.stderr
    assert len(verdict) == 1 and verdict[0].startswith("SELF-TEST OK"), done.stdout
    assert "obligations" in verdict[0]
    assert not (tmp_path / ".local" / "share" / "sotheodoi").exists()  # user data untouched


def test_migrations_are_found_when_frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    from app.db import migrate

    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(ROOT), raising=False)
    folder = migrate._migrations_dir()
    assert folder == ROOT / "app" / "db" / "migrations"
    assert (folder / "env.py").is_file() and any((folder / "versions").glob("0001_*.py"))
