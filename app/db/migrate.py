"""Alembic at start-up: back up a database that is behind, then upgrade it to head."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import shutil
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from app.db.engine import Database, database_error, sqlite_backup
from app.errors import DatabaseError
from app.fileio import os_error_message

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported only when a database is not at head: importing it costs ~0.2 s of every
# start-up (docs/performance.md, cold start).

log = logging.getLogger(__name__)


def _migrations_dir() -> Path:
    """The Alembic scripts: beside this module, or in the bundle (shipped as data) when frozen."""
    if getattr(sys, "frozen", False):
        from app.paths import resource_root

        return resource_root() / "app" / "db" / "migrations"
    return Path(__file__).resolve().parent / "migrations"


MIGRATIONS_DIR = _migrations_dir()


def alembic_config(db: Database) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    from app.db.engine import writing

    cfg.attributes["engine"] = writing(db.engine)  # BEGIN IMMEDIATE: wait for another writer
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        from alembic.runtime.migration import MigrationContext

        return MigrationContext.configure(conn).get_current_revision()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def newer_revision_error(current: str) -> DatabaseError | None:
    """The error for a database stamped by a newer program, or None when ``current`` is ours."""
    if current in _quick_revisions() or current in _known_revisions():
        return None
    return DatabaseError(
        f"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ {current}). "
        "Hãy cài phiên bản Sổ theo dõi mới nhất; chương trình không thay đổi tệp này."
    )


def check_integrity(db: Database) -> None:
    """``PRAGMA quick_check`` at start-up: a damaged file is refused before anything is
    written to it (the program never "repairs" a file by itself)."""
    with db.engine.connect() as conn:
        rows = [str(r[0]) for r in conn.exec_driver_sql("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        log.error("quick_check failed on %s: %s", db.path, rows[:20])
        raise DatabaseError(
            f"Tệp dữ liệu {db.path or db.url} bị hỏng (kiểm tra toàn vẹn không đạt: "
            f"{rows[0][:200]}). Chương trình không sửa tệp này. Hãy khôi phục từ bản sao lưu "
            "gần nhất hoặc chọn tệp dữ liệu khác."
        )


# Any 64-bit number the program owns: the advisory lock taken while migrating a server.
MIGRATION_LOCK = 0x50744F_D01


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=(.*)$", re.M)


def _read_scripts() -> tuple[set[str], set[str]] | None:
    """(revisions, parents) read from the version scripts without importing Alembic; None
    when a script does not read as expected."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        content = script.read_text(encoding="utf-8")
        found = _REVISION.search(content)
        down = _DOWN.search(content)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    return revisions, parents


def _quick_revisions() -> set[str]:
    read = _read_scripts()
    return read[0] if read else set()


def quick_head() -> str | None:
    """The head revision read from the version scripts' ``revision``/``down_revision`` lines,
    without importing Alembic. None when the scripts do not read as expected."""
    read = _read_scripts()
    if read is None:
        return None
    heads = read[0] - read[1]
    return heads.pop() if len(heads) == 1 else None


def _at_head_quickly(db: Database) -> bool:
    """True when the database's ``alembic_version`` is the head (the usual start-up)."""
    head = quick_head()
    if head is None:
        return False
    try:
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except (OperationalError, SADatabaseError):
        return False  # no table yet, or unreadable: the full path reports it
    return [r[0] for r in rows] == [head]


def upgrade(
    db: Database, *, backup_dir: Path | None = None, today: dt.datetime | None = None
) -> str:
    """Bring ``db`` to head. Returns the path of the pre-upgrade backup, or "".

    On a server, several PCs may start the new version at once: the first one migrates while
    holding an advisory lock, the others wait for it and then find the schema at head.
    """
    if db.is_sqlite:
        return _upgrade(db, backup_dir=backup_dir, today=today)
    try:
        conn = db.engine.connect()
    except (OperationalError, SADatabaseError) as exc:
        from app.connection import describe_connection_error

        raise DatabaseError(describe_connection_error(exc, db.url)) from exc
    with conn:
        conn.execute(text("SET lock_timeout = 0"))  # wait for the PC that is migrating
        conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK})
        conn.commit()
        try:
            return _upgrade(db, backup_dir=backup_dir, today=today)
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK})
            conn.commit()


