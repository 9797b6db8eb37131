"""The register shared by Đăng ký kế hoạch (one-off tasks) and Tiếp nhận báo cáo (periodic
reports): for the chosen directive, task (and period), one row per bound unit with the document
that counts and the status on the window's "as of" day."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QVBoxLayout,
)

from app.dates import as_of_caption, fmt
from app.models import TaskKind
from app.services import submissions
from app.services.intake import IntakeRow, IntakeView, intake_view, obligation_history
from app.services.obligations import ObligationRow, get_obligation
from app.services.submissions import SubmissionInfo
from app.status import DISPLAY_ORDER
from ui.dialogs import messages
from ui.dialogs.history_dialog import HistoryDialog
from ui.dialogs.submission_dialog import SubmissionDialog
from ui.dialogs.waive_dialog import WaiveDialog, is_waived
from ui.models.intake_model import IntakeModel
from ui.models.submissions_model import SubmissionsModel
from ui.operations import run_operation
from ui.pages.base import Confirm, Page
from ui.tasks import window_closed
from ui.widgets.attachment_field import open_attachment
from ui.widgets.data_table import DataTable
from ui.widgets.export_button import export_view
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.notice_bar import NoticeBar
from ui.widgets.search_box import SearchBox, link_search

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class IntakePage(Page):
    task_kind: TaskKind = TaskKind.ONE_OFF
    page_title = "Đăng ký kế hoạch"
    state_key = "intake"
    register_label = "Ghi nhận văn bản"
    empty_text = "Chưa có nhiệm vụ nào."

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window, window)
        self.model = IntakeModel(self)
        self.docs_model = SubmissionsModel(self)
        self._directive_id: int | None = None
        self._task_id: int | None = None
        self._period_key: str | None = None
        self._generation = 0
        self.loading = False
        self._build_ui()
        self._connect_signals()
        self.setAcceptDrops(True)  # received files dropped here are read (ui/receive_actions)
        self.refresh()

    # --- dropped files ---------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from ui.receive_actions import receive_files

        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            receive_files(self.main_window, paths)

    # --- building --------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        choose = QHBoxLayout()
        self.directive_combo = QComboBox(self)
        self.directive_combo.setMinimumWidth(200)
        self.directive_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.task_combo = QComboBox(self)
        self.task_combo.setMinimumWidth(200)
        self.task_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.period_combo = QComboBox(self)
        self.period_combo.setMinimumWidth(220)
        self.period_label = QLabel("Kỳ:", self)
        choose.addWidget(QLabel("Văn bản:", self))
        choose.addWidget(self.directive_combo, 2)
        choose.addWidget(QLabel("Nhiệm vụ:", self))
        choose.addWidget(self.task_combo, 3)
        choose.addWidget(self.period_label)
        choose.addWidget(self.period_combo, 1)
        show_period = self.task_kind is TaskKind.PERIODIC
        self.period_label.setVisible(show_period)
        self.period_combo.setVisible(show_period)
        layout.addLayout(choose)

        bar = FlowLayout()  # wraps on a narrow window
        self.register_button = QPushButton(f"{self.register_label} (Enter)", self)
        self.edit_button = QPushButton("Sửa văn bản (F2)", self)
        self.delete_button = QPushButton("Xoá văn bản (Del)", self)
        self.open_button = QPushButton("Mở tệp", self)
        self.history_button = QPushButton("Lịch sử", self)
        self.waive_button = QPushButton("Miễn nghĩa vụ…", self)
        self.waive_button.setToolTip(
            "Miễn (hoặc bỏ miễn) nghĩa vụ của đơn vị đang chọn, có ghi lý do vào lịch sử"
        )
        self.search_box = SearchBox(self)
        self.print_button = QPushButton("In / Xuất PDF", self)
        self.print_button.setToolTip("Báo cáo tổng hợp hoặc công văn đôn đốc của văn bản đang chọn")
        print_menu = QMenu(self.print_button)
        self.print_summary_action = QAction("Báo cáo tổng hợp…", print_menu)
        self.print_reminder_action = QAction("Công văn đôn đốc…", print_menu)
        print_menu.addAction(self.print_summary_action)
        print_menu.addAction(self.print_reminder_action)
        self.print_button.setMenu(print_menu)
        self.export_button = QPushButton("Xuất Excel (Ctrl+E)", self)
        self.export_button.setToolTip("Lưu danh sách đang hiển thị (đúng bộ lọc, thứ tự) ra Excel")
        for b in (
            self.register_button,
            self.edit_button,
            self.delete_button,
            self.open_button,
            self.history_button,
            self.waive_button,
        ):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.export_button)
        bar.addWidget(self.search_box)
        layout.addLayout(bar)
        self.notice = NoticeBar(self)
        layout.addWidget(self.notice)
        self.summary_label = QLabel(self)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.summary_label)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter = splitter
        self.table = DataTable(self.model, self.state_key, splitter)
        docs_group = QGroupBox("Các văn bản đơn vị đã gửi", splitter)
        self.docs_group = docs_group
        docs_layout = QVBoxLayout(docs_group)
        self.docs_table = DataTable(self.docs_model, f"{self.state_key}_docs", docs_group)
        self.docs_table.setSortingEnabled(False)
        docs_layout.addWidget(self.docs_table)
        splitter.addWidget(self.table)
        splitter.addWidget(docs_group)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([460, 150])
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        link_search(self.search_box, self.table)  # Esc clears; ↓/Enter go to the list
        self.directive_combo.activated.connect(self._on_directive_combo_activated)
        self.task_combo.activated.connect(self._on_task_combo_activated)
        self.period_combo.activated.connect(self._on_period_combo_activated)
        self.search_box.searchChanged.connect(self._on_search_box_search_changed)
        self.register_button.clicked.connect(self.register_current)
        self.edit_button.clicked.connect(self.edit_item)
        self.delete_button.clicked.connect(self.delete_item)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.history_button.clicked.connect(self.show_history)
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.waive_button.clicked.connect(self.waive_current)
        self.print_summary_action.triggered.connect(lambda: self.print_document("summary"))
        self.print_reminder_action.triggered.connect(lambda: self.print_document("reminder"))
        self.table.rowActivated.connect(self.register)
        self.table.currentIdChanged.connect(lambda _id: self._load_documents())
        self.docs_table.rowActivated.connect(lambda _id: self.edit_item())
        self.docs_table.currentIdChanged.connect(lambda _id: self._update_buttons())

    # --- loading ---------------------------------------------------------------------------
    def refresh(self) -> None:
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        self._generation += 1
        generation = self._generation
        self.loading = True
        db, day, kind = self.db, self.main_window.as_of, self.task_kind
        wanted = (self._directive_id, self._task_id, self._period_key)
        self.main_window.runner.run(
            lambda: intake_view(
                db, day, kind, directive_id=wanted[0], task_id=wanted[1], period_key=wanted[2]
            ),
            lambda loaded: self._on_loaded(generation, loaded),
            self._on_load_failed,
            owner=self,
        )

    def reload_now(self) -> None:
        """Reload on the UI thread (after the user's own change, or to open an obligation)."""
        self._generation += 1
        self._on_loaded(
            self._generation,
            intake_view(
                self.db,
                self.main_window.as_of,
                self.task_kind,
                directive_id=self._directive_id,
                task_id=self._task_id,
                period_key=self._period_key,
            ),
        )

    def _on_load_failed(self, exc: BaseException) -> None:
        self.loading = False
        messages.show_error(self, exc)

    def _on_loaded(self, generation: int, loaded: IntakeView) -> None:
        if generation != self._generation:
            return  # an older request; a newer one is on its way
        self.loading = False
        self._directive_id, self._task_id = loaded.directive_id, loaded.task_id
        self._period_key = loaded.period_key
        self._fill_combos(loaded)
        self.table.set_rows(loaded.rows)
        self._show_summary(loaded)
        self._load_documents()
        self.set_count(loaded.overdue)
        self.set_loaded()

    def _fill_combos(self, loaded: IntakeView) -> None:
        for combo in (self.directive_combo, self.task_combo, self.period_combo):
            combo.blockSignals(True)
            combo.clear()
        for d in loaded.directives:
            self.directive_combo.addItem(f"{d.number_symbol} ({fmt(d.signed_date)})", d.id)
            self.directive_combo.setItemData(
                self.directive_combo.count() - 1, d.subject, Qt.ItemDataRole.ToolTipRole
            )
        self.directive_combo.setCurrentIndex(self.directive_combo.findData(loaded.directive_id))
        directive = next((d for d in loaded.directives if d.id == loaded.directive_id), None)
        if directive is not None:
            for t in directive.tasks:
                if t.kind is self.task_kind:
                    self.task_combo.addItem(t.title, t.id)
                    self.task_combo.setItemData(
                        self.task_combo.count() - 1,
                        f"{t.title} — {t.schedule_label}",
                        Qt.ItemDataRole.ToolTipRole,
                    )
        self.task_combo.setCurrentIndex(self.task_combo.findData(loaded.task_id))
        for p in loaded.periods:
            self.period_combo.addItem(f"{p.label} (hạn {fmt(p.due_date)})", p.key)
        self.period_combo.setCurrentIndex(self.period_combo.findData(loaded.period_key))
        for combo in (self.directive_combo, self.task_combo, self.period_combo):
            combo.blockSignals(False)

    def _show_summary(self, loaded: IntakeView) -> None:
        if loaded.task_id is None:
            self.summary_label.setText(f"<i>{self.empty_text}</i>")
            return
        counts = loaded.counts()
        parts = [f"Tính đến ngày <b>{fmt(loaded.day)}</b>: {len(loaded.rows)} đơn vị"]
        for status in DISPLAY_ORDER:
            if counts.get(status):
                parts.append(
                    f"<span style='background:{status.colour}'>&nbsp;{status.label}: "
                    f"<b>{counts.get(status)}</b>&nbsp;</span>"
                )
        self.summary_label.setText(" &nbsp; ".join(parts))

    def _load_documents(self) -> None:
        row = self.current()
        if row is None:
            self.docs_model.set_rows([])
            self.docs_group.setTitle("Các văn bản đơn vị đã gửi")
        else:
            self.docs_group.setTitle(
                f"Các văn bản {row.obligation.unit_name} đã gửi "
                "(tất cả được lưu; văn bản nhận sớm nhất được tính)"
            )
            self.docs_table.set_rows(submissions.list_for_obligation(self.db, row.id))
            counted = row.submission_id
            if counted is not None:
                self.docs_table.select_id(counted)
        self._update_buttons()

    # --- combo slots -----------------------------------------------------------------------
    def _on_directive_combo_activated(self, _index: int) -> None:
        self._directive_id = self.directive_combo.currentData()
        self._task_id = None
        self._period_key = None
        self.refresh()

    def _on_task_combo_activated(self, _index: int) -> None:
        self._task_id = self.task_combo.currentData()
        self._period_key = None
        self.refresh()

    def _on_period_combo_activated(self, _index: int) -> None:
        self._period_key = self.period_combo.currentData()
        self.refresh()

    def _on_search_box_search_changed(self, text: str) -> None:
        self.table.proxy.set_search(text)

    # --- current ---------------------------------------------------------------------------
    def current(self) -> IntakeRow | None:
        return self.table.current_row()

    def current_document(self) -> SubmissionInfo | None:
        return self.docs_table.current_row()

    def _update_buttons(self) -> None:
        row = self.current()
        doc = self.current_document()
        self.register_button.setEnabled(row is not None)
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(doc is not None)
        self.history_button.setEnabled(row is not None)
        self.waive_button.setEnabled(row is not None)
        if row is not None:
            self.waive_button.setText(
                "Bỏ miễn nghĩa vụ…" if is_waived(row.obligation) else "Miễn nghĩa vụ…"
            )
        self.open_button.setEnabled(bool(doc and doc.attachment_path))

    # --- actions ---------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def new_item(self) -> None:
        self.register_current()

    def register_current(self) -> None:
        row = self.current()
        if row is not None:
            self.register(row.id)

    def register(self, obligation_id: int) -> bool:
        """Open the registration/intake dialog for one obligation (pre-filled)."""
        found: list[tuple[ObligationRow, int]] = []
        if not run_operation(
            self,
            lambda: (
                get_obligation(self.db, obligation_id, self.main_window.as_of),
                len(submissions.list_for_obligation(self.db, obligation_id)),
            ),
            done=found.append,
        ):
            return False
        obligation, earlier = found[0]
        today = self.main_window.today()
        dialog = SubmissionDialog(self.db, obligation, today=today, earlier=earlier, parent=self)
        dialog.received_edit.set_value(min(self.main_window.as_of, today))
        if not self.exec_form(dialog) or dialog.saved is None:
            return False
        self._reload_at(obligation_id)
        saved = dialog.saved
        current = self.current()
        status = current.status.label if current is not None else ""
        self.notice.show_notice(
            f"Đã ghi nhận văn bản {saved.number_symbol} của "
            f"{obligation.unit_name}. Trạng thái: {status}."
        )
        return True

    def open_obligation(self, obligation_id: int) -> bool:
        """Select the directive, task (and period) of an obligation, then open its dialog
        (the warnings tab calls this on a double-click)."""
        found: list[ObligationRow] = []
        if not run_operation(
            self,
            lambda: get_obligation(self.db, obligation_id, self.main_window.as_of),
            done=found.append,
        ):
            return False
        obligation = found[0]
        if obligation.task_kind is not self.task_kind:
            return False
        self._directive_id = obligation.directive_id
        self._task_id = obligation.task_id
        self._period_key = obligation.period_key if self.task_kind is TaskKind.PERIODIC else None
        self.search_box.clear()
        self.table.proxy.set_search("")
        self.reload_now()
        self.table.select_id(obligation_id)
        index = self.main_window.tabs.indexOf(self)
        if index >= 0:
            self.main_window.tabs.setCurrentIndex(index)
        self.register(obligation_id)
        return True  # handled, whether the user saved or cancelled

    def _document_or_counted(self) -> SubmissionInfo | None:
        doc = self.current_document()
        if doc is not None:
            return doc
        row = self.current()
        if row is not None and row.submission_id is not None:
            return submissions.get_submission(self.db, row.submission_id)
        return None

    def edit_item(self) -> None:
        doc = self._document_or_counted()
        row = self.current()
        if doc is None or row is None:
            self.register_current()
            return
        found: list[ObligationRow] = []
        if not run_operation(
            self,
            lambda: get_obligation(self.db, doc.obligation_id, self.main_window.as_of),
            done=found.append,
        ):
            return
        dialog = SubmissionDialog(
            self.db, found[0], today=self.main_window.today(), submission=doc, parent=self
        )
        if self.exec_form(dialog) and dialog.saved is not None:
            self._reload_at(row.id)
            self.notice.show_notice(f"Đã lưu văn bản {dialog.saved.number_symbol}.")

    def delete_item(self) -> None:
        doc = self._document_or_counted()
        row = self.current()
        if doc is None or row is None:
            return

        def done(deleted: SubmissionInfo) -> None:
            self._reload_at(row.id)
            self.notice.show_notice(
                f"Đã xoá văn bản {deleted.number_symbol} của {row.obligation.unit_name}.",
                "Hoàn tác",
                lambda: self.undo_delete(deleted),
            )

        self.operate(
            lambda: submissions.delete_submission(self.db, doc.id),
            done=done,
            confirm=Confirm(
                "Xoá văn bản đã nhận",
                f"Xoá văn bản {doc.number_symbol} (nhận ngày {fmt(doc.received_date)}) "
                f"của {row.obligation.unit_name}?\n\nViệc xoá được ghi vào lịch sử và "
                "có thể hoàn tác ngay sau đó.",
                yes="Xoá",
            ),
        )

    def undo_delete(self, deleted: SubmissionInfo) -> None:

        def done(restored: SubmissionInfo) -> None:
            self._reload_at(restored.obligation_id)
            self.notice.show_notice(f"Đã khôi phục văn bản {restored.number_symbol}.")

        self.operate(
            lambda: submissions.restore_submission(self.db, deleted),
            done=done,
        )

    def show_history(self) -> None:
        """Every change of the documents of the selected unit for this task (and period),
        deletions included."""
        row = self.current()
        if row is None:
            return
        o = row.obligation
        title = f"{o.unit_name} — {o.task_title}" + (
            f" — {o.period_label}" if o.period_label else ""
        )
        HistoryDialog(
            self.db,
            "submission",
            row.id,
            title,
            self,
            loader=lambda: obligation_history(self.db, row.id),
        ).exec()

    def _on_open_button_clicked(self) -> None:
        doc = self.current_document()
        if doc is not None and doc.attachment_path:
            open_attachment(self, self.db, doc.attachment_path)
        else:
            self.main_window.show_status("Văn bản đang chọn không có tệp đính kèm để mở.")

    def _reload_at(self, obligation_id: int) -> None:
        """After the user's own change: the register again, on the obligation changed."""
        self.reload_now()
        self.table.select_id(obligation_id)
        self._load_documents()

    def export_title(self) -> str:
        """ "Đăng ký kế hoạch — 2116/UBND-NC — <task> [— <period>] — tính đến 02/05/2018"."""
        parts = [self.page_title]
        if self._directive_id is not None:
            parts.append(self.directive_combo.currentText().split(" (", 1)[0])
        if self._task_id is not None:
            parts.append(self.task_combo.currentText())
        if self.task_kind is TaskKind.PERIODIC and self._period_key is not None:
            parts.append(self.period_combo.currentText().split(" (hạn", 1)[0])
        parts.append(as_of_caption(self.main_window.as_of, short=True))
        return " — ".join(p for p in parts if p)

    def export_excel(self, path: Path | None = None) -> None:
        """The register as shown (search, order) to an .xlsx file."""
        symbol = self.directive_combo.currentText().split(" (", 1)[0].replace("/", "-")
        name = f"{self.page_title} {symbol}".strip()
        export_view(self, self.table, self.export_title(), name, path=path)

    def waive_current(self) -> None:
        """Waive the selected unit's obligation (or lift the waiver), with a reason."""
        row = self.current()
        if row is None:
            return
        dialog = WaiveDialog(self.db, row.obligation, self)
        if self.exec_form(dialog) and dialog.saved:
            self._reload_at(row.id)
            self.notice.show_notice(
                ("Đã miễn nghĩa vụ cho " if dialog.waive else "Đã bỏ miễn nghĩa vụ cho ")
                + row.obligation.unit_name
                + "."
            )

    def print_document(self, kind: str) -> None:
        """The synthesis report / reminder letter for the chosen directive."""
        self.main_window.open_document_dialog(kind, directive_id=self._directive_id)

    def save_state(self) -> None:
        self.table.save_state()
        self.docs_table.save_state()
