"""Shared fixtures. Qt runs offscreen; core tests never import Qt."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.db import Database, connect  # noqa: E402

# Days of the sample scenario (letter 2116/UBND-NC of 18/04/2018; plans due 30/04/2018).
PLAN_DUE = dt.date(2018, 4, 30)
AFTER_PLAN_DUE = dt.date(2018, 5, 2)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
                       ) -> None:
    """Never touch the real user data folder or its QSettings."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("SOTHEODOI_DATA", str(folder))
    monkeypatch.delenv("SOTHEODOI_DB", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    """An empty database migrated to head."""
    database = connect(str(db_path))
    yield database
    database.dispose()


@pytest.fixture
def sample_db(db: Database) -> Database:
    """The sample data set: 34 units, directive 2116/UBND-NC and its three tasks."""
    from app.services.sample import load_sample

    load_sample(db)
    return db
