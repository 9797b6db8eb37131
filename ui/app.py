"""Start the window: QApplication, logging to the data folder, exception hook, migrate, show."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

from app import APP_ID, APP_NAME, ORG_NAME, __version__
from app.paths import data_dir, resource_path

log = logging.getLogger("sotheodoi")


def display_available() -> bool:
    """False on a Linux machine with no screen (and no offscreen platform asked for)."""
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def setup_logging(folder: Path) -> Path:
    """Log to ``<data>/logs/sotheodoi.log`` (a windowed build has no console)."""
    from app.logfile import setup_logging as setup

    return setup(folder)


def install_exception_hook() -> None:
    """Unhandled errors in slots: logged with traceback, a short apology, the program goes on."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        log.error("Unhandled: %s", "".join(traceback.format_exception(kind, value, tb)))
        try:
            from PySide6.QtWidgets import QApplication

            from ui.dialogs.messages import show_error

            if QApplication.instance() is not None:
                show_error(QApplication.activeWindow(), value)
        except Exception:  # never let the hook itself raise
            log.exception("exception hook failed")

    sys.excepthook = hook


def open_database_with_recovery(
    db_path: Path, *, quick_check: bool = True, first_error: str | None = None
) -> tuple[object, Path] | None:
    """Open the database; when it cannot be, show DatabaseErrorDialog (restore a backup, choose
    another file, quit) until it opens or the user quits. Returns (Database, path) or None.

    ``quick_check=False``: the damage check is left to :func:`verify_after_paint`;
    ``first_error``: the file was already found damaged — the dialog comes first."""
    from app.db import connect
    from app.errors import AppError, DatabaseError
    from ui.dialogs.database_error_dialog import DatabaseErrorDialog
    from ui.dialogs.messages import show_error

    pending = DatabaseError(first_error) if first_error else None
    while True:
        try:
            if pending is not None:
                raise pending
            return connect(str(db_path), quick_check=quick_check), db_path
        except DatabaseError as exc:
            pending = None
            log.warning("Cannot open %s: %s", db_path, exc.message)
            dialog = DatabaseErrorDialog(exc.message, db_path)
            dialog.exec()
            if dialog.action == DatabaseErrorDialog.OTHER and dialog.chosen_path is not None:
                db_path = dialog.chosen_path
            elif dialog.action not in (DatabaseErrorDialog.RESTORED, DatabaseErrorDialog.RETRY):
                return None
        except AppError as exc:
            show_error(None, exc, title="Không mở được dữ liệu")
            return None


def _parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="sotheodoi", add_help=False)
    parser.add_argument("--db")
    parser.add_argument("--database-url")
    parser.add_argument("--self-test", action="store_true")
    args, _ = parser.parse_known_args(list(argv))
    return args


