"""The document dialog: choose a document (synthesis report, reminder letter, unit sheet, a unit's
consolidated reminder), its options (day, signer, recipients, number and date; the report's
free-text sections; a reminder's units and new deadline), edit its whole text field by field,
build it off the UI thread, preview it (again, a moment after each change), print it or save it
as PDF; or write it as a Word file (.docx) to open with the system's word processor or to save.
What is printed or saved (PDF or Word) is kept in the issued documents with its edits."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSettings, QSize, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.changes import Change
from app.dates import fmt
from app.db import Database
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    Signer,
    copy_file_atomically,
    default_recipients,
    load,
)
from app.documents.content import NOI_NHAN_KEY
from app.errors import AppError, ValidationError
from app.kinds import AUTHORITIES
from app.services.configuration import update_settings
from app.services.directives import DirectiveInfo, list_directives, save_report_texts
from app.services.issued_documents import IssuedInfo
from app.services.units import list_units
from ui.dialogs import messages
from ui.operations import main_window_of, run_operation, shown_by
from ui.tasks import run_in_background
from ui.widgets.date_field import DateField
from ui.widgets.pdf_preview import PdfPreview
from ui.widgets.text_fields import TextFieldsEditor

#: Pages are rendered for the printer at its resolution, at most this many dots per inch.
MAX_PRINT_DPI = 600
#: The preview is made again this long after the last change (typing is not interrupted).
AUTO_PREVIEW_MS = 700
#: Fields edited elsewhere in the dialog: Nơi nhận (its own box), the report's free sections
#: (saved with the directive, "Nội dung báo cáo").
OWN_BOX_KEYS = frozenset({NOI_NHAN_KEY})
DIRECTIVE_TEXT_KEYS = frozenset({"assessment", "difficulties", "proposals"})
#: Where "Mở bằng Word" writes its files, under the data folder (kept: she may edit and save).
WORD_FOLDER = "Văn bản Word"


def open_file(path: Path) -> bool:
    """Open ``path`` with the program the system associates with it; False when none did."""
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def word_target(folder: Path, stem: str) -> Path:
    """A new .docx name in ``folder``: never one already there (it may be open in Word)."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{stem}.docx"
    n = 2
    while target.exists():
        target = folder / f"{stem}-{n}.docx"
        n += 1
    return target


def print_dialog(printer: QPrinter, pages: int, parent: QWidget | None = None) -> QPrintDialog:
    """The system's print dialog offering every page (1 to ``pages``), or a range of them."""
    printer.setFromTo(1, pages)  # the range shown when "Trang" is chosen: all of them
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("In văn bản")
    dialog.setMinMax(1, pages)
    dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
    dialog.setPrintRange(QAbstractPrintDialog.PrintRange.AllPages)
    return dialog


