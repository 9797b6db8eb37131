"""Alembic at start-up: back up a database that is behind, then upgrade it to head."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

from app.db.engine import Database, sqlite_backup
from app.errors import DatabaseError

log = logging.getLogger(__name__)



def _migrations_dir() -> Path:
    """The Alembic scripts: beside this module, or in the bundle (shipped as data) when frozen."""
    if getattr(sys, "frozen", False):
        from app.paths import resource_root

        return resource_root() / "app" / "db" / "migrations"
    return Path(__file__).resolve().parent / "migrations"


MIGRATIONS_DIR = _migrations_dir()


def alembic_config(db: Database) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", db.url.replace("%", "%%"))
    cfg.attributes["engine"] = db.engine
    return cfg


def head_revision() -> str:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    head = script.get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known_revisions() -> set[str]:
    script = ScriptDirectory(str(MIGRATIONS_DIR))
    return {rev.revision for rev in script.walk_revisions()}


def upgrade(db: Database, *, backup_dir: Path | None = None, today: dt.datetime | None = None) -> str:
    """Bring ``db`` to head. Returns the path of the pre-upgrade backup, or "".

    A database written by a newer program (unknown revision) is refused, never touched. A
    failed upgrade of an SQLite file puts the pre-upgrade copy back.
    """
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
