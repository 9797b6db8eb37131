"""Văn bản đã phát hành: every document printed or saved for signature, newest first. Reopen one
as it was printed (its options and edited text), copy it for a new round (same edits, the
window's day), see which reminders went to which unit, or remove one kept by mistake."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.db import Database
from app.documents.common import DocumentOptions
from app.services.directives import list_directives
from app.services.issued_documents import (
    IssuedInfo,
    delete_issued,
    get_issued,
    list_issued,
    set_issue_number,
)
from app.services.units import list_units
from ui.models.issued_documents_model import IssuedDocumentsModel, IssuedRow
from ui.operations import Confirm, run_operation
from ui.widgets.data_table import DataTable
from ui.widgets.date_field import DateField
from ui.widgets.search_box import SearchBox

#: Opens the print dialog on these options; the id of the kept document when it is reopened
#: (printing again updates it), None for a copy (a new document).
Opener = Callable[[DocumentOptions, int | None], object]


class IssueNumberDialog(QDialog):
    """The clerk's number and date of a kept document (blank: not known yet)."""

    def __init__(self, info: IssuedInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Ghi số, ngày ban hành")
        self.number_edit = QLineEdit(info.number, self)
        self.number_edit.setPlaceholderText("ví dụ 118")
        self.date_edit = DateField(self, label="Ngày ban hành", allow_empty=True)
        self.date_edit.set_date_value(info.issued_date)
        form = QFormLayout(self)
        form.addRow(QLabel(f"{info.kind_label} tính đến ngày {fmt(info.as_of)}", self))
        form.addRow("Số:", self.number_edit)
        form.addRow("Ngày ban hành:", self.date_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Lưu")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Hủy")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class PrintedTextDialog(QDialog):
    """The text of a kept document as it was printed, field by field (read only)."""

    def __init__(
        self, info: IssuedInfo, fields: list[tuple[str, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Nội dung đã in — {info.kind_label} tính đến ngày {fmt(info.as_of)}")
        self.resize(760, 560)
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setReadOnly(True)
        self.text_edit.setPlainText(
            "\n\n".join(f"[{label}]\n{text}" for label, text in fields)
            if fields
            else "Văn bản này được lưu trước khi chương trình "
            "ghi lại nội dung đã in; hãy bấm “Mở lại…” để xem."
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Đóng")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(buttons)


class IssuedDocumentsDialog(QDialog):
    """Writing a kept document's number or date, or removing one, changes the reminders
    counted: its operations tell the window (``ui.operations``)."""

    def __init__(
        self,
        db: Database,
        *,
        today: dt.date,
        opener: Opener,
        directive_id: int | None = None,
        unit_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.today = today
        self._opener = opener
        self._unit_names = {u.id: u.name for u in list_units(db)}
        self._build_ui()
        self._load_filters(directive_id, unit_id)
        self._connect_signals()
        self.reload()

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle("Văn bản đã phát hành")
        self.resize(1100, 560)
        self.directive_combo = QComboBox(self)
        self.directive_combo.setMinimumContentsLength(24)
        self.unit_combo = QComboBox(self)
        self.unit_combo.setMinimumContentsLength(20)
        self.unit_combo.setToolTip(
            "Chỉ văn bản về đơn vị này hoặc gửi tới đơn vị này (các lần đôn đốc đơn vị)."
        )
        self.search_box = SearchBox(self)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("Văn bản chỉ đạo:", self))
        filters.addWidget(self.directive_combo, 1)
        filters.addWidget(QLabel("Đơn vị:", self))
        filters.addWidget(self.unit_combo, 1)
        filters.addWidget(self.search_box, 1)
        self.model = IssuedDocumentsModel(self)
        self.table = DataTable(self.model, "issued_documents", self)
        self.count_label = QLabel(self)
        self.reopen_button = QPushButton("Mở lại…", self)
        self.reopen_button.setToolTip(
            "Mở văn bản như đã in (số liệu, nội dung đã sửa) để xem, sửa hoặc in lại."
        )
        self.copy_button = QPushButton("Sao chép cho kỳ mới…", self)
        self.copy_button.setToolTip(
            "Văn bản mới với nội dung đã sửa như bản này, số liệu tính "
            "đến ngày đang xem; số và ngày để trống."
        )
        self.text_button = QPushButton("Nội dung đã in…", self)
        self.text_button.setToolTip("Xem lời văn đúng như đã in (kể cả phần đã sửa).")
        self.number_button = QPushButton("Ghi số, ngày…", self)
        self.number_button.setToolTip(
            "Ghi số và ngày ban hành văn thư đã cấp (lần đôn đốc tính từ ngày này)."
        )
        self.history_button = QPushButton("Lịch sử", self)
        self.history_button.setToolTip("Khi nào văn bản được lưu, in lại, sửa những gì.")
        self.delete_button = QPushButton("Xóa khỏi danh sách", self)
        self.close_button = QPushButton("Đóng", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.count_label, 1)
        # The buttons that act on the document chosen (enabled only with one).
        self._document_buttons = (
            self.reopen_button,
            self.copy_button,
            self.text_button,
            self.number_button,
            self.history_button,
            self.delete_button,
        )
        for button in (*self._document_buttons, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def _load_filters(self, directive_id: int | None, unit_id: int | None) -> None:
        self.directive_combo.addItem("Mọi văn bản chỉ đạo", None)
        for d in list_directives(self.db):
            self.directive_combo.addItem(f"{d.number_symbol} – {d.subject[:60]}", d.id)
        if directive_id is not None:
            self.directive_combo.setCurrentIndex(
                max(0, self.directive_combo.findData(directive_id))
            )
        self.unit_combo.addItem("Mọi đơn vị", None)
        for uid, name in self._unit_names.items():
            self.unit_combo.addItem(name, uid)
        if unit_id is not None:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit_id)))

    def _connect_signals(self) -> None:
        self.directive_combo.currentIndexChanged.connect(self.reload)
        self.unit_combo.currentIndexChanged.connect(self.reload)
        self.search_box.searchChanged.connect(self.table.proxy.set_search)
        self.table.rowActivated.connect(self._on_table_row_activated)
        self.table.currentIdChanged.connect(self._update_buttons)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        self.delete_button.clicked.connect(self._on_delete_button_clicked)
        self.history_button.clicked.connect(self._on_history_button_clicked)
        self.number_button.clicked.connect(self._on_number_button_clicked)
        self.text_button.clicked.connect(self._on_text_button_clicked)
        self.close_button.clicked.connect(self.close)

    # --- data -----------------------------------------------------------------------------
    def reload(self, *_args: object) -> None:
        directive = self.directive_combo.currentData()
        unit = self.unit_combo.currentData()
        docs = list_issued(self.db, directive_id=directive, unit_id=unit)
        self.table.set_rows([self._row(d) for d in docs])
        self.count_label.setText(
            f"{len(docs)} văn bản."
            if docs
            else "Chưa có văn bản nào: văn bản in hoặc lưu thành tệp từ hộp "
            "“In văn bản” được lưu vào đây."
        )
        self._update_buttons()

    def _row(self, info: IssuedInfo) -> IssuedRow:
        return IssuedRow(
            info, tuple(self._unit_names.get(u, f"(đơn vị {u})") for u in info.unit_ids)
        )

    def current(self) -> IssuedInfo | None:
        row = self.table.current_row()
        return row.info if isinstance(row, IssuedRow) else None

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.current() is not None
        for button in self._document_buttons:
            button.setEnabled(chosen)

    # --- actions --------------------------------------------------------------------------
    def reopen(self, document_id: int) -> object:
        from app.documents.issued import reopen_options

        info = get_issued(self.db, document_id)
        return self._opener(reopen_options(info), info.id)

    def copy(self, document_id: int) -> object:
        from app.documents.issued import copy_options

        info = get_issued(self.db, document_id)
        return self._opener(copy_options(info, self.today), None)

    def _on_table_row_activated(self, document_id: int) -> None:
        self._run(lambda: self.reopen(document_id))

    def _on_reopen_button_clicked(self) -> None:
        info = self.current()
        if info is not None:
            self._run(lambda: self.reopen(info.id))

    def _on_copy_button_clicked(self) -> None:
        info = self.current()
        if info is not None:
            self._run(lambda: self.copy(info.id))

    def text_dialog(self) -> PrintedTextDialog | None:
        from app.documents.issued import printed_text

        info = self.current()
        return PrintedTextDialog(info, printed_text(info), self) if info is not None else None

    def _on_text_button_clicked(self) -> None:
        dialog = self.text_dialog()
        if dialog is not None:
            dialog.exec()

    def number_dialog(self) -> IssueNumberDialog | None:
        info = self.current()
        return IssueNumberDialog(info, self) if info is not None else None

    def save_number(self, dialog: IssueNumberDialog) -> bool:
        """Write the number and date typed in ``dialog`` to the selected document."""
        info = self.current()
        if info is None:
            return False
        return run_operation(
            self,
            lambda: set_issue_number(
                self.db, info.id, dialog.number_edit.text(), dialog.date_edit.date_value()
            ),
            error_title="Chưa ghi được số, ngày",
            done=lambda _info: self.reload(),
        )

    def _on_number_button_clicked(self) -> None:
        dialog = self.number_dialog()
        while dialog is not None and dialog.exec() == QDialog.DialogCode.Accepted:
            if self.save_number(dialog):
                break

    def history_dialog(self) -> QDialog | None:
        from ui.dialogs.history_dialog import HistoryDialog

        info = self.current()
        if info is None:
            return None
        return HistoryDialog(
            self.db,
            "issued_document",
            info.id,
            f"{info.kind_label} tính đến ngày {fmt(info.as_of)}",
            self,
        )

    def _on_history_button_clicked(self) -> None:
        dialog = self.history_dialog()
        if dialog is not None:
            dialog.exec()

    def _on_delete_button_clicked(self) -> None:
        info = self.current()
        if info is None:
            return
        question = Confirm(
            "Xóa khỏi danh sách",
            f"Xóa “{info.kind_label}” tính đến ngày {fmt(info.as_of)} khỏi danh sách văn "
            "bản đã phát hành? Tệp đã lưu và bản đã in không bị ảnh hưởng; các lần đôn đốc của "
            "văn bản này không còn được đếm.",
            yes="Xóa",
        )
        run_operation(
            self,
            lambda: delete_issued(self.db, info.id),
            confirm=question,
            done=lambda _none: self.reload(),
        )

    def _run(self, action: Callable[[], object]) -> None:
        run_operation(self, action)
