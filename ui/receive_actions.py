""" "Nhận văn bản từ tệp…" (Ctrl+O) in the Tệp menu, and :func:`receive_files`, which the
plan-registration and report-intake pages call when files are dropped on them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence

if TYPE_CHECKING:
    from ui.dialogs.receive_files_dialog import ReceiveFilesDialog
    from ui.main_window import MainWindow


def install_receive_actions(window: MainWindow) -> None:
    action = QAction("Nhận văn bản từ tệp…", window)
    action.setShortcut(QKeySequence("Ctrl+O"))
    action.setToolTip(
        "Đọc số, ngày ký, đơn vị… từ các tệp văn bản đơn vị gửi (PDF, Word, ảnh "
        "quét), kiểm tra rồi ghi nhận"
    )
    action.triggered.connect(lambda: choose_and_receive(window))
    menu = window.file_menu
    first = menu.actions()[0] if menu.actions() else None
    if first is not None:
        menu.insertAction(first, action)
        menu.insertSeparator(first)
    else:
        menu.addAction(action)
    window.receive_action = action  # type: ignore[attr-defined]


def receive_dialog(window: MainWindow) -> ReceiveFilesDialog:
    """The window's one review dialog (created on first use, shown non-modal)."""
    from ui.dialogs.receive_files_dialog import ReceiveFilesDialog

    dialog = getattr(window, "receive_files_dialog", None)
    if dialog is None:
        dialog = ReceiveFilesDialog(window)
        window.receive_files_dialog = dialog  # type: ignore[attr-defined]
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def receive_files(window: MainWindow, paths: list[str] | list[Path]) -> ReceiveFilesDialog:
    dialog = receive_dialog(window)
    dialog.add_paths(paths)
    return dialog


def choose_and_receive(window: MainWindow) -> None:
    from PySide6.QtWidgets import QFileDialog

    from ui.dialogs.receive_files_dialog import FILE_FILTER

    names, _ = QFileDialog.getOpenFileNames(window, "Chọn văn bản nhận được", "", FILE_FILTER)
    if names:
        receive_files(window, names)
    else:
        receive_dialog(window)
