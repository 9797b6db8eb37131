"""Where things live: the user's data folder and the program's bundled resources."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs import user_data_dir

from app import APP_ID, ORG_NAME

DB_ENV = "SOTHEODOI_DB"
DATA_ENV = "SOTHEODOI_DATA"
DB_FILENAME = "sotheodoi.db"


def resource_root() -> Path:
    """The folder holding ``resources/`` and the migrations: the bundle or the repository."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """A file under ``resources/`` (fonts, icons, sample data)."""
    return resource_root().joinpath("resources", *parts)


def data_dir() -> Path:
    """The user's data folder (database, attachments, backups, logs). Created on demand."""
    override = os.environ.get(DATA_ENV)
    folder = Path(override) if override else Path(user_data_dir(APP_ID, ORG_NAME, roaming=False))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def default_db_path() -> Path:
    """The database used when none is named: ``SOTHEODOI_DB`` or the data folder's file."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def companion_dir(db_path: Path, name: str) -> Path:
    """A folder that belongs to one database file (attachments, backups, logs) beside it."""
    folder = db_path.resolve().parent / name
    return folder
