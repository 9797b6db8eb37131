"""Văn bản chỉ đạo: the directives and their tasks; changing a task re-derives its obligations
and says what changed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.changes import Change
from app.dates import as_of_caption, fmt
from app.services import directives, units
from app.services.configuration import get_settings
from app.services.directives import DirectiveInfo, TaskInfo
from app.services.obligations import SyncResult
from ui.dialogs import messages
from ui.dialogs.directive_dialog import DirectiveDialog
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.task_dialog import TaskDialog
from ui.models.directives_model import DirectivesModel
from ui.models.tasks_model import TasksModel
from ui.pages.base import Confirm, Page
from ui.tasks import window_closed
from ui.widgets.attachment_field import attachment_name, open_attachment
from ui.widgets.data_table import DataTable
from ui.widgets.export_button import export_view
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.notice_bar import NoticeBar
from ui.widgets.search_box import SearchBox, link_search

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _html(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )


class DirectivesPage(Page):
    concerns = Change.DIRECTIVES | Change.UNITS | Change.SETTINGS

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, window)
        self.model = DirectivesModel(self)
        self.tasks_model = TasksModel(self)
        self._generation = 0
        self.loading = False
        self._build_ui()
        self._connect_signals()
        self.refresh()

    # --- building --------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        bar = FlowLayout()  # wraps on a narrow window
        self.add_button = QPushButton("Thêm văn bản (Ctrl+N)", self)
        self.edit_button = QPushButton("Sửa (F2)", self)
        self.delete_button = QPushButton("Xoá", self)
        self.open_button = QPushButton("Mở tệp văn bản", self)
        self.history_button = QPushButton("Lịch sử", self)
        self.issued_button = QPushButton("Văn bản đã phát hành…", self)
        self.issued_button.setToolTip(
            "Báo cáo, công văn đôn đốc đã in hoặc lưu cho văn bản "
            "đang chọn: mở lại, sao chép cho kỳ mới"
        )
        self.search_box = SearchBox(self)
        self.export_button = QPushButton("Xuất Excel (Ctrl+E)", self)
        self.export_button.setToolTip("Lưu danh sách văn bản đang hiển thị ra tệp Excel")
        for b in (
            self.add_button,
            self.edit_button,
            self.delete_button,
            self.open_button,
            self.history_button,
            self.issued_button,
            self.export_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.search_box)
        layout.addLayout(bar)
        self.notice = NoticeBar(self)
        layout.addWidget(self.notice)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter = splitter
        self.table = DataTable(self.model, "directives", splitter)
        lower = QWidget(splitter)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        self.detail_label = QLabel(lower)
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        lower_layout.addWidget(self.detail_label)
        group = QGroupBox("Nhiệm vụ / yêu cầu của văn bản", lower)
        group_layout = QVBoxLayout(group)
        task_bar = FlowLayout()
        self.add_task_button = QPushButton("Thêm nhiệm vụ", group)
        self.edit_task_button = QPushButton("Sửa nhiệm vụ", group)
        self.delete_task_button = QPushButton("Xoá nhiệm vụ", group)
        self.task_history_button = QPushButton("Lịch sử nhiệm vụ", group)
        self.export_tasks_button = QPushButton("Xuất Excel nhiệm vụ", group)
        self.export_tasks_button.setToolTip(
            "Lưu danh sách nhiệm vụ của văn bản đang chọn ra "
            "tệp Excel (Ctrl+E khi đang ở bảng nhiệm vụ)"
        )
        for b in (
            self.add_task_button,
            self.edit_task_button,
            self.delete_task_button,
            self.task_history_button,
            self.export_tasks_button,
        ):
            task_bar.addWidget(b)
        task_bar.addStretch(1)
        group_layout.addLayout(task_bar)
        self.tasks_table = DataTable(self.tasks_model, "directive_tasks", group)
        group_layout.addWidget(self.tasks_table)
        lower_layout.addWidget(group, 1)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setSizes([260, 420])
        layout.addWidget(splitter, 1)
        self.status_label = QLabel(self)
        layout.addWidget(self.status_label)

    def _connect_signals(self) -> None:
        link_search(self.search_box, self.table)  # Esc clears; ↓/Enter go to the list
        self.search_box.searchChanged.connect(self._on_search_box_search_changed)
        self.add_button.clicked.connect(self.new_directive)
        self.edit_button.clicked.connect(self.edit_directive)
        self.delete_button.clicked.connect(self.delete_directive)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.history_button.clicked.connect(self._on_history_button_clicked)
        self.issued_button.clicked.connect(self._on_issued_button_clicked)
        self.add_task_button.clicked.connect(self.new_task)
        self.edit_task_button.clicked.connect(self.edit_task)
        self.delete_task_button.clicked.connect(self.delete_task)
        self.task_history_button.clicked.connect(self._on_task_history_button_clicked)
        self.export_button.clicked.connect(lambda: self.export_directives())
        self.export_tasks_button.clicked.connect(lambda: self.export_tasks())
        self.table.currentIdChanged.connect(lambda _id: self._show_current())
        self.table.rowActivated.connect(lambda _id: self.edit_directive())
        self.tasks_table.rowActivated.connect(lambda _id: self.edit_task())
        self.tasks_table.currentIdChanged.connect(lambda _id: self._update_buttons())

    # --- data ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload off the UI thread (a large directive has many tasks and obligations)."""
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        self._generation += 1
        generation = self._generation
        self.loading = True
        self.status_label.setText("Đang tải danh sách văn bản…")
        self.main_window.runner.run(
            lambda: directives.list_directives(self.db),
            lambda rows: self._on_loaded(generation, rows),
            self._on_load_failed,
            owner=self,
        )

    def _on_loaded(self, generation: int, rows: list[DirectiveInfo]) -> None:
        if generation != self._generation:
            return
        self.loading = False
        self.table.set_rows(rows)
        self.status_label.setText(f"{len(rows)} văn bản chỉ đạo.")
        self._show_current()
        self.set_loaded()

    def _on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        self.status_label.setText("")
        messages.show_error(self, exc)

    def _on_search_box_search_changed(self, text: str) -> None:
        self.table.proxy.set_search(text)

    def current(self) -> DirectiveInfo | None:
        return self.table.current_row()

    def current_task(self) -> TaskInfo | None:
        return self.tasks_table.current_row()

    def _show_current(self) -> None:
        d = self.current()
        if d is None:
            self.detail_label.setText(
                '<i>Chưa có văn bản chỉ đạo nào. Bấm "Thêm văn bản" (Ctrl+N) để bắt đầu.</i>'
                if not self.model.rowCount()
                else ""
            )
            self.tasks_table.set_rows([])
        else:
            parts = [
                f"<b>{_html(d.number_symbol)}</b> ngày {fmt(d.signed_date)}"
                + (f" của {_html(d.issuer)}" if d.issuer else "")
                + (f"; người ký: {_html(d.signer)}" if d.signer else ""),
                f"<b>Trích yếu:</b> {_html(d.subject)}",
            ]
            if d.basis:
                parts.append(f"<b>Căn cứ:</b> {_html(d.basis)}")
            if d.shift_due:
                parts.append(
                    "<b>Cách tính hạn:</b> hạn trùng ngày nghỉ thì dời sang ngày làm việc kế tiếp"
                )
            parts.append(
                "<b>Tệp văn bản:</b> "
                + (
                    _html(attachment_name(self.db, d.attachment_path))
                    if d.attachment_path
                    else "chưa đính kèm"
                )
            )
            self.detail_label.setText("<br>".join(parts))
            self.tasks_table.set_rows(list(d.tasks))
        self._update_buttons()

    def _on_issued_button_clicked(self) -> None:
        from ui.print_actions import open_issued_documents

        d = self.current()
        if d is not None:
            open_issued_documents(self.main_window, directive_id=d.id)

    def _update_buttons(self) -> None:
        d = self.current()
        for b in (
            self.edit_button,
            self.delete_button,
            self.history_button,
            self.add_task_button,
            self.issued_button,
        ):
            b.setEnabled(d is not None)
        self.open_button.setEnabled(bool(d and d.attachment_path))
        has_task = self.current_task() is not None
        for b in (self.edit_task_button, self.delete_task_button, self.task_history_button):
            b.setEnabled(has_task)

    def _reload_now(
        self, select_directive: int | None = None, select_task: int | None = None
    ) -> None:
        rows = directives.list_directives(self.db)
        self._generation += 1
        self.loading = False
        self.table.set_rows(rows)
        if select_directive is not None:
            self.table.select_id(select_directive)
        self._show_current()
        if select_task is not None:
            self.tasks_table.select_id(select_task)
        self.status_label.setText(f"{len(rows)} văn bản chỉ đạo.")

    # --- the window's menu -----------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def new_item(self) -> None:
        if self.tasks_table.hasFocus() and self.current() is not None:
            self.new_task()
        else:
            self.new_directive()

    def edit_item(self) -> None:
        if self.tasks_table.hasFocus():
            self.edit_task()
        else:
            self.edit_directive()

    def delete_item(self) -> None:
        if self.tasks_table.hasFocus():
            self.delete_task()
        else:
            self.delete_directive()

    def show_history(self) -> None:
        if self.tasks_table.hasFocus():
            self._on_task_history_button_clicked()
        else:
            self._on_history_button_clicked()

    # --- directives ------------------------------------------------------------------------
    def new_directive(self) -> None:
        dialog = DirectiveDialog(self.db, None, self)
        if self.exec_form(dialog) and dialog.saved is not None:
            self._reload_now(dialog.saved.id)
            self.notice.show_notice(
                f"Đã thêm văn bản {dialog.saved.number_symbol}. Hãy thêm các "
                "nhiệm vụ của văn bản và giao cho đơn vị."
            )

    def edit_directive(self) -> None:
        d = self.current()
        if d is None:
            return
        dialog = DirectiveDialog(self.db, d, self)
        if self.exec_form(dialog) and dialog.saved is not None:
            self._reload_now(d.id)
            self.notice.show_notice(
                f"Đã lưu văn bản {dialog.saved.number_symbol}. "
                + self._sync_text(dialog.sync_result)
            )

    def delete_directive(self) -> None:
        d = self.current()
        if d is None:
            return

        def done(_none: None) -> None:
            self._reload_now()
            self.notice.show_notice(f"Đã xoá văn bản {d.number_symbol}.")

        self.operate(
            lambda: directives.delete_directive(self.db, d.id),
            error_title="Không xoá được văn bản",
            done=done,
            confirm=Confirm(
                "Xoá văn bản chỉ đạo",
                f"Xoá văn bản {d.number_symbol} cùng {len(d.tasks)} nhiệm vụ và các "
                "nghĩa vụ của nó?\n\nChỉ xoá được khi chưa có đơn vị nào gửi văn bản "
                "theo văn bản này.",
                yes="Xoá",
            ),
        )

    def _on_open_button_clicked(self) -> None:
        d = self.current()
        if d is not None and d.attachment_path:
            open_attachment(self, self.db, d.attachment_path)

    def _on_history_button_clicked(self) -> None:
        d = self.current()
        if d is not None:
            HistoryDialog(self.db, "directive", d.id, d.title, self).exec()

    # --- tasks -----------------------------------------------------------------------------
    @staticmethod
    def _sync_text(result: SyncResult) -> str:
        text = result.describe()
        return text[0].upper() + text[1:] if text else ""

    def _task_dialog(self, d: DirectiveInfo, task: TaskInfo | None) -> TaskDialog:
        due_day = get_settings(self.db).default_due_day
        return TaskDialog(
            self.db, d, task, units.list_units(self.db), self, default_due_day=due_day
        )

    def new_task(self) -> None:
        d = self.current()
        if d is None:
            return
        dialog = self._task_dialog(d, None)
        if self.exec_form(dialog) and dialog.saved is not None:
            self._after_task_saved(d.id, dialog.saved, dialog.sync_result, "Đã thêm")

    def edit_task(self) -> None:
        d = self.current()
        task = self.current_task()
        if d is None or task is None:
            return
        dialog = self._task_dialog(d, task)
        if self.exec_form(dialog) and dialog.saved is not None:
            self._after_task_saved(d.id, dialog.saved, dialog.sync_result, "Đã lưu")

    def _after_task_saved(
        self, directive_id: int, task: TaskInfo, result: SyncResult, verb: str
    ) -> None:
        self._reload_now(directive_id, task.id)
        text = f'{verb} nhiệm vụ "{task.title}". {self._sync_text(result)}'
        self.notice.show_notice(text)
        self.main_window.show_status(text)

    def delete_task(self) -> None:
        task = self.current_task()
        d = self.current()
        if task is None or d is None:
            return

        def done(result: SyncResult) -> None:
            self._reload_now(d.id)
            self.notice.show_notice(f'Đã xoá nhiệm vụ "{task.title}" ({result.removed} nghĩa vụ).')

        self.operate(
            lambda: directives.delete_task(self.db, task.id),
            error_title="Không xoá được nhiệm vụ",
            done=done,
            confirm=Confirm(
                "Xoá nhiệm vụ",
                f'Xoá nhiệm vụ "{task.title}" và {task.obligation_count} '
                "nghĩa vụ của nó?\n\nChỉ xoá được khi chưa có đơn vị nào "
                "gửi văn bản cho nhiệm vụ này.",
                yes="Xoá",
            ),
        )

    def _on_task_history_button_clicked(self) -> None:
        task = self.current_task()
        if task is not None:
            HistoryDialog(self.db, "task", task.id, task.title, self).exec()

    def _as_of_text(self) -> str:
        return as_of_caption(self.main_window.as_of, short=True)

    def export_excel(self, path: Path | None = None) -> None:
        """Ctrl+E: the tasks list when it has the focus, else the directives list."""
        if self.tasks_table.hasFocus() and self.current() is not None:
            self.export_tasks(path)
        else:
            self.export_directives(path)

    def export_directives(self, path: Path | None = None) -> None:
        export_view(
            self,
            self.table,
            f"Văn bản chỉ đạo — {self._as_of_text()}",
            "Văn bản chỉ đạo",
            path=path,
        )

    def export_tasks(self, path: Path | None = None) -> None:
        d = self.current()
        if d is None:
            return
        export_view(
            self,
            self.tasks_table,
            f"Nhiệm vụ của văn bản {d.number_symbol} — {self._as_of_text()}",
            f"Nhiệm vụ {d.number_symbol.replace('/', '-')}",
            path=path,
        )

    def save_state(self) -> None:
        self.table.save_state()
        self.tasks_table.save_state()
