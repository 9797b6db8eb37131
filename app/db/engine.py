"""The engine (SQLite in WAL mode with foreign keys, or a server URL) and the session factory."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from app.changes import Written, record_flush, record_statement, written_by
from app.errors import Conflict, DatabaseError, ValidationError

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
LOCK_TIMEOUT_MS = 30_000  # a write waiting behind another PC's transaction gives up after this
IDLE_TIMEOUT_MS = 600_000  # a PC that stopped mid-transaction releases its locks after this


BUSY_TIMEOUT_MS = 5000


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is off; SQLAlchemy's "begin" event below emits
    # BEGIN itself, so DDL (migrations) is transactional too: a crash mid-migration leaves
    # the previous schema, never half a schema.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


# Execution option naming how a transaction begins on SQLite: "IMMEDIATE" for a write. A
# deferred BEGIN takes the write lock only at the first write; when another process wrote in
# between, SQLite refuses at once (SQLITE_BUSY, no busy wait: waiting could not help, the
# transaction's snapshot is stale). BEGIN IMMEDIATE takes the write lock first, waiting up to
# BUSY_TIMEOUT_MS behind the other writer, so the documented wait holds.
BEGIN_OPTION = "sotheodoi_sqlite_begin"


def _on_sqlite_begin(connection: Any) -> None:
    mode = connection.get_execution_options().get(BEGIN_OPTION, "")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if mode == "IMMEDIATE" else "BEGIN")


def writing(engine: Engine) -> Engine:
    """``engine`` whose transactions begin as writes (BEGIN IMMEDIATE on SQLite)."""
    if engine.dialect.name != "sqlite":
        return engine
    return engine.execution_options(**{BEGIN_OPTION: "IMMEDIATE"})


@dataclass
class Database:
    """One database: its URL, engine and session factory. The UI never holds a Session."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None = None  # the SQLite file, when there is one

    def __post_init__(self) -> None:
        self._write_engine = writing(self.engine)
        # what each write transaction wrote (app.changes), for track_changes
        event.listen(self.sessions, "after_flush", record_flush)
        event.listen(self.sessions, "do_orm_execute", record_statement)
        self._tracking = threading.local()

    def _trackers(self) -> list[Written]:
        """This thread's open :meth:`track_changes` blocks, outermost first."""
        trackers: list[Written] | None = getattr(self._tracking, "trackers", None)
        if trackers is None:
            trackers = self._tracking.trackers = []
        return trackers

    @contextmanager
    def track_changes(self) -> Iterator[Written]:
        """What the transactions committed on this thread inside the block changed
        (``written.value``, an :class:`app.changes.Change`): services say what they changed
        without returning it. Blocks may nest; each sees every write made inside it. A
        transaction rolled back adds nothing; another thread's writes are not seen."""
        written = Written()
        trackers = self._trackers()
        trackers.append(written)
        try:
            yield written
        finally:
            trackers.remove(written)

    @property
    def tracking_changes(self) -> bool:
        """A :meth:`track_changes` block is open on this thread."""
        return bool(self._trackers())

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
        session = self.sessions(bind=self._write_engine)
        try:
            with session.begin():
                yield session
            written = written_by(session)  # committed: what it wrote counts
            for tracker in self._trackers():
                tracker.value |= written
        except StaleDataError as exc:
            from app.db.stale import stale_edit_from_session

            with self.sessions() as fresh:
                stale = stale_edit_from_session(session, fresh)
            raise stale from exc
        except DataError as exc:  # a value longer than its column: PostgreSQL refuses it
            log.error("Value refused by the database: %s", exc)
            raise ValidationError(
                "Có nội dung dài hơn giới hạn cho phép nên chưa lưu được. Hãy rút ngắn nội dung "
                "vừa nhập rồi lưu lại."
            ) from exc
        except OperationalError as exc:
            if _sqlstate(exc) != "55P03":  # lock_not_available
                raise
            raise Conflict(
                "Dữ liệu này đang được một máy khác cập nhật (thao tác dài như nhập Excel hoặc "
                "chuyển dữ liệu). Thao tác chưa được lưu; hãy chờ một lát rồi làm lại."
            ) from exc
        except IntegrityError as exc:
            if not _is_unique_violation(exc):
                raise
            log.warning("Unique constraint hit (another PC saved at the same time?): %s", exc)
            raise Conflict(
                "Một máy khác vừa lưu dữ liệu trùng với thao tác này cùng lúc, nên thao tác chưa "
                "được lưu. Hãy tải lại (F5), xem lại rồi làm lại nếu vẫn cần."
            ) from exc
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
    if not path.is_file():
        raise DatabaseError(
            f"{path} là một thư mục, không phải tệp dữ liệu. Hãy chọn đúng tệp dữ liệu (.db)."
        )
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