def render_to_printer(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint the pages (the printer's page range, or all) at the printer's resolution; each page
    keeps its own orientation (a landscape appendix). Returns the number of pages printed."""
    count = document.pageCount()
    first, last = printer.fromPage(), printer.toPage()
    pages = range(max(first, 1) - 1, min(last, count) if last else count) if first else range(count)
    if not pages:
        return 0
    dpi = min(printer.resolution(), MAX_PRINT_DPI)

    def orient(index: int) -> None:
        size = document.pagePointSize(index)
        landscape = size.width() > size.height()
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
        )

    printer.setFullPage(True)
    orient(pages[0])
    painter = QPainter()
    if not painter.begin(printer):
        raise AppError("Không mở được máy in. Hãy kiểm tra máy in rồi thử lại.")
    try:
        for n, index in enumerate(pages):
            if n:
                orient(index)
                printer.newPage()
            size = document.pagePointSize(index)
            image = document.render(
                index, QSize(round(size.width() / 72 * dpi), round(size.height() / 72 * dpi))
            )
            target = printer.pageLayout().fullRectPixels(printer.resolution())
            painter.drawImage(QRect(0, 0, target.width(), target.height()), image)
    finally:
        painter.end()
    return len(pages)


class NobodyOverdue(AppError):
    """A reminder asked for a day when no unit is overdue (its list of units is emptied)."""


class DocumentDialog(QDialog):
    """Opened from the "In ấn" menu or a page's "In / Xuất PDF" button. Emits ``issuedKept``
    (the kept document's id) after a print or a save."""

    issuedKept = Signal(int)

    def __init__(
        self,
        db: Database,
        *,
        as_of: dt.date,
        kind: DocumentKind | str = DocumentKind.SUMMARY,
        directive_id: int | None = None,
        unit_id: int | None = None,
        parent: QWidget | None = None,
        today: dt.date | None = None,
        options: DocumentOptions | None = None,
        issued_id: int | None = None,
        follow_up_round: int = 0,
    ) -> None:
        """``options``: start from these (a kept document reopened or copied: its number,
        date, signer, recipients, units, deadline and edits); ``issued_id``: the kept document
        they come from (printing again updates it instead of keeping a new one);
        ``follow_up_round``: the reminder round (1, 2, 3) the letter is made for, kept with it
        while the kind is the one it was opened on (the round is then done)."""
        super().__init__(parent)
        self.db = db
        self._today = today
        self._tmp = Path(tempfile.mkdtemp(prefix="sotheodoi-in-"))
        self._pdf_path: Path | None = None
        self._dirty = True
        self._busy = False
        self._builds = 0
        self._then: Any = None
        self._recipients_edited = False
        self._texts_directive: int | None = None
        self._texts_loaded: tuple[str, str, str] = ("", "", "")
        self._directives: list[DirectiveInfo] = list_directives(db)
        self._settings = load(db)
        self._issued_id = issued_id
        self._follow_up = (DocumentKind(options.kind if options else kind), follow_up_round)
        self._issued_origin: tuple[object, ...] | None = (
            None
            if options is None
            else (options.kind, options.directive_id, options.unit_id, options.as_of)
        )
        self._last: tuple[DocumentOptions, Any] | None = None  # options and Generated shown
        self._chosen_units: set[int] | None = None  # a reminder's addressees; None: all overdue
        self._edits_by_document: dict[tuple[object, ...], dict[str, str]] = {}
        self._auto_again = False
        self._previewed: tuple[object, ...] | None = None  # the document the preview shows
        self._content_cache: tuple[tuple[object, ...], Any] | None = None  # key, Generated
        self._from_cache = False  # the PDF shown was drawn from the cached content
        self._pending_key: tuple[object, ...] = ()
        self._unsaid = Change.NONE  # what saving the wording wrote, told when it closes
        self._build_ui()
        if options is not None:
            kind, as_of = options.kind, options.as_of
            directive_id = (
                options.directive_id if options.directive_id is not None else directive_id
            )
            unit_id = options.unit_id if options.unit_id is not None else unit_id
        self._load_choices(DocumentKind(kind), directive_id, unit_id, as_of)
        if options is not None:
            self._apply_options(options)
        self._document_shown = self._document_key()
        self._connect_signals()
        self._on_kind_changed()
        self._auto_timer.start(0)  # the first preview, with the fields to edit

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle("In văn bản")
        self.resize(1180, 800)
        self.kind_combo = QComboBox(self)
        for k in DocumentKind:
            self.kind_combo.addItem(k.label, k.value)
        self.directive_combo = QComboBox(self)
        self.directive_combo.setMinimumContentsLength(22)
        self.all_directives_check = QCheckBox("Mọi văn bản chỉ đạo", self)
        self.unit_combo = QComboBox(self)
        self.unit_combo.setMinimumContentsLength(22)
        self.unit_label = QLabel("Đơn vị:", self)
        self.as_of_edit = DateField(self, label="Ngày tính số liệu", allow_empty=False)
        self.as_of_edit.setToolTip("Số liệu trong văn bản tính đến ngày này.")
        what = QGroupBox("Văn bản", self)
        form = QFormLayout(what)
        form.addRow("Loại văn bản:", self.kind_combo)
        form.addRow("Văn bản chỉ đạo:", self.directive_combo)
        form.addRow("", self.all_directives_check)
        form.addRow(self.unit_label, self.unit_combo)
        form.addRow("Số liệu tính đến ngày:", self.as_of_edit)

        self.number_edit = QLineEdit(self)
        self.number_edit.setPlaceholderText("để trống: văn thư ghi khi phát hành")
        self.date_edit = DateField(self, label="Ngày ban hành")
        self.date_edit.setToolTip("Để trống: in “ngày … tháng … năm …” để văn thư ghi.")
        numbering = QGroupBox("Số và ngày ban hành", self)
        form = QFormLayout(numbering)
        form.addRow("Số:", self.number_edit)
        form.addRow("Ngày:", self.date_edit)

        self.authority_combo = QComboBox(self)
        for code, label in AUTHORITIES:
            self.authority_combo.addItem(label, code)
        self.head_title_edit = QLineEdit(self)
        self.head_title_edit.setPlaceholderText("ví dụ Giám đốc")
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText("ví dụ Phó Giám đốc")
        self.signer_name_edit = QLineEdit(self)
        signer = QGroupBox("Người ký", self)
        form = QFormLayout(signer)
        form.addRow("Thẩm quyền ký:", self.authority_combo)
        form.addRow("Chức vụ người đứng đầu:", self.head_title_edit)
        form.addRow("Chức vụ người ký:", self.title_edit)
        form.addRow("Họ và tên:", self.signer_name_edit)

        self.reply_by_edit = DateField(self, label="Hạn gửi mới", allow_empty=True)
        self.reply_by_edit.setToolTip(
            "Để trống: không ghi hạn. Có ngày: “… gửi văn bản về Sở Nội vụ trước ngày …”."
        )
        self.units_list = QListWidget(self)
        self.units_list.setFixedHeight(130)
        self.units_list.setToolTip(
            "Đánh dấu các đơn vị nhận công văn (mặc định: mọi đơn vị quá hạn)."
        )
        self.units_all_button = QPushButton("Chọn tất cả", self)
        self.units_none_button = QPushButton("Bỏ chọn tất cả", self)
        self.units_label = QLabel("Gửi tới (đơn vị quá hạn):", self)
        self.reminder_group = QGroupBox("Công văn đôn đốc", self)
        box = QVBoxLayout(self.reminder_group)
        form = QFormLayout()
        form.addRow("Hạn gửi mới:", self.reply_by_edit)
        box.addLayout(form)
        box.addWidget(self.units_label)
        box.addWidget(self.units_list)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.units_all_button)
        row.addWidget(self.units_none_button)
        box.addLayout(row)

        self.fields_editor = TextFieldsEditor(self)
        self.content_group = QGroupBox("Nội dung văn bản (sửa trực tiếp; mỗi dòng một đoạn)", self)
        box = QVBoxLayout(self.content_group)
        box.addWidget(self.fields_editor)
        self._auto_timer = QTimer(self)
        self._auto_timer.setSingleShot(True)

        self.recipients_edit = QPlainTextEdit(self)
        self.recipients_edit.setPlaceholderText("Mỗi dòng một nơi nhận")
        self.recipients_edit.setFixedHeight(110)
        self.recipients_reset_button = QPushButton("Khôi phục mặc định", self)
        recipients = QGroupBox("Nơi nhận (mỗi dòng một nơi)", self)
        box = QVBoxLayout(recipients)
        box.addWidget(self.recipients_edit)
        box.addWidget(self.recipients_reset_button, 0, Qt.AlignmentFlag.AlignRight)

        self.assessment_edit = QPlainTextEdit(self)
        self.difficulties_edit = QPlainTextEdit(self)
        self.proposals_edit = QPlainTextEdit(self)
        for edit in (self.assessment_edit, self.difficulties_edit, self.proposals_edit):
            edit.setFixedHeight(90)
        self.texts_group = QGroupBox("Nội dung báo cáo (lưu cùng văn bản chỉ đạo)", self)
        box = QVBoxLayout(self.texts_group)
        for label, edit in (
            ("Đánh giá chung:", self.assessment_edit),
            ("Khó khăn, vướng mắc:", self.difficulties_edit),
            ("Đề xuất, kiến nghị:", self.proposals_edit),
        ):
            box.addWidget(QLabel(label, self))
            box.addWidget(edit)

        options = QWidget(self)
        column = QVBoxLayout(options)
        for group in (
            what,
            self.reminder_group,
            self.content_group,
            self.texts_group,
            numbering,
            signer,
            recipients,
        ):
            column.addWidget(group)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(options)
        scroll.setMinimumWidth(460)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.preview = PdfPreview(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(scroll)
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # busy indicator
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.status_label = QLabel(self)
        # A long message (a path, an error) wraps instead of widening the dialog past the screen.
        self.status_label.setWordWrap(True)
        self.status_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.preview_button = QPushButton("Xem trước", self)
        self.preview_button.setDefault(True)
        self.print_button = QPushButton("In…", self)
        self.save_button = QPushButton("Lưu thành PDF…", self)
        self.word_button = QPushButton("Mở bằng Word", self)
        self.word_button.setToolTip(
            "Tạo tệp Word (.docx) cùng nội dung và mở bằng chương trình "
            "soạn thảo của máy (Microsoft Word, LibreOffice…)."
        )
        self.save_word_button = QPushButton("Lưu thành Word…", self)
        self.close_button = QPushButton("Đóng", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress)
        buttons.addWidget(self.status_label, 1)
        # The buttons that make the document (disabled while it is being made).
        self._making_buttons = (
            self.preview_button,
            self.print_button,
            self.save_button,
            self.word_button,
            self.save_word_button,
        )
        for button in (*self._making_buttons, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    def _load_choices(
        self, kind: DocumentKind, directive_id: int | None, unit_id: int | None, as_of: dt.date
    ) -> None:
        for d in self._directives:
            self.directive_combo.addItem(
                f"{d.number_symbol} ({fmt(d.signed_date)}) – {d.subject[:80]}", d.id
            )
        if directive_id is not None:
            self.directive_combo.setCurrentIndex(
                max(0, self.directive_combo.findData(directive_id))
            )
        for u in list_units(self.db):
            self.unit_combo.addItem(u.name if u.active else f"{u.name} (ngừng theo dõi)", u.id)
        if unit_id is not None:
            self.unit_combo.setCurrentIndex(max(0, self.unit_combo.findData(unit_id)))
        self.all_directives_check.setChecked(directive_id is None)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind.value))
        self.as_of_edit.set_date_value(as_of)
        signer = Signer.from_settings(self._settings)
        self.authority_combo.setCurrentIndex(
            max(0, self.authority_combo.findData(signer.authority.strip().upper()))
        )
        self.head_title_edit.setText(signer.head_title)
        self.title_edit.setText(signer.title)
        self.signer_name_edit.setText(signer.name)
        self._set_default_recipients(kind)
        self._load_texts()

    def _connect_signals(self) -> None:
        self.kind_combo.currentIndexChanged.connect(self._on_kind_changed)
        self.directive_combo.currentIndexChanged.connect(self._on_directive_combo_changed)
        self.recipients_edit.textChanged.connect(self._on_recipients_edit_changed)
        self.recipients_reset_button.clicked.connect(self._on_recipients_reset_button_clicked)
        self.preview_button.clicked.connect(self._on_preview_button_clicked)
        self.print_button.clicked.connect(self._on_print_button_clicked)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.word_button.clicked.connect(self.open_in_word)
        self.save_word_button.clicked.connect(self.save_word_document)
        self.close_button.clicked.connect(self.close)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_combo_changed)
        self.authority_combo.currentIndexChanged.connect(self._mark_dirty)
        self.all_directives_check.toggled.connect(self._mark_dirty)
        for edit in (
            self.number_edit,
            self.head_title_edit,
            self.title_edit,
            self.signer_name_edit,
        ):
            edit.textChanged.connect(self._mark_dirty)
        for date_edit in (self.as_of_edit, self.date_edit):
            date_edit.dateValueChanged.connect(self._mark_dirty)
        for text in (self.assessment_edit, self.difficulties_edit, self.proposals_edit):
            text.textChanged.connect(self._mark_dirty)
        self.reply_by_edit.dateValueChanged.connect(self._mark_dirty)
        self.fields_editor.changed.connect(self._mark_dirty)
        self.units_list.itemChanged.connect(self._on_units_list_item_changed)
        self.units_all_button.clicked.connect(self._on_units_all_button_clicked)
        self.units_none_button.clicked.connect(self._on_units_none_button_clicked)
        self._auto_timer.timeout.connect(self._on_auto_timer_timeout)

    # --- state ----------------------------------------------------------------------------
    @property
    def kind(self) -> DocumentKind:
        return DocumentKind(self.kind_combo.currentData())

    def directive_id(self) -> int | None:
        if self.kind is DocumentKind.UNIT_REMINDER:
            return None
        if self.kind is DocumentKind.UNIT_SHEET and self.all_directives_check.isChecked():
            return None
        data = self.directive_combo.currentData()
        return int(data) if data is not None else None

    def unit_id(self) -> int | None:
        data = self.unit_combo.currentData()
        return int(data) if data is not None else None

    def signer(self) -> Signer:
        return Signer(
            authority=str(self.authority_combo.currentData() or ""),
            head_title=self.head_title_edit.text(),
            title=self.title_edit.text(),
            name=self.signer_name_edit.text(),
        )

    def recipients(self) -> tuple[str, ...]:
        return tuple(
            line.strip() for line in self.recipients_edit.toPlainText().splitlines() if line.strip()
        )

    def options(self) -> DocumentOptions:
        """The options as typed; raises ValidationError with the field at fault."""
        as_of = self.as_of_edit.value()
        if as_of is None:
            raise ValidationError("Hãy chọn ngày tính số liệu.", field="as_of")
        number = self.number_edit.text().strip() or None
        reminder = self.kind in (DocumentKind.REMINDER, DocumentKind.UNIT_REMINDER)
        units = self._chosen_units
        options = DocumentOptions(
            kind=self.kind,
            as_of=as_of,
            directive_id=self.directive_id(),
            unit_id=self.unit_id() if self.kind.per_unit else None,
            number=number,
            date=self.date_edit.value(),
            signer=self.signer(),
            recipients=self.recipients() or None,
            today=self._today or dt.date.today(),
            edits=tuple(sorted(self.fields_editor.edits().items())),
            unit_ids=tuple(sorted(units))
            if units is not None and self.kind is DocumentKind.REMINDER
            else None,
            reply_by=self.reply_by_edit.date_value() if reminder else None,
        )
        options.validate()
        options.signer.validate()  # type: ignore[union-attr]
        return options

    def pdf_path(self) -> Path | None:
        return self._pdf_path

    def busy(self) -> bool:
        """A document is being built."""
        return self._busy

    def issued_id(self) -> int | None:
        """The kept document this dialog prints (after the first print or save)."""
        return self._issued_id

    def _apply_options(self, options: DocumentOptions) -> None:
        """A kept document's choices (see the constructor)."""
        self.number_edit.setText(options.number or "")
        self.date_edit.set_date_value(options.date)
        if options.signer is not None:
            signer = options.signer
            self.authority_combo.setCurrentIndex(
                max(0, self.authority_combo.findData(signer.authority.strip().upper()))
            )
            self.head_title_edit.setText(signer.head_title)
            self.title_edit.setText(signer.title)
            self.signer_name_edit.setText(signer.name)
        if options.recipients is not None:
            self.recipients_edit.blockSignals(True)
            self.recipients_edit.setPlainText("\n".join(options.recipients))
            self.recipients_edit.blockSignals(False)
            self._recipients_edited = True
        if options.kind is DocumentKind.UNIT_SHEET:
            self.all_directives_check.setChecked(options.directive_id is None)
        self.reply_by_edit.set_date_value(options.reply_by)
        self._chosen_units = set(options.unit_ids) if options.unit_ids is not None else None
        self.fields_editor.set_edits(options.edit_map)

    def _document_key(self) -> tuple[object, ...]:
        """Which document the text being edited belongs to (kind, directive, unit)."""
        kind = self.kind
        return (kind.value, self.directive_id(), self.unit_id() if kind.per_unit else None)

    def _switch_document(self) -> None:
        """Another document chosen: keep the edits of the one left (they come back if it is
        chosen again, nothing typed is lost) and start the new one from its own."""
        key = self._document_key()
        if key == self._document_shown:
            return
        left, self._document_shown = self._document_shown, key
        self._edits_by_document[left] = self.fields_editor.edits()
        self.fields_editor.set_fields([])
        self.fields_editor.set_edits(self._edits_by_document.get(key, {}))
        if key[:2] != left[:2]:  # another directive: its own overdue units, all by default
            self._chosen_units = None
            self.units_list.clear()

    def _set_default_recipients(self, kind: DocumentKind) -> None:
        items = list(default_recipients(kind, self._settings))
        if kind is DocumentKind.UNIT_SHEET:
            items = [self.unit_combo.currentText(), *items]
        self.recipients_edit.blockSignals(True)
        self.recipients_edit.setPlainText("\n".join(items))
        self.recipients_edit.blockSignals(False)
        self._recipients_edited = False
        self._mark_dirty()

    def _texts(self) -> tuple[str, str, str]:
        return (
            self.assessment_edit.toPlainText(),
            self.difficulties_edit.toPlainText(),
            self.proposals_edit.toPlainText(),
        )

    def _load_texts(self) -> None:
        data = self.directive_combo.currentData()
        directive = next((d for d in self._directives if d.id == data), None)
        texts = (
            (directive.report_assessment, directive.report_difficulties, directive.report_proposals)
            if directive
            else ("", "", "")
        )
        for edit, text in zip(
            (self.assessment_edit, self.difficulties_edit, self.proposals_edit), texts, strict=True
        ):
            edit.setPlainText(text)
        self._texts_directive = directive.id if directive else None
        self._texts_loaded = texts

    def save_texts(self) -> None:
        """Save the report's free-text sections with their directive when they changed."""
        if self._texts_directive is None or self._texts() == self._texts_loaded:
            return
        assessment, difficulties, proposals = self._texts()
        info = save_report_texts(
            self.db,
            self._texts_directive,
            assessment=assessment,
            difficulties=difficulties,
            proposals=proposals,
        )
        self._texts_loaded = (
            info.report_assessment,
            info.report_difficulties,
            info.report_proposals,
        )
        self._directives = [info if d.id == info.id else d for d in self._directives]

    def _remember_signer(self, signer: Signer) -> None:
        self._settings, _result = update_settings(
            self.db,
            signer_authority=signer.authority,
            signer_head_title=signer.head_title,
            signer_title=signer.title,
            signer_name=signer.name,
        )

    def _prepare(self) -> DocumentOptions:
        """The options as typed, the report's texts and the signer saved for the next time."""
        options = self.options()
        if self.kind is DocumentKind.SUMMARY:
            self.save_texts()
        self._remember_signer(options.signer)  # type: ignore[arg-type]
        return options

    @contextmanager
    def _keeping_wording(self) -> Iterator[None]:
        """The report's texts and the signer are saved as she goes (at every preview while
        she types): what that wrote is told to the window once, when the dialog closes."""
        with self.db.track_changes() as written:
            yield
        self._unsaid |= written.value

    def _save_wording(self) -> bool:
        """Save the report's texts (on closing, on choosing another directive): False, with
        the reason shown, when they could not be saved."""
        with self._keeping_wording():
            return run_operation(
                self, self.save_texts, error_title="Chưa lưu được nội dung báo cáo"
            )

    def _tell_unsaid(self) -> None:
        window = main_window_of(self)
        if window is not None and self._unsaid:
            window.broadcast(self._unsaid)
        self._unsaid = Change.NONE

    def _mark_dirty(self, *_args: object) -> None:
        if not self._dirty and self._pdf_path is not None and not self._busy:
            self.status_label.setText(
                "Đã thay đổi: bản xem trước tự cập nhật sau giây lát (hoặc bấm “Xem trước”)."
            )
        self._dirty = True
        if hasattr(self, "_document_shown"):  # not while the dialog is being filled in
            self._auto_timer.start(AUTO_PREVIEW_MS)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        for button in self._making_buttons:
            button.setEnabled(not busy)
        if busy:
            self.status_label.setText("Đang tạo văn bản…")

    # --- generating -----------------------------------------------------------------------
    def generate(self, then: Any = None, *, quiet: bool = False) -> None:
        """Build the document off the UI thread, then show it (and run ``then``). ``quiet``
        (the automatic preview): a problem is said in the status line, not in a message box."""
        if self._busy:
            if quiet:
                self._auto_again = True
            return
        self._auto_timer.stop()
        prepared: list[DocumentOptions] = []
        with self._keeping_wording():
            run_operation(
                self,
                self._prepare,
                error_title="Chưa tạo được văn bản",
                on_error=shown_by(self._say_not_built, AppError) if quiet else None,
                done=prepared.append,
            )
        if not prepared:
            return
        options = prepared[0]
        self._builds += 1
        path = self._tmp / f"{self.kind.file_stem}-{self._builds}.pdf"
        self._then = then
        self._quiet = quiet
        self._dirty = False
        self._set_busy(True)
        db = self.db
        agency = self._settings.agency_name
        # Only the text changed since the last build (the automatic preview while she types):
        # draw the same generated content with the new edits, without gathering the data again.
        key = self._pending_key = self._content_key(options)
        cached = (
            self._content_cache[1]
            if quiet and self._content_cache is not None and self._content_cache[0] == key
            else None
        )

        def work() -> tuple[Path, DocumentOptions, Any, list[tuple[int, str, int]] | None]:
            from app.documents.generate import generate, render

            if cached is not None:
                return path, options, render(cached.content, cached.data, options, path), None
            overdue = None
            if options.kind is DocumentKind.REMINDER and options.directive_id is not None:
                from app.documents.data import reminder_data

                try:
                    data = reminder_data(
                        db, options.directive_id, options.as_of, exclude_name=agency
                    )
                except AppError as exc:
                    raise NobodyOverdue(exc.message) from None
                overdue = [(u.unit_id, u.unit_name, len(u.items)) for u in data.units]
            generated = generate(db, options, path)
            return path, options, generated, overdue

        run_in_background(work, self._on_generated, self._on_generation_failed)

    def _on_generated(self, result: object) -> None:
        self._set_busy(False)
        assert isinstance(result, tuple)
        path, options, generated, overdue = result
        self._pdf_path = path
        self._last = (options, generated)
        key = self._pending_key
        self._from_cache = (
            self._content_cache is not None
            and self._content_cache[0] == key
            and self._content_cache[1].content is generated.content
        )
        self._content_cache = (key, generated)
        skip = OWN_BOX_KEYS | (
            DIRECTIVE_TEXT_KEYS if options.kind is DocumentKind.SUMMARY else frozenset()
        )
        if self._document_key() == (
            options.kind.value,
            options.directive_id,
            options.unit_id if options.kind.per_unit else None,
        ):
            self.fields_editor.set_fields(
                [f for f in generated.content.fields() if f.key not in skip]
            )
        if overdue is not None:
            self._set_overdue_units(overdue)
        same = self._previewed == self._document_key()
        pages = self.preview.load(str(path), keep_position=same)
        self._previewed = self._document_key()
        self.status_label.setText(f"{self.kind.label}: {pages} trang.")
        then, self._then = self._then, None
        if then is not None:
            then()
        self._after_build()

    def _say_not_built(self, exc: AppError) -> None:
        """The automatic preview says why in the status line, not in a message box."""
        self.status_label.setText(f"Chưa tạo được văn bản: {exc.message}")

    def _on_generation_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._dirty = True
        self._then = None
        if isinstance(exc, NobodyOverdue):
            self._set_overdue_units([])
        if getattr(self, "_quiet", False) and isinstance(exc, AppError):
            self._say_not_built(exc)
        else:
            self.status_label.setText("Chưa tạo được văn bản.")
            messages.show_error(self, exc, title="Chưa tạo được văn bản")
        self._after_build()

    def _after_build(self) -> None:
        """A change made while the document was being built: build again."""
        if self._auto_again or (self._dirty and self._auto_timer.isActive()):
            self._auto_again = False
            self._auto_timer.start(AUTO_PREVIEW_MS)

    def _set_overdue_units(self, overdue: list[tuple[int, str, int]]) -> None:
        """The reminder's checkable list: every overdue unit, ticked when addressed."""
        self.units_list.blockSignals(True)
        self.units_list.clear()
        for unit_id, name, count in overdue:
            item = QListWidgetItem(f"{name} ({count} việc)" if count > 1 else name)
            item.setData(Qt.ItemDataRole.UserRole, unit_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = self._chosen_units is None or unit_id in self._chosen_units
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.units_list.addItem(item)
        self.units_list.blockSignals(False)
        self.units_label.setText(
            f"Gửi tới (đơn vị quá hạn: {len(overdue)}):"
            if overdue
            else "Không có đơn vị nào quá hạn."
        )

    def overdue_units(self) -> list[tuple[int, bool]]:
        """(unit id, ticked) of the reminder's list, in order."""
        out = []
        for row in range(self.units_list.count()):
            item = self.units_list.item(row)
            out.append(
                (
                    int(item.data(Qt.ItemDataRole.UserRole)),
                    item.checkState() == Qt.CheckState.Checked,
                )
            )
        return out

    def set_unit_checked(self, unit_id: int, checked: bool) -> None:
        for row in range(self.units_list.count()):
            item = self.units_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == unit_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def _content_key(self, options: DocumentOptions) -> tuple[object, ...]:
        """What the generated content depends on besides the data: the options but the
        edits, and the report's free sections (saved with the directive)."""
        from dataclasses import replace

        return (replace(options, edits=()), self._texts())

    def _with_fresh_pdf(self, action: Any) -> None:
        # Printed or saved from freshly gathered data, never from the typing preview's copy.
        if self._dirty or self._pdf_path is None or self._from_cache:
            self.generate(then=action)
        else:
            action()

    # --- slots ----------------------------------------------------------------------------
    def _on_kind_changed(self, *_args: object) -> None:
        kind = self.kind
        sheet = kind is DocumentKind.UNIT_SHEET
        self.unit_label.setVisible(kind.per_unit)
        self.unit_combo.setVisible(kind.per_unit)
        self.all_directives_check.setVisible(sheet)
        self.directive_combo.setEnabled(kind is not DocumentKind.UNIT_REMINDER)
        self.texts_group.setVisible(kind is DocumentKind.SUMMARY)
        self.reminder_group.setVisible(kind in (DocumentKind.REMINDER, DocumentKind.UNIT_REMINDER))
        for widget in (
            self.units_label,
            self.units_list,
            self.units_all_button,
            self.units_none_button,
        ):
            widget.setVisible(kind is DocumentKind.REMINDER)
        self._switch_document()
        if not self._recipients_edited:
            self._set_default_recipients(kind)
        reopened = " (mở lại văn bản đã phát hành)" if self._issued_id is not None else ""
        self.setWindowTitle(f"In văn bản – {kind.label}{reopened}")
        self._mark_dirty()

    def _on_directive_combo_changed(self, *_args: object) -> None:
        self._save_wording()  # the other directive's texts are shown whatever happened
        self._load_texts()
        self._switch_document()
        self._mark_dirty()

    def _on_unit_combo_changed(self, *_args: object) -> None:
        if self.kind is DocumentKind.UNIT_SHEET and not self._recipients_edited:
            self._set_default_recipients(self.kind)
        self._switch_document()
        self._mark_dirty()

    def _on_units_list_item_changed(self, _item: QListWidgetItem) -> None:
        ticks = self.overdue_units()
        chosen = {unit_id for unit_id, ticked in ticks if ticked}
        # All ticked: "every overdue unit", so a unit overdue on a later day is included too.
        self._chosen_units = None if len(chosen) == len(ticks) else chosen
        self._mark_dirty()

    def _set_all_units(self, checked: bool) -> None:
        self.units_list.blockSignals(True)
        for row in range(self.units_list.count()):
            self.units_list.item(row).setCheckState(
                Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            )
        self.units_list.blockSignals(False)
        self._chosen_units = None if checked else set()
        self._mark_dirty()

    def _on_units_all_button_clicked(self) -> None:
        self._set_all_units(True)

    def _on_units_none_button_clicked(self) -> None:
        self._set_all_units(False)

    def _on_auto_timer_timeout(self) -> None:
        if self._dirty or self._pdf_path is None:
            self.generate(quiet=True)

    def _on_recipients_edit_changed(self) -> None:
        self._recipients_edited = True
        self._mark_dirty()

    def _on_recipients_reset_button_clicked(self) -> None:
        self._set_default_recipients(self.kind)

    def _on_preview_button_clicked(self) -> None:
        self.generate()

    def _on_print_button_clicked(self) -> None:
        self._with_fresh_pdf(self.print_document)

    def _on_save_button_clicked(self) -> None:
        self._with_fresh_pdf(self.save_document)

    # --- print and save -------------------------------------------------------------------
    def print_document(self) -> bool:
        if self.preview.page_count() <= 0:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.kind.label)
        dialog = print_dialog(printer, self.preview.page_count(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False

        def printed(pages: int) -> None:
            self.status_label.setText(f"Đã gửi {pages} trang tới máy in.")
            self.keep_issued()

        return run_operation(
            self,
            lambda: render_to_printer(self.preview.document, printer),
            error_title="Không in được",
            done=printed,
        )

    def keep_issued(self, made: tuple[DocumentOptions, Any] | None = None) -> None:
        """Keep the document just printed or saved (``made``: the options and the Generated of
        a Word file; default: the PDF shown), with its edits, in the issued documents (the one
        it was reopened from, or printed before in this dialog, is updated)."""
        made = made or self._last
        if made is None:
            return
        from app.documents.issued import keep_issued

        options, generated = made
        # The kept document is updated only while it is the same document (kind, directive,
        # unit, day); another one printed from this dialog is kept as a new one.
        origin = (options.kind, options.directive_id, options.unit_id, options.as_of)
        same = self._issued_id is not None and self._issued_origin in (None, origin)
        round_kind, follow_up_round = self._follow_up

        def kept(info: IssuedInfo) -> None:
            self._issued_id = info.id
            self._issued_origin = origin
            self.issuedKept.emit(info.id)
            self.status_label.setText(
                self.status_label.text() + " Đã lưu vào “Văn bản đã phát hành”."
            )

        run_operation(  # the pages showing the reminders sent are told (ui.operations)
            self,
            lambda: keep_issued(
                self.db,
                options,
                generated,
                self._issued_id if same else None,
                follow_up_round=follow_up_round if options.kind is round_kind else 0,
            ),
            error_title="Chưa lưu vào danh sách văn bản đã phát hành",
            done=kept,
        )

    def _default_save_path(self) -> str:
        folder = QSettings().value("documents/folder", "")
        base = Path(str(folder)) if folder and Path(str(folder)).is_dir() else Path.home()
        as_of = self.as_of_edit.date_value() or dt.date.today()
        return str(base / f"{self.kind.file_stem}-{as_of:%Y-%m-%d}.pdf")

    def save_document(self) -> Path | None:
        if self._pdf_path is None:
            return None
        name, _ = QFileDialog.getSaveFileName(
            self, "Lưu văn bản thành tệp PDF", self._default_save_path(), "Tệp PDF (*.pdf)"
        )
        if not name:
            return None
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        shown = self._pdf_path

        def saved(_none: None) -> None:
            QSettings().setValue("documents/folder", str(target.parent))
            self.status_label.setText(f"Đã lưu {target}.")
            self.keep_issued()

        if not run_operation(
            self,
            lambda: copy_file_atomically(shown, target),
            error_title="Không lưu được tệp",
            done=saved,
        ):
            return None
        return target

    # --- Word -----------------------------------------------------------------------------
    def write_word(self, target: Path, then: Any) -> None:
        """Write the document as a Word file at ``target`` off the UI thread (the options as
        they are now, whatever the preview shows), then call ``then(target)``."""
        if self._busy:
            return
        prepared: list[DocumentOptions] = []
        with self._keeping_wording():
            run_operation(
                self, self._prepare, error_title="Chưa tạo được tệp Word", done=prepared.append
            )
        if not prepared:
            return
        options = prepared[0]
        self._set_busy(True)
        self.status_label.setText("Đang tạo tệp Word…")
        db = self.db

        def work() -> Any:
            from app.documents.generate import generate

            return generate(db, options, target, fmt="docx")

        def done(generated: object) -> None:
            self._set_busy(False)
            then(target)
            self.keep_issued((options, generated))

        def failed(exc: BaseException) -> None:
            self._set_busy(False)
            self.status_label.setText("Chưa tạo được tệp Word.")
            messages.show_error(self, exc, title="Chưa tạo được tệp Word")

        run_in_background(work, done, failed)

    def open_in_word(self) -> None:
        """The "Mở bằng Word" button: a new .docx in the data folder's "Văn bản Word", opened
        with the system's program for .docx files."""
        from app.paths import data_dir

        as_of = self.as_of_edit.date_value() or dt.date.today()
        folder = data_dir() / WORD_FOLDER

        def target() -> Path:
            from app.fileio import disk_error

            try:
                return word_target(folder, f"{self.kind.file_stem}-{as_of:%Y-%m-%d}")
            except OSError as exc:  # said as the disk's problem, not as a bug
                raise disk_error(exc, folder) from exc

        run_operation(
            self,
            target,
            error_title="Chưa tạo được tệp Word",
            done=lambda path: self.write_word(path, self._open_word_file),
        )

    def _open_word_file(self, path: Path) -> None:
        if open_file(path):
            self.status_label.setText(f"Đã mở tệp Word {path.name} (lưu trong {path.parent}).")
            return
        self.status_label.setText(f"Đã tạo tệp Word {path}.")
        messages.show_error(
            self,
            AppError(
                f"Máy tính chưa có chương trình mở được tệp Word (.docx). Tệp đã được tạo tại "
                f"{path}. Hãy cài Microsoft Word hoặc LibreOffice Writer rồi bấm “Mở bằng Word” "
                "lần nữa, hoặc "
                "dùng “Lưu thành Word…” để chép tệp sang máy có Word."
            ),
            title="Không mở được tệp Word",
        )

    def save_word_document(self) -> None:
        """The "Lưu thành Word…" button: the .docx written where she chooses."""
        default = str(Path(self._default_save_path()).with_suffix(".docx"))
        name, _ = QFileDialog.getSaveFileName(
            self, "Lưu văn bản thành tệp Word", default, "Tài liệu Word (*.docx)"
        )
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".docx":
            target = target.with_name(target.name + ".docx")

        def saved(path: Path) -> None:
            QSettings().setValue("documents/folder", str(path.parent))
            self.status_label.setText(f"Đã lưu tệp Word {path}")

        self.write_word(target, saved)

    # --- closing --------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if self._busy or not self._save_wording():
            return
        self._tell_unsaid()
        self._auto_timer.stop()
        self.preview.clear()
        shutil.rmtree(self._tmp, ignore_errors=True)
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy or not self._save_wording():
            event.ignore()
            return
        self._tell_unsaid()
        self._auto_timer.stop()
        self.preview.clear()
        shutil.rmtree(self._tmp, ignore_errors=True)
        super().closeEvent(event)
