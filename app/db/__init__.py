"""Database access: engine, sessions, migrate-at-start-up."""

from app.db.engine import Database, open_database

__all__ = ["Database", "open_database"]


def connect(target: str, *, migrate: bool = True, create_folder: bool = False,
            quick_check: bool = True) -> Database:
    """Open a database and bring its schema to head (backing it up first when behind).

    ``quick_check=False`` (the window) leaves the damage check of an SQLite file to the
    caller (:func:`app.db.engine.damage_error`, after the first paint) — except when the
    schema must be upgraded: nothing is written to a file before it has been checked."""
    from app.db.migrate import upgrade

    db = open_database(target, create_folder=create_folder, quick_check=quick_check)
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
    return db


__all__ += ["connect"]


def _at_head(db: Database) -> bool:
    from app.db.migrate import _at_head_quickly

    try:
        return _at_head_quickly(db)
    except Exception:  # unreadable: let the upgrade say what is wrong
        return False
