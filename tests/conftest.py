"""Shared fixtures. Qt runs offscreen; core tests never import Qt."""

from __future__ import annotations

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
from tests.pg import TEST_URL_ENV, PgTestServer  # noqa: E402

# Set (e.g. by .ci/run from scripts/pg_test_server.sh) to run the suite against PostgreSQL.
PG_URL = os.environ.get(TEST_URL_ENV, "").strip()


@pytest.fixture(autouse=True)
def _isolated_data_dir(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user data folder or its QSettings."""
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("SOTHEODOI_DATA", str(folder))
    monkeypatch.delenv("SOTHEODOI_DB", raising=False)
    monkeypatch.delenv("SOTHEODOI_DATABASE_URL", raising=False)
    monkeypatch.delenv("SOTHEODOI_USER", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(folder / "config"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sqlite_only: the test is about the SQLite file (headers, WAL, backup API); "
        "skipped when the suite runs against PostgreSQL",
    )
    config.addinivalue_line(
        "markers", f"pg_only: needs a PostgreSQL server (${TEST_URL_ENV}); skipped otherwise"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if PG_URL and item.get_closest_marker("sqlite_only"):
            item.add_marker(pytest.mark.skip(reason="SQLite only (suite runs on PostgreSQL)"))
        if not PG_URL and item.get_closest_marker("pg_only"):
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL: set ${TEST_URL_ENV}"))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgTestServer | None]:
    """The PostgreSQL test server, when ``SOTHEODOI_TEST_DATABASE_URL`` is set, else None."""
    if not PG_URL:
        yield None
        return
    server = PgTestServer(PG_URL)
    yield server
    server.close()


@pytest.fixture
def db_target(db_path: Path, pg_server: PgTestServer | None) -> Iterator[str]:
    """What ``--db`` / ``connect`` takes: the SQLite file, or a fresh empty PostgreSQL database
    (dropped after the test)."""
    if pg_server is None:
        yield str(db_path)
        return
    url = pg_server.create_database(migrated=False)
    yield url
    _finish_windows()
    pg_server.drop_database(url)


@pytest.fixture
def db(db_path: Path, pg_server: PgTestServer | None) -> Iterator[Database]:
    """An empty database migrated to head (a new PostgreSQL database per test on a server)."""
    if pg_server is None:
        database = connect(str(db_path))
        yield database
        _finish_windows()
        database.dispose()
        return
    url = pg_server.create_database(migrated=True)
    database = connect(url)
    yield database
    _finish_windows()
    database.dispose()
    pg_server.drop_database(url)


def _finish_windows() -> None:
    """Before a test's database is closed (and, on a server, dropped), the test's windows are
    done: closed (a MainWindow then starts no load, drops late results and stops its timers,
    such as a search box's delay), their running loads ended, and their deletion asked for."""
    if "PySide6.QtWidgets" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication

    from ui import tasks

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    for widget in app.topLevelWidgets():
        widget.close()
    tasks.wait_for_background()
    QCoreApplication.processEvents()  # results of loads that were still running: dropped
    for widget in app.topLevelWidgets():
        # Only windows of their own: a combo box's popup, a dialog with a parent… are
        # top-level too but belong to the widget that deletes them.
        if widget.parent() is None:
            widget.deleteLater()
    # The deletions run in the next event loop: a closed window reads no database and its
    # timers are stopped, so they are harmless there. (Forcing every pending deferred delete
    # here with sendPostedEvents(None, DeferredDelete) deleted objects still in use and
    # crashed the interpreter at exit: "bool_dealloc".)
    QCoreApplication.processEvents()
    tasks.wait_for_background()
    tasks.wait_for_background()


@pytest.fixture
def sample_db(db: Database) -> Database:
    """The sample data set: 34 units, directive 2116/UBND-NC and its three tasks."""
    from app.services.sample import load_sample

    load_sample(db)
    return db
