"""Cảnh báo hạn: every obligation overdue or due soon on the day, most urgent first."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.changes import Change
from app.dates import as_of_caption, fmt
from app.models import UnitKind
from app.search import SearchIndex
from app.services.dashboard import save_warning_days
from app.services.directives import DirectiveInfo, list_directives
from app.services.issued_documents import reminder_notes
from app.services.obligations import ObligationRow
from app.services.units import UnitInfo, list_units
from app.services.warning_list import (
    PAGE_SIZE,
    SearchScope,
    WarningFilter,
    search_scope,
    warning_page,
    warning_totals,
)
from app.settings import Settings
from app.status import Status, StatusCounts
from app.text import number_text, search_key
from ui import style
from ui.models.warnings_model import REMINDED_TITLE, WarningsModel
from ui.pages.base import Page
from ui.style import status_chip_style
from ui.tasks import window_closed
from ui.widgets.flow_layout import FlowLayout
from ui.widgets.frozen_column import freeze_first_column
from ui.widgets.search_box import link_search

SEARCH_DELAY_MS = 250  # typing on: the query runs once the user pauses

if TYPE_CHECKING:
    from ui.main_window import MainWindow


@dataclass(frozen=True)
class _Page:
    """One query's answer: the first rows of the list and how many rows match."""

    flt: WarningFilter
    rows: list[ObligationRow]
    totals: StatusCounts
    order: str = "urgency"
    descending: bool = False


@dataclass(frozen=True)
class _Loaded:
    day: dt.date
    directives: list[DirectiveInfo]
    units: list[UnitInfo]
    window_days: int
    scope: SearchScope
    day_totals: StatusCounts  # every warning of the day (the tab's number)
    page: _Page
    reminded: dict[tuple[int, int | None], str]  # "đã đôn đốc lần N, ngày …" by unit, directive


