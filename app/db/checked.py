"""Which SQLite files were found sound, and whether they have changed since.

``PRAGMA quick_check`` reads the whole file (~0.1 s for ten years of records, ~1 s per
300 MB). A command that only reads (``units``, ``status``, ``dashboard``, ``export``) skips it
when the file is byte for byte the one a full check found sound: same size, modification time,
change time and file number, and no write-ahead log with content beside it. Anything that
writes to the file changes at least one of these (on Windows the change time is the creation
time: a file put in place by a copy or a restore has a new file number), so a file written
since — by this program, another program or another PC — is checked again. The window's start
(after its first paint), every command that writes and every backup still check in full
(docs/reliability.md, "Look before touching").

The stamps are kept in the data folder (``kiem-tra-toan-ven.json``), never beside the file: a
file that is not ours is never written to, and the folder of a file on a USB drive or a share
is not ours either.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

CHECKED_FILE = "kiem-tra-toan-ven.json"
KEEP = 20  # the files most recently found sound

Stamp = list[int]


def stamp(path: Path) -> Stamp | None:
    """What changes whenever the file's content does; None when it cannot be read or a
    write-ahead log with content sits beside it (its pages are part of the data)."""
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None
        info = path.stat()
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _memo_path() -> Path:
    from app.paths import data_dir

    return data_dir() / CHECKED_FILE


def _key(path: Path) -> str:
    return str(path.resolve())


def _load() -> dict[str, Stamp]:
    try:
        data = json.loads(_memo_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def unchanged_since_checked(path: Path) -> bool:
    """True when ``path`` is the very file a full check found sound."""
    now = stamp(path)
    if now is None:
        return False
    try:
        return _load().get(_key(path)) == now
    except (OSError, RuntimeError, ValueError):
        return False


def remember_sound(path: Path, before: Stamp | None) -> None:
    """A full check found ``path`` sound; ``before`` is its stamp taken before the check (a
    file written during the check then no longer matches). Never fails a command: without the
    memo the next command checks in full."""
    if before is None:
        return
    try:
        memo = _load()
        key = _key(path)
        memo.pop(key, None)
        memo[key] = before
        kept = dict(list(memo.items())[-KEEP:])
        target = _memo_path()
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, target)
    except (OSError, RuntimeError, ValueError):
        import logging

        logging.getLogger(__name__).warning("Could not remember the check of %s", path)
