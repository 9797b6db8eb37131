"""Nhận văn bản từ tệp: the files dropped (or chosen) are read in the background, one row each
in a review table; the user corrects what is unsure and confirms rows with Ctrl+Enter.
Confirmed rows are recorded as submissions with the file attached; nothing is recorded
without her confirmation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.errors import AppError
from app.models import Channel
from app.reading.intake import (
    Confirmed,
    KnownFiles,
    add_trust_roots,
    expand,
    known_files,
    read_received,
    record_received,
    remove_trust_root,
    trust_root_names,
    trust_roots,
)
from app.reading.matching import (
    Catalogue,
    Match,
    load_catalogue,
    match_obligation,
    obligation_label,
    unit_obligations,
)
from ui import style, tasks
from ui.dialogs import messages
from ui.models.received_model import (
    CHOICE_ROLE,
    COLUMN_INDEX,
    COLUMNS,
    ERROR,
    NEW,
    RECORDED,
    ReceivedModel,
    ReviewRow,
)
from ui.operations import broadcasting, run_operation

if TYPE_CHECKING:
    from ui.main_window import MainWindow

FILE_FILTER = "Văn bản (*.pdf *.docx *.doc *.png *.jpg *.jpeg *.tif *.tiff);;Mọi tệp (*)"


class _ChoiceDelegate(QStyledItemDelegate):
    """A combo box for the unit and obligation columns."""

    def __init__(self, model: ReceivedModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = model

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        key = COLUMNS[index.column()].key
        if key not in ("unit", "obligation"):
            return super().createEditor(parent, option, index)
        combo = QComboBox(parent)
        row = self.model.row_at(index.row())
        choices = self.model.unit_choices if key == "unit" else self.model.obligation_choices(row)
        for choice_id, label in choices:
            combo.addItem(label, choice_id)
        current = index.data(CHOICE_ROLE)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        return combo

    def setModelData(
        self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)
        else:
            super().setModelData(editor, model, index)


class ReceiveFilesDialog(QDialog):
    recorded = Signal(int)  # submissions recorded by the last confirmation

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.main_window = window
        self.db = window.db
        self.model = ReceivedModel(self)
        self.model.rematch = self._rematch
        self.model.obligation_choices = self._obligation_choices
        self._catalogue: Catalogue | None = None
        self._known: KnownFiles | None = None
        self._roots: list[bytes] = []
        self._queue: list[Path] = []
        self._total = 0
        self._done = 0
        self._next_key = 1
        self._reading = False
        self._cancelled = False
        self._seen_hashes: dict[str, str] = {}
        self._build_ui()
        self._connect_signals()
        self.setAcceptDrops(True)

    # --- building --------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.setWindowTitle("Nhận văn bản từ tệp")
        self.resize(1300, 620)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Kéo thả tệp hoặc thư mục vào đây (PDF, Word .docx, ảnh quét). Chương trình đọc số, "
            f"ngày ký, đơn vị, nghĩa vụ… Ô <b style='background:{style.HIGHLIGHT}'>tô vàng</b> "
            "là giá trị "
            "chưa chắc (tên ô ghi ở cột “Cần kiểm tra”): hãy xem lại, sửa bằng F2 hoặc nhấp đúp. "
            "Chọn dòng rồi bấm <b>Ctrl+Enter</b> để ghi nhận. Chưa xác nhận thì chưa ghi gì.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        bar = QHBoxLayout()
        self.add_button = QPushButton("Thêm tệp…", self)
        self.add_folder_button = QPushButton("Thêm thư mục…", self)
        self.file_date_check = QCheckBox("Ngày nhận = ngày của tệp (mặc định: hôm nay)", self)
        self.channel_combo = QComboBox(self)
        for channel in (Channel.SYSTEM, Channel.EMAIL, Channel.PAPER):
            self.channel_combo.addItem(channel.label, channel.value)
        self.channel_combo.setToolTip("Hình thức nhận ghi cho các văn bản được ghi nhận")
        self.trust_button = QPushButton("CA tin cậy (ký số)…", self)
        self.trust_button.setToolTip(
            "Chứng thư của các tổ chức cấp chữ ký số mà cơ quan tin "
            "cậy (ví dụ Ban Cơ yếu Chính phủ): dùng để xác minh người ký"
        )
        self.progress = QProgressBar(self)
        self.progress.setFormat("Đã đọc %v/%m tệp")
        self.progress.setMinimumWidth(220)
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("Dừng đọc", self)
        self.cancel_button.setVisible(False)
        for widget in (
            self.add_button,
            self.add_folder_button,
            self.file_date_check,
            QLabel("Hình thức nhận:", self),
            self.channel_combo,
            self.trust_button,
        ):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        layout.addLayout(bar)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setItemDelegate(_ChoiceDelegate(self.model, self.table))
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        self.table.horizontalHeader().setStretchLastSection(True)
        for n, column in enumerate(COLUMNS):
            self.table.setColumnWidth(n, column.width)
        layout.addWidget(self.table, 1)
        self.detail = QLabel(self)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.detail)

        buttons = QHBoxLayout()
        self.summary_label = QLabel(self)
        self.confirm_button = QPushButton("Ghi nhận dòng đã chọn (Ctrl+Enter)", self)
        self.confirm_sure_button = QPushButton("Ghi nhận mọi dòng chắc chắn", self)
        self.clear_button = QPushButton("Bỏ các dòng đã ghi nhận", self)
        self.clear_button.setToolTip(
            "Bỏ khỏi bảng các dòng đã ghi nhận và các tệp lỗi (không xoá gì trong dữ liệu)"
        )
        self.close_button = QPushButton("Đóng", self)
        buttons.addWidget(self.summary_label, 1)
        buttons.addWidget(self.clear_button)
        buttons.addWidget(self.confirm_sure_button)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.confirm_shortcuts = [
            QShortcut(QKeySequence(k), self) for k in ("Ctrl+Return", "Ctrl+Enter")
        ]
        self._update()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.add_folder_button.clicked.connect(self._on_add_folder_button_clicked)
        self.cancel_button.clicked.connect(self.cancel_reading)
        self.trust_button.clicked.connect(self._on_trust_button_clicked)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.confirm_sure_button.clicked.connect(self.confirm_all_sure)
        self.clear_button.clicked.connect(self.clear_done)
        self.close_button.clicked.connect(self.reject)
        for shortcut in self.confirm_shortcuts:
            shortcut.activated.connect(self.confirm_selected)
        self.table.installEventFilter(self)  # Ctrl+Enter in the table even without the
        # window being active (the shortcut map only serves the active window)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_detail())
        self.model.dataChanged.connect(lambda *_: self._update())
        self.model.rowsInserted.connect(lambda *_: self._update())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if (
                event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier
            ):
                self.confirm_selected()
                return True
        return super().eventFilter(watched, event)

    def _on_trust_button_clicked(self) -> None:
        TrustRootsDialog(self.db, self).exec()
        self._roots = trust_roots(self.db)  # files read from now on use them

    # --- drops -----------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.add_paths(paths)

    def _on_add_button_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Chọn văn bản nhận được", "", FILE_FILTER)
        if names:
            self.add_paths(names)

    def _on_add_folder_button_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Chọn thư mục văn bản nhận được")
        if folder:
            self.add_paths([folder])

    # --- reading (background, one file at a time) ------------------------------------------
    def add_paths(self, paths: list[str] | list[Path]) -> None:
        files = expand([Path(p) for p in paths])
        if not files:
            messages.show_info(
                self,
                "Nhận văn bản từ tệp",
                "Không có tệp PDF, Word (.docx) hay ảnh quét nào để đọc.",
            )
            return
        self._queue.extend(files)
        self._total += len(files)
        self._cancelled = False
        self.progress.setRange(0, self._total)
        self.progress.setValue(self._done)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        if not self._reading:
            self._reading = True
            if self._catalogue is None:
                tasks.run_in_background(
                    self._load_catalogue,
                    self._on_catalogue_loaded,
                    self._on_read_failed,
                    owner=self,
                )
            else:
                self._read_next()

    def _load_catalogue(self) -> tuple[Catalogue, KnownFiles, list[bytes]]:
        return load_catalogue(self.db), known_files(self.db), trust_roots(self.db)

    def _on_catalogue_loaded(self, loaded: tuple[Catalogue, KnownFiles, list[bytes]]) -> None:
        self._catalogue, self._known, self._roots = loaded
        self.model.unit_choices = [(u.id, u.name) for u in self._catalogue.units]
        self._read_next()

    def _read_next(self) -> None:
        if self._cancelled or not self._queue:
            self._finish_reading()
            return
        path = self._queue.pop(0)
        today = self.main_window.today()
        catalogue, known, roots = self._catalogue, self._known, self._roots
        tasks.run_in_background(
            lambda: read_received(
                self.db, path, today=today, catalogue=catalogue, known=known, roots=roots
            ),
            self._on_file_read,
            self._on_read_failed,
            owner=self,
        )

    def _on_file_read(self, result: Any) -> None:
        received = self.main_window.today()
        if self.file_date_check.isChecked():
            try:
                stamp = Path(result.path).stat().st_mtime
                received = min(received, dt.date.fromtimestamp(stamp))
            except OSError:
                pass
        row = ReviewRow.from_result(self._next_key, result, received)
        self._next_key += 1
        if result.sha256 and not result.duplicate and result.sha256 in self._seen_hashes:
            row.message = f"Trùng nội dung với tệp {self._seen_hashes[result.sha256]}"
            row.state = ERROR
        self._seen_hashes.setdefault(result.sha256, result.name)
        self.model.append(row)
        self._done += 1
        self.progress.setValue(self._done)
        if self.model.rowCount() == 1:
            self.table.selectRow(0)
        self._read_next()

    def _on_read_failed(self, exc: BaseException) -> None:
        self._finish_reading()
        messages.show_error(self, exc)

    def _finish_reading(self) -> None:
        self._reading = False
        self._queue.clear()
        self.cancel_button.setVisible(False)
        self.progress.setVisible(self._done < self._total)
        self._update()

    def cancel_reading(self) -> None:
        """Stop after the file being read; the rows read so far stay."""
        self._cancelled = True
        self._total = self._done + (1 if self._reading else 0)

    @property
    def reading(self) -> bool:
        return self._reading

    # --- corrections -----------------------------------------------------------------------
    def _obligation_choices(self, row: ReviewRow) -> list[tuple[int, str]]:
        if row.unit_id is None:
            return []
        directive = row.result.directive.id
        try:
            found = unit_obligations(self.db, row.unit_id, self.main_window.today(), directive)
        except AppError:
            return []
        return [(o.id, obligation_label(o)) for o in found]

    def _rematch(self, row: ReviewRow) -> None:
        """The user picked another unit: the obligation of the same task and period."""
        fields = row.result.fields
        if fields is None or row.unit_id is None:
            return
        unit = Match(row.unit_id, row.unit_label, 1.0)
        found = match_obligation(
            self.db, unit, row.result.directive, fields, self.main_window.today()
        )
        if found.id is not None:
            row.obligation_id = found.id
            row.obligation_label = found.label.split(" — ", 1)[-1]
            if found.sure:
                row.unsure.pop("obligation", None)

    # --- confirming ------------------------------------------------------------------------
    def selected_rows(self) -> list[ReviewRow]:
        numbers = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not numbers and self.table.currentIndex().isValid():
            numbers = [self.table.currentIndex().row()]
        return [self.model.row_at(n) for n in numbers]

    def confirm_selected(self) -> int:
        return self.confirm(self.selected_rows())

    def confirm_all_sure(self) -> int:
        return self.confirm([r for r in self.model.rows() if not r.unsure], ask=False)

    def confirm(self, rows: list[ReviewRow], *, ask: bool = True) -> int:
        """Record ``rows`` (those not yet recorded); each failure is written in its row."""
        if self.table.state() == QAbstractItemView.State.EditingState:
            self.table.setFocus()  # commits the cell being edited first
        rows = [r for r in rows if r.state in (NEW, ERROR) and r.editable]
        if not rows:
            return 0
        unsure = [r for r in rows if r.unsure]
        if ask and unsure:
            names = "; ".join(
                f"{r.result.name}: "
                + ", ".join(
                    k
                    for k in ("số", "ngày ký", "đơn vị", "nghĩa vụ", "trích yếu", "người ký")
                    if _label_key(k) in r.unsure
                )
                for r in unsure[:5]
            )
            if not messages.confirm(
                self,
                "Ghi nhận văn bản",
                f"{len(unsure)} dòng còn ô chưa chắc ({names}). Anh/chị đã kiểm tra và vẫn "
                "ghi nhận?",
                yes="Ghi nhận",
            ):
                return 0
        today = self.main_window.today()
        done = 0
        with broadcasting(self):  # what the rows recorded, told to the window once
            for row in rows:
                if row.obligation_id is None:
                    self.model.mark_error(row, "Chọn nghĩa vụ (cột Nghĩa vụ) trước khi ghi nhận.")
                    continue
                try:  # each row's refusal is said in its row; the others go on
                    info = record_received(
                        self.db,
                        Confirmed(
                            path=row.result.path,
                            obligation_id=row.obligation_id,
                            number_symbol=row.number_symbol,
                            signed_date=row.signed_date,
                            received_date=row.received_date,
                            signer=row.signer,
                            summary=row.summary,
                            channel=str(self.channel_combo.currentData()),
                        ),
                        today=today,
                    )
                except AppError as exc:
                    self.model.mark_error(row, exc.message)
                    continue
                row.state, row.message, row.submission_id = RECORDED, "", info.id
                if self._known is not None and row.result.sha256:  # dropped again: flagged
                    self._known.add(
                        row.result.sha256, f"văn bản {info.number_symbol} của {row.unit_label}"
                    )
                done += 1
                self.model.row_changed(row)
        if done:
            self.main_window.show_status(f"Đã ghi nhận {done} văn bản từ tệp.")
            self.recorded.emit(done)
        self._update()
        return done

    def clear_done(self) -> None:
        """Keep only the rows still to confirm (the table, not the data)."""
        kept = [r for r in self.model.rows() if r.state in (NEW, ERROR) and r.editable]
        self.model.clear()
        for row in kept:
            self.model.append(row)
        self._update()

    # --- display ---------------------------------------------------------------------------
    def _show_detail(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.detail.setText("")
            return
        row = self.model.row_at(index.row())
        status = self.model.index(index.row(), COLUMN_INDEX["status"]).data()
        parts = [f"<b>{row.result.name}</b> — {status}"]
        f = row.result.fields
        if f is not None:
            parts.append(
                f"Cơ quan ban hành: {f.issuing_body.text or '—'}"
                + (f" (cấp trên: {f.parent_body.text})" if f.parent_body.text else "")
            )
            if f.signer_title.text:
                parts.append(f"Chức vụ người ký: {f.signer_title.text}")
            if row.result.directive.label:
                parts.append(f"Văn bản chỉ đạo: {row.result.directive.label}")
        for sig in row.result.signatures:
            parts.append(sig.describe())
        for key, why in row.unsure.items():
            parts.append(
                f"<span style='background:{style.HIGHLIGHT}'>Cần kiểm tra</span> "
                f"{COLUMNS[COLUMN_INDEX[key]].header}: {why}"
            )
        self.detail.setText("<br>".join(parts))

    def _update(self) -> None:
        rows = self.model.rows()
        recorded = sum(r.state == RECORDED for r in rows)
        unsure = sum(bool(r.unsure) and r.state != RECORDED for r in rows)
        problems = sum(r.state not in (NEW, RECORDED) for r in rows)
        self.summary_label.setText(
            f"{len(rows)} tệp: {recorded} đã ghi nhận, {unsure} cần kiểm tra, {problems} có lỗi."
        )
        self.confirm_sure_button.setEnabled(
            any(r.state == NEW and not r.unsure and r.editable for r in rows)
        )
        self._show_detail()

    def reject(self) -> None:
        self.cancel_reading()
        super().reject()


def _label_key(label: str) -> str:
    return {
        "số": "number_symbol",
        "ngày ký": "signed_date",
        "đơn vị": "unit",
        "nghĩa vụ": "obligation",
        "trích yếu": "summary",
        "người ký": "signer",
    }[label]


class TrustRootsDialog(QDialog):
    """The CA certificates trusted for digital signatures (kept in the database settings)."""

    def __init__(self, db: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle("CA tin cậy cho chữ ký số")
        layout = QVBoxLayout(self)
        note = QLabel(
            "Chữ ký số được xác minh ngoại tuyến theo các chứng thư CA dưới đây; "
            "chương trình không kiểm tra thu hồi chứng thư.",
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.list = QListWidget(self)
        layout.addWidget(self.list)
        bar = QHBoxLayout()
        self.add_button = QPushButton("Thêm chứng thư…", self)
        self.remove_button = QPushButton("Bỏ chứng thư đã chọn", self)
        self.close_button = QPushButton("Đóng", self)
        for b in (self.add_button, self.remove_button):
            bar.addWidget(b)
        bar.addStretch(1)
        bar.addWidget(self.close_button)
        layout.addLayout(bar)
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.close_button.clicked.connect(self.accept)
        self._reload()

    def _reload(self) -> None:
        self.list.clear()
        for name in trust_root_names(self.db):
            self.list.addItem(name)

    def add_file(self, path: str) -> None:
        run_operation(self, lambda: add_trust_roots(self.db, path), done=lambda _n: self._reload())

    def _on_add_button_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Chọn chứng thư CA", "", "Chứng thư (*.cer *.crt *.pem *.der);;Mọi tệp (*)"
        )
        if name:
            self.add_file(name)

    def _on_remove_button_clicked(self) -> None:
        row = self.list.currentRow()
        if row >= 0:
            run_operation(
                self, lambda: remove_trust_root(self.db, row), done=lambda _n: self._reload()
            )
