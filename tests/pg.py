"""The PostgreSQL side of the test fixtures: one fresh database per test on a test server.

``SOTHEODOI_TEST_DATABASE_URL`` names a database on a server where its role may create
databases (``scripts/pg_test_server.sh`` prints such a URL). A template database is migrated
to head once per test session; each test gets ``CREATE DATABASE test_<uuid> TEMPLATE …`` (a file
copy, much faster than migrating) and it is dropped at teardown.
"""

from __future__ import annotations

import time
import uuid

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

TEST_URL_ENV = "SOTHEODOI_TEST_DATABASE_URL"


class PgTestServer:
    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._template: str | None = None

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(sql))

    def _template_name(self) -> str:
        if self._template is None:
            from app.db import connect

            name = f"sotheodoi_tmpl_{uuid.uuid4().hex[:12]}"
            self._execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
            database = connect(self.url_for(name))
            database.dispose()
            # No one (autovacuum included) may be connected to a template being copied.
            self._execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            self._template = name
        return self._template

    def create_database(self, *, migrated: bool) -> str:
        """A new database (empty, or a copy of the migrated template); returns its URL."""
        name = f"test_{uuid.uuid4().hex[:16]}"
        template = self._template_name() if migrated else "template0"
        for attempt in range(20):  # "source database is being accessed by other users"
            try:
                self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" ENCODING \'UTF8\'')
                break
            except OperationalError:
                if attempt == 19:
                    raise
                time.sleep(0.1)
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        for attempt in range(50):
            try:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except DBAPIError:
                # An autovacuum worker in the database may be ended only by a member of
                # pg_signal_backend (scripts/pg_test_server.sh grants it); else it soon ends.
                if attempt == 49:
                    raise
                time.sleep(0.1)

    def close(self) -> None:
        if self._template is not None:
            self._execute(f'ALTER DATABASE "{self._template}" WITH ALLOW_CONNECTIONS true')
            self._execute(f'DROP DATABASE IF EXISTS "{self._template}" WITH (FORCE)')
            self._template = None
        self.admin.dispose()
