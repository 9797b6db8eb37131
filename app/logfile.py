"""The log file ``<data folder>/logs/sotheodoi.log``: where tracebacks go, for the window and the
command line alike. The user never sees a traceback; a message names this file instead."""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

LOG_FOLDER = "logs"
LOG_NAME = "sotheodoi.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _QuietHandler(logging.handlers.RotatingFileHandler):
    """A log file that never prints "--- Logging error ---" to the console when it cannot be
    written (full disk, read-only folder): the log is lost, the program goes on."""

    def handleError(self, record: logging.LogRecord) -> None:
        pass


def log_path(folder: Path | None = None) -> Path:
    if folder is None:
        from app.paths import data_dir

        folder = data_dir()
    return folder / LOG_FOLDER / LOG_NAME


def file_handler(folder: Path | None = None) -> tuple[logging.Handler, Path | None]:
    """A rotating handler on the log file (opened at the first record), or a handler that
    drops everything when the folder cannot be made — never the console."""
    try:
        path = log_path(folder)
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = _QuietHandler(
            path, maxBytes=2_000_000, backupCount=3, encoding="utf-8", delay=True
        )
    except (OSError, ValueError):
        return logging.NullHandler(), None
    handler.setFormatter(logging.Formatter(_FORMAT))
    return handler, path


def setup_logging(folder: Path) -> Path:
    """The window: log to the file for the whole session."""
    root = logging.getLogger()
    path = log_path(folder)
    if not any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        handler, opened = file_handler(folder)
        root.addHandler(handler)
        path = opened or path
    root.setLevel(logging.INFO)
    return path


CURRENT: dict[str, Path | None] = {"path": None}


@contextlib.contextmanager
def logging_to_file() -> Iterator[Path | None]:
    """The command line: during one command, every log record goes to the file (not to the
    console, where Python's last-resort handler would print warnings and tracebacks)."""
    root = logging.getLogger()
    existing = [h for h in root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    if existing:
        yield Path(existing[0].baseFilename)
        return
    handler, path = file_handler()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    CURRENT["path"] = path
    try:
        yield path
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        with contextlib.suppress(Exception):  # a full disk: the last lines are lost, quietly
            handler.close()
        CURRENT["path"] = None
