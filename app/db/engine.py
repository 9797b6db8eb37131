"""The engine (SQLite in WAL mode with foreign keys, or a server URL) and the session factory."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict, DatabaseError, ValidationError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_TIMEOUT_MS = 30_000  # a write waiting behind another PC's transaction gives up after this
IDLE_TIMEOUT_MS = 600_000  # a PC that stopped mid-transaction releases its locks after this


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@dataclass
class Database:
    """One database: its URL, engine and session factory. The UI never holds a Session."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None = None  # the SQLite file, when there is one

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A short read-only session."""
        with self.sessions() as session:
            yield session

    @property
    def is_server(self) -> bool:
        """A shared server (PostgreSQL): attachments go into the database, not a folder."""
        return not self.is_sqlite

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction per user action: committed at the end, rolled back on any error.

        A versioned record changed by someone else since it was read (SQLAlchemy's
        StaleDataError) becomes :class:`app.errors.StaleEdit` with that record's current values.
        """
        session = self.sessions()
        try:
            with session.begin():
                yield session
        except StaleDataError as exc:
            from app.db.stale import stale_edit_from_session

            with self.sessions() as fresh:
                stale = stale_edit_from_session(session, fresh)
            raise stale from exc
        except DataError as exc:  # a value longer than its column: PostgreSQL refuses it
            log.error("Value refused by the database: %s", exc)
            raise ValidationError(
                "Có nội dung dài hơn giới hạn cho phép nên chưa lưu được. Hãy rút ngắn nội dung "
                "vừa nhập rồi lưu lại.") from exc
        except OperationalError as exc:
            if _sqlstate(exc) != "55P03":  # lock_not_available
                raise
            raise Conflict(
                "Dữ liệu này đang được một máy khác cập nhật (thao tác dài như nhập Excel hoặc "
                "chuyển dữ liệu). Thao tác chưa được lưu; hãy chờ một lát rồi làm lại.") from exc
        except IntegrityError as exc:
            if not _is_unique_violation(exc):
                raise
            log.warning("Unique constraint hit (another PC saved at the same time?): %s", exc)
            raise Conflict(
                "Một máy khác vừa lưu dữ liệu trùng với thao tác này cùng lúc, nên thao tác chưa "
                "được lưu. Hãy tải lại (F5), xem lại rồi làm lại nếu vẫn cần.") from exc
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlstate(exc: DBAPIError) -> str:
    code = getattr(exc.orig, "sqlstate", None) or getattr(exc.orig, "pgcode", None)
    return str(code) if code else ""


def _is_unique_violation(exc: IntegrityError) -> bool:
    code = _sqlstate(exc)
    if code:
        return code == "23505"
    return "UNIQUE constraint failed" in str(exc.orig)


def check_sqlite_file(path: Path) -> None:
    """Refuse a file that is not an SQLite database, before SQLAlchemy touches it."""
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as exc:
        raise DatabaseError(
            f"Không đọc được tệp dữ liệu {path}: {exc.strerror or exc}. "
            "Kiểm tra quyền truy cập tệp hoặc chọn tệp khác."
        ) from exc
    if header != SQLITE_HEADER:
        raise DatabaseError(
            f"Tệp {path} không phải cơ sở dữ liệu của Sổ theo dõi (không phải tệp SQLite). "
            "Chương trình không sửa tệp này. Hãy chọn đúng tệp dữ liệu hoặc khôi phục "
            "từ bản sao lưu gần nhất."
        )


def open_database(target: str | Path, *, echo: bool = False) -> Database:
    """Open (without migrating) a database given a file path or an SQLAlchemy URL."""
    text = str(target)
    path: Path | None = None
    if "://" in text:
        url = text
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
    else:
        path = Path(text).expanduser()
        url = f"sqlite:///{path}"
    if path is not None:
        parent = path.resolve().parent
        if not parent.exists():
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"Không tạo được thư mục dữ liệu {parent}: {exc.strerror or exc}."
                ) from exc
        check_sqlite_file(path)
        # A URL object, not text: "%" or "?" in a folder name must stay as they are.
        engine = create_engine(URL.create("sqlite", database=str(path)), echo=echo,
                               connect_args={"timeout": 5})
        event.listen(engine, "connect", _on_sqlite_connect)
    else:
        from app.connection import normalise_url

        url = normalise_url(url)
        connect_args: dict[str, Any] = {}
        if url.startswith("postgresql"):
            # Fail in seconds when the server is off; name the program in pg_stat_activity;
            # never wait for ever behind another PC's lock, nor keep locks of a PC that hung.
            connect_args = {
                "connect_timeout": 10,
                "application_name": "sotheodoi",
                "options": f"-c lock_timeout={LOCK_TIMEOUT_MS} "
                           f"-c idle_in_transaction_session_timeout={IDLE_TIMEOUT_MS}",
            }
        engine = create_engine(url, echo=echo, pool_pre_ping=True, connect_args=connect_args)
    sessions = sessionmaker(engine, expire_on_commit=False)
    from app.db.stale import remember_versioned

    event.listen(sessions, "before_flush", remember_versioned)
    return Database(url=url, engine=engine, sessions=sessions, path=path)


def sqlite_backup(source: Path, destination: Path) -> None:
    """Copy a live SQLite database with the online backup API (consistent under WAL)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    tmp = destination.with_name(destination.name + ".tmp")
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(tmp))
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    tmp.replace(destination)
