"""Data menu actions of the main window: backup, restore, Excel import and templates, and the
data folder (Help menu). ``install_data_actions(window)`` adds them; nothing else in the window
has to know about them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QProgressDialog, QWidget

from app.exchange.backup import default_backup_name
from ui.operations import run_operation
from ui.tasks import run_in_background

if TYPE_CHECKING:
    from ui.main_window import MainWindow

_DIR_KEY = "data/last_dir"


class DataActions(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._busy: QProgressDialog | None = None
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        w = self.window
        self.backup_action = QAction("Sao lưu…", w)
        self.backup_action.setToolTip(
            "Sao lưu dữ liệu và tệp đính kèm vào một tệp .zip (ví dụ lên USB)"
        )
        self.restore_action = QAction("Khôi phục…", w)
        self.import_units_action = QAction("Nhập đơn vị từ Excel…", w)
        self.import_submissions_action = QAction("Nhập văn bản nhận được từ Excel…", w)
        self.import_history_action = QAction("Các lần nhập Excel (hoàn tác)…", w)
        self.import_history_action.setToolTip(
            "Xem các lần nhập Excel đã làm và hoàn tác cả một lần nhập"
        )
        self.template_units_action = QAction("Tải mẫu nhập Excel: đơn vị…", w)
        self.template_submissions_action = QAction("Tải mẫu nhập Excel: văn bản nhận được…", w)
        self.data_folder_action = QAction("Thư mục dữ liệu", w)
        menu = w.file_menu
        first = menu.actions()[0] if menu.actions() else None
        template_menu = menu.__class__("Tải mẫu nhập Excel…", menu)
        template_menu.addAction(self.template_units_action)
        template_menu.addAction(self.template_submissions_action)
        for item in (
            self.import_units_action,
            self.import_submissions_action,
            self.import_history_action,
        ):
            menu.insertAction(first, item) if first else menu.addAction(item)
        if first:
            menu.insertMenu(first, template_menu)
            menu.insertSeparator(first)
            menu.insertAction(first, self.backup_action)
            menu.insertAction(first, self.restore_action)
        else:
            menu.addMenu(template_menu)
            menu.addSeparator()
            menu.addAction(self.backup_action)
            menu.addAction(self.restore_action)
        self.template_menu = template_menu
        w.help_menu.addAction(self.data_folder_action)

    def _connect_signals(self) -> None:
        self.backup_action.triggered.connect(self._on_backup_action_triggered)
        self.restore_action.triggered.connect(self._on_restore_action_triggered)
        self.import_units_action.triggered.connect(lambda: self.import_file("units"))
        self.import_submissions_action.triggered.connect(lambda: self.import_file("submissions"))
        self.import_history_action.triggered.connect(self.show_import_history)
        self.template_units_action.triggered.connect(lambda: self.save_template("units"))
        self.template_submissions_action.triggered.connect(
            lambda: self.save_template("submissions")
        )
        self.data_folder_action.triggered.connect(self._on_data_folder_action_triggered)

    # --- helpers --------------------------------------------------------------------------
    def _folder(self) -> str:
        return str(QSettings().value(_DIR_KEY, "") or str(Path.home()))

    def _remember(self, path: str) -> None:
        QSettings().setValue(_DIR_KEY, str(Path(path).parent))

    def _start_busy(self, text: str) -> None:
        self._busy = QProgressDialog(text, "", 0, 0, self.window)
        self._busy.setWindowTitle("Xin chờ")
        self._busy.setCancelButton(None)  # type: ignore[arg-type]
        self._busy.setMinimumDuration(300)
        self._busy.setAutoClose(False)

    def _stop_busy(self) -> None:
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None

    def _failed(self, title: str) -> Any:
        from ui.dialogs.messages import show_error

        def handler(exc: BaseException) -> None:
            self._stop_busy()
            show_error(self.window, exc, title=title)

        return handler

    # --- backup / restore -----------------------------------------------------------------
    def _on_backup_action_triggered(self) -> None:
        name = default_backup_name(dt.datetime.now())
        path, _ = QFileDialog.getSaveFileName(
            self.window, "Sao lưu dữ liệu", str(Path(self._folder()) / name), "Tệp sao lưu (*.zip)"
        )
        if path:
            self._remember(path)
            self.backup_to(Path(path))

    def backup_to(self, path: Path) -> None:
        from app.exchange.backup import create_backup
        from ui.dialogs.messages import show_info

        self._start_busy("Đang sao lưu dữ liệu…")

        def done(info: Any) -> None:
            self._stop_busy()
            show_info(self.window, "Đã sao lưu", info.describe() + f"\n\nTệp: {info.path}")

        run_in_background(
            lambda: create_backup(self.window.db, path, now=dt.datetime.now()),
            done,
            self._failed("Không sao lưu được"),
        )

    def _on_restore_action_triggered(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.window, "Chọn tệp sao lưu để khôi phục", self._folder(), "Tệp sao lưu (*.zip)"
        )
        if path:
            self._remember(path)
            self.restore_from(Path(path))

    def restore_from(self, path: Path, *, ask: bool = True) -> None:
        from app.exchange.backup import restore_backup, verify_backup
        from ui.dialogs.messages import confirm, show_info

        self._start_busy("Đang kiểm tra tệp sao lưu…")

        def checked(info: Any) -> None:
            self._stop_busy()
            if ask and not confirm(
                self.window,
                "Khôi phục dữ liệu",
                info.describe() + "\n\nToàn bộ dữ liệu hiện tại sẽ được thay bằng bản sao "
                "lưu này. Dữ liệu hiện tại được giữ lại thành một bản sao lưu trước khi "
                "thay.",
                yes="Khôi phục",
            ):
                return
            self._start_busy("Đang khôi phục dữ liệu…")
            run_in_background(
                lambda: restore_backup(self.window.db, path, now=dt.datetime.now()),
                restored,
                self._failed("Không khôi phục được"),
            )

        def restored(result: Any) -> None:
            self._stop_busy()
            self.window.refresh_all()  # another database in place of the one shown
            show_info(self.window, "Đã khôi phục", result.describe())

        run_in_background(
            lambda: verify_backup(path), checked, self._failed("Không khôi phục được")
        )

    # --- Excel ----------------------------------------------------------------------------
    def import_file(self, kind: str, path: Path | None = None) -> QWidget | None:
        from ui.dialogs.import_dialog import ImportDialog

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, "Chọn tệp Excel để nhập", self._folder(), "Tệp Excel (*.xlsx)"
            )
            if not chosen:
                return None
            self._remember(chosen)
            path = Path(chosen)
        dialog = ImportDialog(
            self.window.db, kind, path, today=self.window.today(), parent=self.window
        )
        dialog.imported.connect(self._on_dialog_imported)  # told the pages (ui.operations)
        dialog.undone.connect(self._on_dialog_imported)
        dialog.start()
        dialog.open()
        return dialog

    def _on_dialog_imported(self, result: Any) -> None:
        self.window.show_status(result.describe())

    def show_import_history(self) -> QWidget:
        from ui.dialogs.import_history_dialog import ImportHistoryDialog

        dialog = ImportHistoryDialog(self.window.db, self.window)
        dialog.undone.connect(self._on_dialog_imported)
        dialog.open()
        return dialog

    def save_template(self, kind: str, path: Path | None = None) -> None:
        from app.exchange.xlsx_import import write_template

        if path is None:
            name = "mau-nhap-don-vi.xlsx" if kind == "units" else "mau-nhap-van-ban.xlsx"
            chosen, _ = QFileDialog.getSaveFileName(
                self.window, "Lưu tệp mẫu", str(Path(self._folder()) / name), "Tệp Excel (*.xlsx)"
            )
            if not chosen:
                return
            self._remember(chosen)
            path = Path(chosen)
        target = path
        run_operation(
            self.window,
            lambda: write_template(kind, target),
            error_title="Không lưu được tệp mẫu",
            done=lambda written: self.window.show_status(f"Đã lưu tệp mẫu {written}"),
        )

    # --- data folder ----------------------------------------------------------------------
    def _on_data_folder_action_triggered(self) -> None:
        from ui.dialogs.data_folder_dialog import DataFolderDialog

        dialog = DataFolderDialog(self.window.db, self.window)
        dialog.moved.connect(self._on_data_moved)
        dialog.exec()

    def _on_data_moved(self, _result: Any) -> None:
        app = QApplication.instance()
        self.window.close()
        if app is not None:
            app.quit()


def install_data_actions(window: MainWindow) -> DataActions:
    actions = DataActions(window)
    window.data_actions = actions  # type: ignore[attr-defined]
    return actions
