"""Alembic at start-up: back up a database that is behind, then upgrade it to head."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from app.db.engine import Database, sqlite_backup
from app.errors import DatabaseError

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
    cfg.attributes["engine"] = db.engine
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=(.*)$", re.M)


def quick_head() -> str | None:
    """The head revision read from the version scripts' ``revision``/``down_revision`` lines,
    without importing Alembic. None when the scripts do not read as expected."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        found = _REVISION.search(text)
        down = _DOWN.search(text)
        if found is None or down is None:
            return None
        revisions.add(found.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
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


def upgrade(db: Database, *, backup_dir: Path | None = None, today: dt.datetime | None = None) -> str:
    """Bring ``db`` to head. Returns the path of the pre-upgrade backup, or "".

    A database written by a newer program (unknown revision) is refused, never touched. A
    failed upgrade of an SQLite file puts the pre-upgrade copy back.
    """
    if _at_head_quickly(db):
        return ""
    from alembic import command

    try:
        current = current_revision(db)
        has_tables = bool(inspect(db.engine).get_table_names())
    except (OperationalError, SADatabaseError) as exc:
        raise DatabaseError(
            "Không mở được cơ sở dữ liệu: tệp bị hỏng, đang bị chương trình khác khoá hoặc "
            f"không có quyền ghi ({exc.orig}). Chương trình không sửa tệp này; hãy đóng "
            "chương trình khác đang dùng tệp, hoặc khôi phục từ bản sao lưu gần nhất."
        ) from exc
    head = head_revision()
    if current == head:
        return ""
    if current is not None and current not in _known_revisions():
        raise DatabaseError(
            f"Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ {current}). "
            "Hãy cài phiên bản Sổ theo dõi mới nhất; chương trình không thay đổi tệp này."
        )
    backup = ""
    if db.path is not None and db.path.exists() and (has_tables or current is not None):
        stamp = (today or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
        folder = backup_dir or db.path.resolve().parent / "backups"
        target = folder / f"truoc-nang-cap-{current or 'moi'}-{stamp}.db"
        sqlite_backup(db.path, target)
        backup = str(target)
        log.info("Backed up %s to %s before upgrading %s -> %s", db.path, target, current, head)
    try:
        command.upgrade(alembic_config(db), "head")
    except Exception as exc:
        if backup and db.path is not None:
            db.engine.dispose()
            for suffix in ("-wal", "-shm"):
                Path(str(db.path) + suffix).unlink(missing_ok=True)
            shutil.copyfile(backup, db.path)
            log.exception("Upgrade failed; restored %s", backup)
            raise DatabaseError(
                "Nâng cấp cơ sở dữ liệu không thành công; dữ liệu đã được trả lại như trước "
                f"khi nâng cấp (bản sao: {backup}). Chi tiết: {exc}"
            ) from exc
        raise
    return backup
