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
    moved = moved_db_path()
    if moved is not None:
        return moved
    return data_dir() / DB_FILENAME


# --- where the data folder was moved to (a small pointer file in the config folder) -----------
LOCATION_FILE = "data-location.json"


def location_file() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_ID, ORG_NAME, roaming=False)) / LOCATION_FILE


def moved_db_path() -> Path | None:
    """The database the user moved the data to, when the pointer file names an existing one."""
    import json

    try:
        data = json.loads(location_file().read_text(encoding="utf-8"))
        path = Path(str(data["db"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return path if path.is_file() else None