def _upgrade(
    db: Database, *, backup_dir: Path | None = None, today: dt.datetime | None = None
) -> str:
    """Bring ``db`` to head. Returns the path of the pre-upgrade backup, or "".

    A database written by a newer program (unknown revision) is refused, never touched. A
    failed upgrade of an SQLite file puts the pre-upgrade copy back.
    """
    try:
        if db.is_sqlite and db.path is None:
            check_integrity(db)  # a file was already checked by engine.preflight
        if _at_head_quickly(db):  # the usual start-up: no Alembic import at all
            return ""
        current = current_revision(db)
        has_tables = bool(inspect(db.engine).get_table_names())
    except (OperationalError, SADatabaseError) as exc:
        if not db.is_sqlite:
            from app.connection import describe_connection_error

            raise DatabaseError(describe_connection_error(exc, db.url)) from exc
        reason = str(exc.orig).lower()
        if any(w in reason for w in ("locked", "busy", "malformed", "not a database")):
            raise database_error(exc) from exc
        raise DatabaseError(
            "Không mở được cơ sở dữ liệu: tệp bị hỏng, đang bị chương trình khác khoá hoặc "
            f"không có quyền ghi ({exc.orig}). Chương trình không sửa tệp này; hãy đóng "
            "chương trình khác đang dùng tệp, hoặc khôi phục từ bản sao lưu gần nhất."
        ) from exc
    head = head_revision()
    if current == head:
        return ""
    if current is not None:
        error = newer_revision_error(current)
        if error is not None:
            raise error
    backup = ""
    if db.path is not None and db.path.exists() and (has_tables or current is not None):
        stamp = (today or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        folder = backup_dir or db.path.resolve().parent / "backups"
        target = folder / f"truoc-nang-cap-{current or 'moi'}-{stamp}.db"
        try:
            sqlite_backup(db.path, target)
        except (OSError, sqlite3.Error) as exc:
            reason = (
                os_error_message(target, exc)
                if isinstance(exc, OSError)
                else database_error(exc).message
            )
            raise DatabaseError(
                "Chưa nâng cấp được cơ sở dữ liệu vì không tạo được bản sao an toàn trước khi "
                f"nâng cấp; dữ liệu không thay đổi. {reason}"
            ) from exc
        backup = str(target)
        log.info("Backed up %s to %s before upgrading %s -> %s", db.path, target, current, head)
    try:
        from alembic import command

        command.upgrade(alembic_config(db), "head")
    except Exception as exc:
        if backup and db.path is not None:
            db.engine.dispose()
            staged = db.path.with_name(db.path.name + ".khoi-phuc.tmp")
            shutil.copyfile(backup, staged)  # the copy is complete before the file is touched
            for suffix in ("-wal", "-shm"):
                Path(str(db.path) + suffix).unlink(missing_ok=True)
            os.replace(staged, db.path)
            log.exception("Upgrade failed; restored %s", backup)
            raise DatabaseError(
                "Nâng cấp cơ sở dữ liệu không thành công; dữ liệu đã được trả lại như trước "
                f"khi nâng cấp (bản sao: {backup}). Chi tiết: {exc}"
            ) from exc
        if isinstance(exc, (OperationalError, SADatabaseError)):
            raise database_error(exc) from exc
        log.exception("Setting up a new database failed")
        raise DatabaseError(
            "Không thiết lập được cơ sở dữ liệu mới (mọi thay đổi đã được huỷ). "
            f"Chi tiết: {exc}. Hãy thử lại hoặc chọn thư mục khác."
        ) from exc
    return backup


# --- the schema a revision must have (a backup carrying our stamp is checked against it) ------

_SCHEMAS: dict[str, dict[str, frozenset[str]]] = {}


def sqlite_schema(path: Path) -> dict[str, frozenset[str]]:
    """Table name → column names of an SQLite file (read-only)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            str(r[0])
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            name: frozenset(
                str(r[1]) for r in con.execute("SELECT * FROM pragma_table_info(?)", (name,))
            )
            for name in names
        }
    finally:
        con.close()


def expected_schema(revision: str, work: Path) -> dict[str, frozenset[str]]:
    """The tables and columns of a new database migrated to ``revision``: made once per
    revision in ``work`` (a staging folder), then remembered."""
    if revision not in _SCHEMAS and revision == quick_head():
        # The head's schema is the models' (tests/test_migrations.py proves them equal):
        # no Alembic import, no migration run.
        import app.models  # noqa: F401  (registers every table)
        from app.models.base import Base

        schema = {
            t.name: frozenset(c.name for c in t.columns) for t in Base.metadata.tables.values()
        }
        schema["alembic_version"] = frozenset({"version_num"})
        _SCHEMAS[revision] = schema
    if revision not in _SCHEMAS:
        from alembic import command

        from app.db.engine import open_database

        reference = work / f"luoc-do-{re.sub(r'[^A-Za-z0-9_]', '_', revision)}.db"
        db = open_database(reference)
        try:
            command.upgrade(alembic_config(db), revision)
        finally:
            db.dispose()
        schema = sqlite_schema(reference)
        for suffix in ("", "-wal", "-shm"):
            Path(str(reference) + suffix).unlink(missing_ok=True)
        if not schema:  # every revision has tables: something is wrong, check nothing
            log.error("No schema for revision %s", revision)
            return {}
        _SCHEMAS[revision] = schema
    return _SCHEMAS[revision]


def schema_differences(path: Path, revision: str, work: Path | None = None) -> list[str]:
    """What ``path`` lacks of the schema its stamp ``revision`` promises ("bảng unit",
    "cột unit.name"…); empty when every table and column is there. A stamp alone proves
    nothing: a file stamped by hand or by a broken tool must not be restored."""
    expected = expected_schema(revision, work or path.parent)
    actual = sqlite_schema(path)
    missing: list[str] = []
    for table, columns in sorted(expected.items()):
        if table not in actual:
            missing.append(f"bảng {table}")
        else:
            missing += [f"cột {table}.{c}" for c in sorted(columns - actual[table])]
    return missing