def create_application(argv: Sequence[str] = ()) -> object:
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)  # the program's widgets need a QApplication
    app.setApplicationName(APP_ID)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = resource_path("icons", "sotheodoi.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    from ui.screen_fit import install_screen_fit

    install_screen_fit(app)  # type: ignore[arg-type]
    return app


def run_gui(argv: Sequence[str]) -> int:
    args = _parse(argv)
    if args.self_test:  # runs offscreen: needs no screen
        from ui.self_test import run_self_test

        return run_self_test()
    if not display_available():
        sys.stderr.write(
            "Không tìm thấy màn hình để mở cửa sổ (biến DISPLAY trống). Hãy chạy chương trình "
            "trên máy có màn hình, hoặc dùng các lệnh dòng lệnh: python -m app --help\n"
        )
        return 3
    started = start_window(argv)
    if isinstance(started, int):
        return started
    window, db = started
    from PySide6.QtWidgets import QApplication

    code = QApplication.instance().exec()  # type: ignore[union-attr]
    del window
    if CURRENT.get("db") is not db:  # the file was found damaged and another one opened
        db = CURRENT.get("db")
        if db is None:  # the user quit from the recovery dialog
            from app.errors import DatabaseError

            return DatabaseError.exit_code
    import datetime as dt

    from app.exchange.backup import auto_backup
    from ui.tasks import wait_for_background

    wait_for_background()  # a load still running when the window closed ends first
    auto_backup(db, "thoat", dt.datetime.now())
    db.dispose()
    return int(code)


# The core modules the window imports before its first paint. Imported before PySide6: once
# PySide6 is loaded its import hook sees every later import, which made start-up ~0.3 s slower
# for SQLAlchemy and the models, and ~25 ms for these services (docs/performance.md).
CORE_BEFORE_QT = (
    "app.models",
    "app.services.obligations",
    "app.services.dashboard",
    "app.services.warning_list",
    "app.services.directives",
    "app.services.units",
    "app.services.submissions",
    "app.services.followup",
    "app.services.intake",
    "app.connection",
    "app.db.recovery",
    "app.exchange.backup",
)


def _import_core_before_qt() -> None:
    import importlib

    for name in CORE_BEFORE_QT:
        try:
            importlib.import_module(name)
        except ImportError:  # renamed or moved: only a little slower, imported where used
            log.warning("Start-up import of %s failed", name, exc_info=True)


def start_window(argv: Sequence[str]) -> tuple[object, Any] | int:
    """Everything from logging to the main window shown (``bench/probe.py`` times this).
    Returns (window, database), or an exit code when the database cannot be opened."""
    _import_core_before_qt()
    args = _parse(argv)
    folder = data_dir()
    log_path = setup_logging(folder)
    install_exception_hook()
    create_application(argv)
    from ui.dialogs.messages import set_log_path, show_error

    set_log_path(str(log_path))
    from app.connection import is_server_url, redact, resolve_target
    from app.errors import AppError, DatabaseError
    from ui.server_actions import open_for_gui

    try:
        target = resolve_target(args.db, args.database_url)
    except AppError as exc:
        show_error(None, exc, title="Không mở được dữ liệu")
        return exc.exit_code
    if target.needs_password or is_server_url(target.url):
        try:
            db = open_for_gui(args.db, args.database_url)
            if db is None:  # the password was asked, or the server was unreachable: gave up
                return 0
        except AppError as exc:
            show_error(None, exc, title="Không mở được dữ liệu")
            return exc.exit_code
        db_path = redact(db.url)
    else:  # the SQLite file: a damaged or locked file offers recovery
        # The damage check reads the whole file (seconds with a million obligations): it
        # runs after the first paint (verify_after_paint); header, lock and revision first.
        opened = open_database_with_recovery(Path(target.url), quick_check=False)
        if opened is None:
            return DatabaseError.exit_code
        db, opened_path = opened
        db_path = str(opened_path)
    window = _show_window(db)
    log.info("%s %s started on %s", APP_NAME, __version__, db_path)
    from app.startup import resume_collector

    resume_collector()  # the window's modules are loaded (app/startup.py)
    return window, db


# The window and database in use: replaced when a file found damaged after the first paint
# is restored from a backup or another file is chosen (run_gui backs up the one in use).
CURRENT: dict[str, Any] = {}


def _show_window(db: Any) -> Any:
    from ui.main_window import MainWindow

    window = MainWindow(db)
    window.show()
    CURRENT.update(window=window, db=db)
    if db.path is not None:
        # the damage check reads the whole file: started earlier, it competed with the first
        # page's query, and then with its first paint, for the disk and CPU
        window.after_first_paint(_if_current(window, lambda: verify_after_paint(window, db)))
    else:
        _after_verified(window, db)
    return window


def _if_current(window: Any, then: Any) -> Any:
    """``then``, run only while ``window`` is still the one in use (a file found damaged
    replaces it)."""

    def run() -> None:
        if CURRENT.get("window") is window:
            then()

    return run


PAGES_WAIT_MS = 120_000


def verify_after_paint(window: Any, db: Any) -> None:
    """``PRAGMA quick_check`` of the file on a worker thread, once the window is shown. Sound:
    the start-up notice and backup follow. Damaged: the window closes and the recovery
    dialog of a damaged file at start-up is shown (restore a backup, another file, quit)."""
    from app.db.engine import damage_error
    from ui.tasks import run_in_background

    path = Path(db.path)
    run_in_background(
        lambda: damage_error(path),
        lambda error: _on_verified(window, db, path, error),
        lambda exc: _on_verified(window, db, path, exc),
    )


def _on_verified(window: Any, db: Any, path: Path, error: BaseException | None) -> None:
    current = CURRENT.get("db")
    if current is None or current is not db:
        return  # another file is open by now
    if error is None:
        _after_verified(window, db)
        return
    from app.errors import DatabaseError

    message = error.message if isinstance(error, DatabaseError) else str(error)
    log.error("Damaged database found after start-up: %s", message)
    # The window stays on screen, disabled, under the dialog (closing the last window would
    # end the program); the file is let go of so that a backup can replace it.
    window.runner.cancel_queued()
    window.setEnabled(False)
    db.dispose()
    CURRENT.clear()
    opened = open_database_with_recovery(path, quick_check=False, first_error=message)
    if opened is None:
        from PySide6.QtWidgets import QApplication

        window.close()
        app = QApplication.instance()
        if app is not None:
            app.exit(DatabaseError.exit_code)
        return
    new_db, new_path = opened
    _show_window(new_db)
    window.close()
    log.info("%s reopened on %s", APP_NAME, new_path)


def _after_verified(window: Any, db: Any) -> None:
    """What waits for a sound file: the overdue notice, and the start-up backup once every
    page has its data (zipping a large file alongside the pages' first queries slowed them
    down several times)."""
    window.check_overdue_since_last_start()
    _when_pages_loaded(window, lambda: _schedule_start_backup(db, window))


def _when_pages_loaded(window: Any, then: Any) -> None:
    """Run ``then`` once every page is built and has its first data (the window's
    ``firstLoadsDone``)."""
    if not window.first_loads_pending():
        then()
    else:
        from ui.main_window import when_signalled

        when_signalled(window, window.firstLoadsDone, _if_current(window, then), PAGES_WAIT_MS)


START_BACKUP_DELAY_MS = 3000


def _schedule_start_backup(db: Any, window: Any) -> None:
    """The start-up backup (zipping the whole database: ~2 s with ten years of records) runs
    on the thread pool a few seconds after the window is shown, so it no longer delays the
    first paint; its snapshot (SQLite's backup API) is consistent even while the user works.
    Closed before then, the window takes the timer with it (the exit backup is made)."""
    import datetime as dt

    from PySide6.QtCore import QTimer

    from app.exchange.backup import auto_backup
    from ui.tasks import run_in_background

    now = dt.datetime.now()
    QTimer.singleShot(
        START_BACKUP_DELAY_MS,
        window,
        lambda: run_in_background(
            lambda: auto_backup(db, "khoi-dong", now), lambda _path: None, owner=window
        ),
    )
