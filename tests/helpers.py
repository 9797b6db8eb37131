"""Small helpers shared by test modules."""

from __future__ import annotations

from app.db import Database


def db_arg(db: Database) -> str:
    """What to give ``--db`` for this database: its file, or its server URL."""
    return str(db.path or db.url)
