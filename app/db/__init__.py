"""Database access: engine, sessions, migrate-at-start-up."""

from app.db.engine import Database, open_database

__all__ = ["Database", "open_database"]


def connect(target: str, *, migrate: bool = True, create_folder: bool = False) -> Database:
    """Open a database and bring its schema to head (backing it up first when behind)."""
    from app.db.migrate import upgrade

    db = open_database(target, create_folder=create_folder)
    if migrate:
        try:
            upgrade(db)
        except Exception:
            db.dispose()
            raise
    return db


__all__ += ["connect"]