class WarningsPage(Page):
    """Emits ``countChanged`` (overdue + due soon, shown in the tab title) and
    ``openObligationRequested`` on a double-click or Enter.

    The page holds a page of rows at a time (``PAGE_SIZE``, more when the user scrolls to the
    end or presses "Hiện thêm"): filters, search and order are applied by the query
    (:mod:`app.services.warning_list`), the counts come from a COUNT query."""

    concerns = Change.ALL

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(window, parent)
        self.day: dt.date | None = None
        self.counts = StatusCounts()
        self.window_days = Settings().warning_days
        self.scope: SearchScope | None = None
        self.current_count = 0
        self._fitted = False
        self._shown: _Page | None = None
        self._order = "urgency"
        self._descending = False
        self._generation = 0
        self._build_ui()
        self._connect_signals()
        self.refresh()

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        # A row for the page's actions (export, print… are added here by other modules).
        self.toolbar_layout = QHBoxLayout()
        self.summary_label = QLabel(self)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.toolbar_layout.addWidget(self.summary_label, 1)
        self.reminder_button = QPushButton("In / Xuất PDF công văn đôn đốc…", self)
        self.reminder_button.setToolTip(
            "Công văn đôn đốc cho văn bản đang lọc (chọn văn bản ở ô "
            '"Văn bản" để đôn đốc riêng văn bản đó)'
        )
        self.unit_reminder_button = QPushButton("Đôn đốc đơn vị…", self)
        self.unit_reminder_button.setToolTip(
            "Một công văn gửi đơn vị của dòng đang chọn, liệt "
            "kê mọi việc đơn vị còn quá hạn (mọi văn bản)"
        )
        self.export_button = QPushButton("Xuất Excel (Ctrl+E)", self)
        self.export_button.setToolTip(
            "Lưu toàn bộ danh sách cảnh báo đúng bộ lọc và thứ tự "
            "đang chọn (kể cả các dòng chưa hiện) ra tệp Excel"
        )
        self.toolbar_layout.addWidget(self.reminder_button)
        self.toolbar_layout.addWidget(self.unit_reminder_button)
        self.toolbar_layout.addWidget(self.export_button)
        layout.addLayout(self.toolbar_layout)

        filters = FlowLayout()  # wraps on a narrow window
        filters.addWidget(QLabel("Văn bản:"))
        self.directive_combo = QComboBox(self)
        self.directive_combo.addItem("Tất cả", None)
        filters.addWidget(self.directive_combo)
        filters.addWidget(QLabel("Loại đơn vị:"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("Tất cả", None)
        for kind in UnitKind:
            self.kind_combo.addItem(kind.label, kind.value)
        filters.addWidget(self.kind_combo)
        filters.addWidget(QLabel("Đơn vị:"))
        self.unit_combo = QComboBox(self)
        self.unit_combo.addItem("Tất cả", None)
        self.unit_combo.setMinimumContentsLength(22)
        self.unit_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        filters.addWidget(self.unit_combo)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Tìm đơn vị, nhiệm vụ, văn bản, kỳ (không cần dấu)…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumWidth(260)
        filters.addWidget(self.search_edit)
        filters.addWidget(QLabel("Cảnh báo trước:"))
        self.window_spin = QSpinBox(self)
        self.window_spin.setRange(0, 90)
        self.window_spin.setSuffix(" ngày")
        self.window_spin.setValue(Settings().warning_days)
        self.window_spin.setToolTip(
            "Nghĩa vụ chưa nộp có hạn trong số ngày này được cảnh báo "
            "“Sắp đến hạn”. Lưu vào cài đặt khi rời ô hoặc nhấn Enter."
        )
        filters.addWidget(self.window_spin)
        layout.addLayout(filters)

        self.model = WarningsModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        # Fit the columns on a sample of rows: Qt's default (1,000 rows) cost ~0.4 s at M.
        self.view.horizontalHeader().setResizeContentsPrecision(200)
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)  # the model asks the query for the order
        self.view.horizontalHeader().setToolTip(
            "Nhấp tiêu đề cột để sắp xếp toàn bộ danh sách (cả các dòng chưa hiện); nhấp cột "
            "“Trạng thái” để về thứ tự khẩn cấp."
        )
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.frozen = freeze_first_column(self.view)  # the unit stays when scrolled sideways
        layout.addWidget(self.view, 1)

        bottom = QHBoxLayout()
        for status in (Status.OVERDUE, Status.DUE_SOON):
            chip = QLabel(status.label)
            chip.setStyleSheet(status_chip_style(status))
            bottom.addWidget(chip)
        self.shown_label = QLabel(self)
        bottom.addWidget(self.shown_label, 1)
        self.more_button = QPushButton("Hiện thêm", self)
        self.more_button.setToolTip(
            "Tải thêm các dòng tiếp theo của danh sách (cũng tự tải khi cuộn xuống cuối bảng)"
        )
        self.more_button.setVisible(False)
        bottom.addWidget(self.more_button)
        bottom.addWidget(QLabel("Nhấp đúp một dòng để mở nghĩa vụ."))
        layout.addLayout(bottom)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)

    def _connect_signals(self) -> None:
        link_search(self.search_edit, self.view)  # Esc clears; ↓/Enter go to the list
        self.directive_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_filter_changed)
        self.search_edit.textChanged.connect(self._on_search_edit_text_changed)
        self.search_timer.timeout.connect(self._requery)
        self.search_edit.returnPressed.connect(self._requery)
        self.window_spin.editingFinished.connect(self._on_window_spin_editing_finished)
        self.view.activated.connect(self._on_view_activated)
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.reminder_button.clicked.connect(self._on_reminder_button_clicked)
        self.unit_reminder_button.clicked.connect(self._on_unit_reminder_button_clicked)
        self.more_button.clicked.connect(self._on_more_button_clicked)
        self.model.moreRequested.connect(self._on_model_more_requested)
        self.model.sortRequested.connect(self._on_model_sort_requested)
        self.model.rowsInserted.connect(self._update_shown)
        self.model.modelReset.connect(self._update_shown)

    # --- data -----------------------------------------------------------------------------
    def current_filter(
        self, day: dt.date | None = None, window_days: int | None = None
    ) -> WarningFilter:
        """The filters, search and day the list is asked for."""
        return WarningFilter(
            day=day or self.day or self.main_window.as_of,
            window_days=self.window_days if window_days is None else window_days,
            directive_id=self.directive_combo.currentData(),
            unit_kind=self.kind_combo.currentData(),
            unit_id=self.unit_combo.currentData(),
            search=self.search_edit.text(),
        )

    def refresh(self) -> None:
        """Everything for the window's day: the choices of the filters, the search keys, the
        day's counts and the first page of the list."""
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        day = self.main_window.as_of
        self._generation += 1
        generation = self._generation
        db = self.db
        wanted = self.current_filter(day)
        order, descending = self._order, self._descending

        def load() -> _Loaded:
            from app.services.dashboard import warning_days

            days = warning_days(db)
            flt = replace(wanted, day=day, window_days=days)
            scope = search_scope(db, flt)
            day_totals = warning_totals(db, flt.unfiltered())
            return _Loaded(
                day,
                list_directives(db),
                list_units(db),
                days,
                scope,
                day_totals,
                _query(db, flt, scope, order, descending, day_totals),
                reminder_notes(db, day),
            )

        self.main_window.runner.run(
            load, lambda result: self._on_loaded(generation, result), owner=self
        )

    def _requery(self) -> None:
        """The list again for new filters, search or order (same day, same search keys)."""
        self.search_timer.stop()
        if self.scope is None or self.day is None:
            return  # the first load is on its way and reads the filters when it ends
        self._generation += 1
        generation = self._generation
        db, scope = self.db, self.scope
        flt = self.current_filter()
        order, descending = self._order, self._descending
        narrowed = self._narrowed(flt, order, descending)
        if narrowed is not None:  # typing on within a list held whole: no query needed
            self._show_page(narrowed)
            return
        self.main_window.runner.run(
            lambda: _query(db, flt, scope, order, descending),
            lambda page: self._on_page(generation, page),
            owner=self,
        )

    def _narrowed(self, flt: WarningFilter, order: str, descending: bool) -> _Page | None:
        """The list for a search that only narrows the one shown, when every row of that one
        is loaded: its matching rows, in the same order (the same rows as the query would
        give: a row matches when each word is in one of its texts, as in SQL)."""
        shown = self._shown
        if (
            shown is None
            or (shown.order, shown.descending) != (order, descending)
            or replace(shown.flt, search="") != replace(flt, search="")
            or self.model.rowCount() < self.model.total
        ):
            return None
        old_words = search_key(shown.flt.search).split()
        new_words = search_key(flt.search).split()
        if not new_words or not all(any(o in n for n in new_words) for o in old_words):
            return None
        rows = self.model.rows()
        index = SearchIndex.from_fields(
            (r.unit_name, r.unit_short_name, r.task_title, r.directive_symbol, r.period_label)
            for r in rows
        )
        kept = [rows[i] for i in index.filter(flt.search)]
        return _Page(flt, kept, StatusCounts.of(kept), order, descending)

    def _on_loaded(self, generation: int, loaded: _Loaded) -> None:
        if generation != self._generation:  # a newer day was asked meanwhile
            return
        self.day = loaded.day
        self.scope = loaded.scope
        self.model.set_reminded(loaded.reminded)
        self._fill_combo(self.directive_combo, [(d.number_symbol, d.id) for d in loaded.directives])
        self._fill_combo(self.unit_combo, [(u.name, u.id) for u in loaded.units])
        self.window_days = loaded.window_days
        if not self.window_spin.hasFocus():
            self.window_spin.setValue(loaded.window_days)
        self.counts = loaded.day_totals
        self.summary_label.setText(
            f"Ngày <b>{fmt(loaded.day)}</b>: <b style='color:{style.ERROR_TEXT}'>"
            f"{number_text(self.counts.overdue)} quá hạn</b>, "
            f"<b style='color:{style.DUE_SOON_TEXT}'>"
            f"{number_text(self.counts.due_soon)} sắp đến hạn</b> "
            f"(trong {loaded.window_days} ngày tới)."
        )
        self.set_count(self.counts.total)
        self.main_window.show_status(f"Ngày {fmt(loaded.day)}: {self.counts.warnings_text()}")
        if loaded.page.flt != self.current_filter():
            self._fitted = False
            self._requery()  # a filter changed while the day was loading
        else:
            self._show_page(loaded.page, fit_columns=True)
        self.set_loaded()

    def on_changed(self, change: Change) -> None:
        """A document issued only changes the reminders column; anything else, the list."""
        if change & ~Change.DOCUMENTS:
            self.refresh()
        elif change & Change.DOCUMENTS:
            self.reload_reminded()

    def reload_reminded(self) -> None:
        """The reminders column again (a reminder was just printed or saved)."""
        if window_closed(self) or self.day is None:
            return
        db, day = self.db, self.day
        self.main_window.runner.run(
            lambda: reminder_notes(db, day), self.model.set_reminded, owner=self
        )

    def _on_page(self, generation: int, page: _Page) -> None:
        if generation == self._generation:
            self._show_page(page)

    def _show_page(self, page: _Page, *, fit_columns: bool = False) -> None:
        self._shown = page
        self.model.set_rows(page.rows, page.totals.total)
        if fit_columns or not self._fitted:
            # Once per day, not per keystroke: widths stay put while the user types.
            self.view.resizeColumnsToContents()
            titles = [c.title for c in self.model.columns]
            unit, period = titles.index("Đơn vị"), titles.index("Kỳ")
            self.view.setColumnWidth(unit, min(self.view.columnWidth(unit) + 12, 300))
            # The period: room for "6 tháng đầu năm 2016" even if the first rows are monthly.
            self.view.setColumnWidth(period, max(self.view.columnWidth(period), 150))
            # "Đã đôn đốc": room for "đã đôn đốc lần 2, ngày 15/08/2018" before any is sent.
            reminded = titles.index(REMINDED_TITLE)
            self.view.setColumnWidth(reminded, max(self.view.columnWidth(reminded), 190))
            self._fitted = bool(page.rows)
        self._update_shown()

    def _on_model_more_requested(self, offset: int) -> None:
        if self.scope is None:
            self.model.fetch_failed()
            return
        generation = self._generation
        db, scope, shown = self.db, self.scope, self._shown
        # more of the list shown — not of a search typed and not asked for yet
        flt = shown.flt if shown is not None else self.current_filter()
        order, descending = (
            (shown.order, shown.descending)
            if shown is not None
            else (self._order, self._descending)
        )

        def done(rows: list[ObligationRow]) -> None:
            if generation == self._generation:
                self.model.append_rows(rows)

        def failed(exc: BaseException) -> None:
            from ui.dialogs.messages import show_error

            self.model.fetch_failed()
            show_error(self, exc)

        self.main_window.runner.run(
            lambda: warning_page(
                db,
                flt,
                scope=scope,
                order=order,
                descending=descending,
                limit=PAGE_SIZE,
                offset=offset,
            ),
            done,
            failed,
            owner=self,
        )

    @staticmethod
    def _fill_combo(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        wanted = [("Tất cả", None), *items]
        if [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())] == wanted:
            return
        combo.blockSignals(True)
        combo.clear()
        for text, data in wanted:
            combo.addItem(text, data)
        combo.setCurrentIndex(max(combo.findData(current), 0))
        combo.blockSignals(False)

    def _update_shown(self, *_args: object) -> None:
        shown, total = self.model.rowCount(), self.model.total
        if shown < total:
            self.shown_label.setText(
                f"Hiển thị {number_text(shown)} / tổng {number_text(total)} dòng — cuộn xuống cuối "
                "bảng hoặc bấm “Hiện thêm” để xem tiếp."
            )
        else:
            self.shown_label.setText(
                f"Hiển thị {number_text(shown)} / tổng {number_text(total)} dòng."
            )
        self.more_button.setVisible(shown < total)

    def visible_rows(self) -> list[ObligationRow]:
        """The rows loaded on the page (the first pages of the list), in their order."""
        return self.model.rows()

    def export_title(self) -> str:
        parts = ["Cảnh báo hạn"]
        for combo in (self.directive_combo, self.kind_combo, self.unit_combo):
            if combo.currentData() is not None:
                parts.append(combo.currentText())
        if self.search_edit.text().strip():
            parts.append(f"tìm “{self.search_edit.text().strip()}”")
        day = self.day or self.main_window.as_of
        parts.append(as_of_caption(day, short=True))
        return " — ".join(parts)

    def export_excel(self, path: Path | None = None) -> None:
        """Every warning matching the filters and search, in the order shown (all of them,
        not only the rows loaded on the page) to an .xlsx file, as the command line's
        ``export warnings`` writes them."""
        from app.exchange.xlsx_export import warning_list_table
        from ui.widgets.export_button import export_table

        db, scope, flt = self.db, self.scope, self.current_filter()
        order, descending, subtitle = self._order, self._descending, self.export_title()
        if scope is None:
            return  # nothing loaded yet

        def build() -> Any:
            rows = warning_page(
                db, flt, scope=scope, order=order, descending=descending, limit=None
            )
            return warning_list_table(db, rows, flt.day, subtitle)

        export_table(self, build, "Cảnh báo hạn", path=path)

    # --- slots ----------------------------------------------------------------------------
    def _on_reminder_button_clicked(self) -> None:
        self.main_window.open_document_dialog(
            "reminder", directive_id=self.directive_combo.currentData()
        )

    def _on_unit_reminder_button_clicked(self) -> None:
        """The consolidated reminder to the unit of the selected row (or the unit filtered)."""
        index = self.view.currentIndex()
        unit_id = (
            self.model.row_at(index.row()).unit_id
            if index.isValid()
            else self.unit_combo.currentData()
        )
        self.main_window.open_document_dialog("unit-reminder", unit_id=unit_id)

    def _on_filter_changed(self, _index: int) -> None:
        self._requery()

    def focus_search(self) -> None:
        """Ctrl+F."""
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _on_search_edit_text_changed(self, _text: str) -> None:
        self.search_timer.start()  # restarted by every keystroke; Enter asks at once

    def _on_more_button_clicked(self) -> None:
        self.model.fetchMore(QModelIndex())

    def _on_model_sort_requested(self, column: int, order: Qt.SortOrder) -> None:
        wanted = self.model.order_of(column)
        descending = order == Qt.SortOrder.DescendingOrder
        if (wanted, descending) != (self._order, self._descending):
            self._order, self._descending = wanted, descending
            self._requery()

    def _on_window_spin_editing_finished(self) -> None:
        value = self.window_spin.value()
        if value == self.window_days:
            return

        def done(days: int) -> None:
            self.window_days = days
            self.refresh()

        self.operate(lambda: save_warning_days(self.db, value), done=done)

    def _on_view_activated(self, index: QModelIndex) -> None:
        obligation_id = index.data(Qt.ItemDataRole.UserRole)
        if obligation_id is not None:
            self.openObligationRequested.emit(int(obligation_id))


def _query(
    db: Any,
    flt: WarningFilter,
    scope: SearchScope,
    order: str,
    descending: bool,
    unfiltered: StatusCounts | None = None,
) -> _Page:
    """The first page and the count of a list (the day's count when nothing filters it)."""
    rows = warning_page(db, flt, scope=scope, order=order, descending=descending, limit=PAGE_SIZE)
    if unfiltered is not None and flt == flt.unfiltered():
        totals = unfiltered
    elif len(rows) < PAGE_SIZE:  # all of it is here: count it
        totals = StatusCounts.of(rows)
    else:
        totals = warning_totals(db, flt, scope)
    return _Page(flt, rows, totals, order, descending)
