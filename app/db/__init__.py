"""Database access: engine, sessions, migrate-at-start-up."""

from app.db.engine import Database, open_database

__all__ = ["Database", "open_database"]


def connect(
    target: str,
    *,
    migrate: bool = True,
    create_folder: bool = False,
    quick_check: bool = True,
    reads_only: bool = False,
) -> Database:
    """Open a database and bring its schema to head (backing it up first when behind).

    ``quick_check=False`` (the window) leaves the damage check of an SQLite file to the
    caller (:func:`app.db.engine.damage_error`, after the first paint) — except when the
    schema must be upgraded: nothing is written to a file before it has been checked.
    ``reads_only`` (a command that only reads) skips the check of a file unchanged since one
    found it sound (:mod:`app.db.checked`)."""
    from app.db.migrate import upgrade

    _finish_interrupted_restore(target)
    db = open_database(
        target, create_folder=create_folder, quick_check=quick_check, reads_only=reads_only
    )
    if not quick_check and migrate and db.path is not None and not _at_head(db):
        from app.db.engine import damage_error

        error = damage_error(db.path)
        if error is not None:
            db.dispose()
            raise error
    if migrate:
        try:
            upgrade(db)
        except Exception:
            db.dispose()
            raise
    if db.path is not None:
        _clean_stale_stages(db.path)
    return db


def _finish_interrupted_restore(target: str) -> None:
    """A restore killed between its attachments and its database: set right before opening
    (app.exchange.backup.finish_interrupted_restore). Costs one file check otherwise."""
    from pathlib import Path

    if "://" in target and not target.startswith("sqlite:///"):
        return
    try:
        path = Path(target.removeprefix("sqlite:///")).expanduser()
        if not (path.resolve().parent / ".khoi-phuc-dang-do.json").exists():
            return
        from app.exchange.backup import finish_interrupted_restore

        finish_interrupted_restore(path)
    except Exception:  # never stops a start; the open below says what is wrong, if anything
        import logging

        logging.getLogger(__name__).warning("Interrupted restore not resolved", exc_info=True)


# Copies a restore stages beside the file and renames into place within seconds; one older
# than this was left by a killed process.
STALE_COPY_SECONDS = 600


def _clean_stale_stages(path: object) -> None:
    """At start: remove what a killed backup or restore left beside the file — its staging
    folders (``.sotheodoi-tam-*``, unlocked), the staged database copy
    (``<name>.khoi-phuc.tmp``) and the staged copies of a backup's attachments. Never the
    current attachments moved aside (``.attachments-cu-*``): those are her files."""
    import shutil
    import time
    from pathlib import Path

    from app.fileio import remove_stale_stages

    try:
        file = Path(str(path)).resolve()
        remove_stale_stages(file.parent)
        from app.paths import data_dir

        if data_dir().resolve() != file.parent:  # a backup checked from the window stages there
            remove_stale_stages(data_dir())
        old = time.time() - STALE_COPY_SECONDS
        copies = [
            file.with_name(file.name + ".khoi-phuc.tmp"),
            *file.parent.glob(".attachments-moi-*"),
            *file.parent.glob(".attachments-khoi-phuc-*"),
        ]
        for copy in copies:
            if copy.exists() and copy.stat().st_mtime < old:
                if copy.is_dir():
                    shutil.rmtree(copy, ignore_errors=True)
                else:
                    copy.unlink(missing_ok=True)
    except Exception:  # never stops a start
        import logging

        logging.getLogger(__name__).warning("Could not clean staging folders", exc_info=True)


__all__ += ["connect"]


def _at_head(db: Database) -> bool:
    from app.db.migrate import _at_head_quickly

    try:
        return _at_head_quickly(db)
    except Exception:  # unreadable: let the upgrade say what is wrong
        return False
