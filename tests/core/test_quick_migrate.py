"""Start-up skips Alembic for a database already at head; the quick head is Alembic's head."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.db import Database
from app.db.migrate import _at_head_quickly, head_revision, quick_head

ROOT = Path(__file__).resolve().parents[2]


def test_quick_head_is_alembics_head() -> None:
    assert quick_head() == head_revision()


@pytest.mark.sqlite_only  # opens the file in a second process
def test_database_at_head_is_recognised_and_opened_without_alembic(db: Database) -> None:
    assert _at_head_quickly(db)
    assert db.path is not None
    code = (
        "import sys; from app.db import connect; d = connect(sys.argv[1]); "
        "print('alembic' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db.path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_database_behind_head_is_not_taken_for_current(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    assert not _at_head_quickly(db)