def check_writable(path: Path) -> None:
    """Refuse a read-only file or folder up front (SQLite in WAL mode cannot even read it)."""
    folder = path.resolve().parent
    if path.exists():
        mode = path.stat().st_mode
        if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
            raise DatabaseError(
                f"Tệp dữ liệu {path} đang ở chế độ chỉ đọc, chương trình không ghi được. "
                "Hãy bỏ thuộc tính chỉ đọc của tệp (chuột phải > Properties > bỏ chọn "
                "Read-only) hoặc chép tệp sang thư mục của mình rồi mở lại."
            )
    if not os.access(folder, os.W_OK):
        raise DatabaseError(
            f"Không có quyền ghi vào thư mục {folder}, nơi đặt tệp dữ liệu. Hãy chép tệp dữ "
            "liệu sang thư mục của mình (ví dụ Tài liệu) rồi mở lại."
        )


def preflight(path: Path, *, quick_check: bool = True, reads_only: bool = False) -> None:
    """Look at an existing file before the program changes anything in it (even the switch to
    WAL mode writes its header): ``PRAGMA quick_check`` and the schema revision. A damaged
    file or one from a newer program is refused untouched.

    ``quick_check=False`` leaves out the damage check, which reads the whole file (~1 s per
    300 MB): the window runs :func:`damage_error` in the background after its first paint
    instead (docs/performance.md, "Usable at L"). The header and revision checks stay.
    ``reads_only`` (a command that only reads) skips it for a file unchanged since a full
    check found it sound (:mod:`app.db.checked`)."""
    if not path.exists() or path.stat().st_size == 0:
        return
    from app.db import checked

    if reads_only and checked.unchanged_since_checked(path):
        quick_check = False
    try:
        con = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.Error as exc:
        raise database_error(exc, path) from exc
    try:
        if quick_check:
            before = checked.stamp(path)
            error = _quick_check(con, path)
            if error is not None:
                raise error
            checked.remember_sound(path, before)
        tables = {
            str(r[0])
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        stamps = (
            [str(r[0]) for r in con.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables
            else []
        )
    except sqlite3.Error as exc:
        raise database_error(exc, path) from exc
    finally:
        con.close()
    error = foreign_schema_error(path, tables, stamps)
    if error is not None:
        raise error


# The tables every revision of the program has had since the first one (0001): a file holding
# none of them was written by another program.
OUR_TABLES = frozenset(
    {
        "audit_entry",
        "directive",
        "setting",
        "unit",
        "task",
        "obligation",
        "task_unit",
        "task_unit_kind",
        "submission",
    }
)


def foreign_schema_error(path: Path, tables: set[str], stamps: list[str]) -> DatabaseError | None:
    """The error for an SQLite file the program must not touch, judged by its table names and
    its schema revision: another program's database (tables, none of ours), a file of ours
    that lost its revision stamp, or a file from a newer program. None for a file with no
    table at all (new, or a first set-up rolled back) and for a file of ours."""
    if not tables:
        return None
    ours = tables & OUR_TABLES
    if not stamps:
        if ours:
            return DatabaseError(
                f"Tệp dữ liệu {path} có các bảng của Sổ theo dõi nhưng thiếu thông tin phiên bản "
                "lược đồ (bảng alembic_version), nên chương trình không biết mở tệp này an toàn. "
                "Chương trình không sửa tệp này. Hãy khôi phục từ bản sao lưu gần nhất (cửa sổ "
                "chương trình liệt kê các bản trong thư mục "
                f"{path.resolve().parent / 'backups'})."
            )
        return _not_ours(path, tables)
    from app.db.migrate import newer_revision_error

    for stamp in stamps:
        error = newer_revision_error(stamp)
        if error is not None:
            return error if ours else _not_ours(path, tables)
    return None


def _not_ours(path: Path, tables: set[str]) -> DatabaseError:
    names = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return DatabaseError(
        f"Tệp {path} là cơ sở dữ liệu của một chương trình khác (có các bảng: {names}), không "
        "phải tệp dữ liệu của Sổ theo dõi. Chương trình không sửa tệp này. Hãy chọn đúng tệp "
        "dữ liệu của Sổ theo dõi, hoặc đặt một tên tệp mới để bắt đầu dữ liệu mới."
    )


def _quick_check(con: sqlite3.Connection, path: Path) -> DatabaseError | None:
    rows = [str(r[0]) for r in con.execute("PRAGMA quick_check").fetchall()]
    if rows == ["ok"]:
        return None
    log.error("quick_check failed on %s: %s", path, rows[:20])
    return DatabaseError(
        f"Tệp dữ liệu {path} bị hỏng (kiểm tra toàn vẹn không đạt: {rows[0][:200]}). "
        "Chương trình không sửa tệp này. Hãy khôi phục từ bản sao lưu gần nhất hoặc "
        "chọn tệp dữ liệu khác."
    )


def damage_error(path: Path) -> DatabaseError | None:
    """``PRAGMA quick_check`` of an SQLite file on its own read-only connection (safe on a
    worker thread while the program uses the file): the error the user sees, or None when
    the file is sound."""
    try:
        con = sqlite3.connect(
            f"file:{path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    except sqlite3.Error as exc:
        return database_error(exc, path)
    try:
        return _quick_check(con, path)
    except sqlite3.Error as exc:
        return database_error(exc, path)
    finally:
        con.close()


def database_error(exc: BaseException, path: Path | None = None) -> DatabaseError:
    """The Vietnamese message for an error SQLite raised while reading or writing."""
    text = str(getattr(exc, "orig", None) or exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return DatabaseError(
            f"Tệp dữ liệu đang bị một chương trình khác giữ (đã chờ {BUSY_TIMEOUT_MS // 1000} "
            "giây). Thao tác chưa được thực hiện, dữ liệu không thay đổi. Hãy đóng cửa sổ "
            "Sổ theo dõi khác hoặc chương trình đang mở tệp này (ví dụ DB Browser) rồi thử lại."
        )
    if "readonly" in low or "read-only" in low or "unable to open" in low:
        return DatabaseError(
            f"Không ghi được vào tệp dữ liệu ({text}). Thao tác chưa được thực hiện. Hãy kiểm "
            "tra tệp không ở chế độ chỉ đọc và thư mục cho phép ghi."
        )
    if "disk i/o" in low:
        return DatabaseError(
            "Lỗi đọc/ghi ổ đĩa khi dùng tệp dữ liệu. Thao tác chưa được thực hiện. Nếu tệp nằm "
            "trên ổ USB hoặc ổ mạng, hãy kiểm tra kết nối rồi mở lại chương trình."
        )
    if "disk is full" in low:
        return DatabaseError(
            "Ổ đĩa đã đầy, không ghi được dữ liệu. Thao tác chưa được thực hiện, dữ liệu đã lưu "
            "không bị ảnh hưởng. Hãy giải phóng dung lượng ổ đĩa rồi thử lại."
        )
    if "malformed" in low or "not a database" in low or "corrupt" in low:
        where = (
            (
                f" (cửa sổ chương trình liệt kê các bản trong thư mục "
                f"{path.resolve().parent / 'backups'})"
            )
            if path is not None
            else ""
        )
        return DatabaseError(
            f"Tệp dữ liệu {path or ''} bị hỏng ({text}). Chương trình không sửa tệp này. "
            f"Hãy khôi phục từ bản sao lưu gần nhất{where}.".replace("  ", " ")
        )
    return DatabaseError(
        f"Lỗi cơ sở dữ liệu: {text}. Thao tác chưa được thực hiện. Hãy thử lại; nếu lỗi lặp "
        "lại, hãy khôi phục từ bản sao lưu gần nhất."
    )


def is_database_failure(exc: BaseException) -> bool:
    """An error from the database engine itself (locked, damaged, disk full), not a bug."""
    orig = exc.orig if isinstance(exc, DBAPIError) else exc
    # OperationalError: locked, busy, full, I/O, read-only; the bare DatabaseError: damaged.
    # IntegrityError, ProgrammingError… are bugs and stay "unexpected".
    return isinstance(orig, sqlite3.OperationalError) or type(orig) is sqlite3.DatabaseError


def unusable_path_error(path: Path, exc: BaseException) -> DatabaseError:
    """The error for a database path the operating system refuses (too long, bad name)."""
    import errno

    shown = str(path) if len(str(path)) <= 120 else str(path)[:80] + "…" + str(path)[-30:]
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        why = (
            f"tên tệp hoặc đường dẫn quá dài ({len(path.name)} ký tự; hệ điều hành cho "
            "phép tối đa khoảng 255 ký tự cho một tên)"
        )
    elif isinstance(exc, OSError):
        why = f"hệ điều hành không dùng được đường dẫn này ({exc.strerror or exc})"
    elif isinstance(exc, RuntimeError):
        why = "đường dẫn có liên kết vòng (symlink trỏ về chính nó)"
    else:
        why = "đường dẫn có ký tự không hợp lệ"
    return DatabaseError(
        f"Không mở được tệp dữ liệu {shown}: {why}. Hãy chọn tệp có tên ngắn "
        "hơn, trong một thư mục có sẵn."
    )


def open_database(
    target: str | Path,
    *,
    echo: bool = False,
    create_folder: bool = False,
    quick_check: bool = True,
    reads_only: bool = False,
) -> Database:
    """Open (without migrating) a database given a file path or an SQLAlchemy URL.

    A missing folder is an error (a USB or network drive not plugged in must not silently
    give an empty database) unless ``create_folder`` is true. ``quick_check=False`` and
    ``reads_only``: see :func:`preflight`.
    """
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
        try:
            parent = path.resolve().parent
            parent_exists = parent.exists()
        except (OSError, RuntimeError, ValueError) as exc:  # a symlink loop, a NUL byte
            raise unusable_path_error(path, exc) from exc
        if not parent_exists and not create_folder:
            raise DatabaseError(
                f"Không tìm thấy thư mục dữ liệu {parent}. Nếu tệp dữ liệu nằm trên ổ USB hoặc "
                "ổ mạng, hãy cắm/kết nối lại rồi mở lại chương trình; hoặc chọn tệp dữ liệu khác."
            )
        if not parent_exists:
            try:
                parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseError(
                    f"Không tạo được thư mục dữ liệu {parent}: {exc.strerror or exc}."
                ) from exc
        try:
            check_sqlite_file(path)
            check_writable(path)
        except (OSError, ValueError) as exc:  # a name too long for the file system, a NUL…
            raise unusable_path_error(path, exc) from exc
        preflight(path, quick_check=quick_check, reads_only=reads_only)
        # A URL object, not text: "%" or "?" in a folder name must stay as they are.
        engine = create_engine(
            URL.create("sqlite", database=str(path)),
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
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
    try:
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
        with tmp.open("rb+") as handle:
            os.fsync(handle.fileno())
        tmp.replace(destination)
    except BaseException:
        tmp.unlink(missing_ok=True)  # never leave half a backup behind
        raise
