"""Tổng quan: the state of every directive and task on the day — key figures, a progress bar
and a chart by unit kind per task, the figures table, and the completeness matrix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.changes import Change
from app.dates import as_of_caption, fmt
from app.services.dashboard import DirectiveSummary, Overview, TaskSummary, overview
from app.status import FIGURES, STATUS_COLOURS, Status, StatusCounts, rate_text
from app.text import number_text
from ui import style
from ui.models.task_summary_model import TaskSummaryModel
from ui.pages.base import Page
from ui.tasks import window_closed
from ui.widgets.completeness_matrix_widget import CompletenessMatrixWidget
from ui.widgets.status_bar_chart import ChartRow, StatusBarChart

if TYPE_CHECKING:
    from ui.main_window import MainWindow

SECTION_CHARTS, SECTION_TABLE, SECTION_MATRIX, SECTION_TODAY = 0, 1, 2, 3
TODAY_TITLE = "Việc cần làm hôm nay"
# Directives drawn before the first paint; the others a batch at a time as the user scrolls
# towards them (200 directives with 710 tasks took ~2 s of widget building before the first
# paint; 1,000 with ~3,000 tasks, ~2 s of CPU and ~100 MB even after it).
FIRST_DIRECTIVES = 6
DIRECTIVES_PER_BATCH = 12
# Rows sampled to fit column widths (Qt's default 1,000 rows cost ~0.7 s at 710 tasks).
RESIZE_PRECISION = 150
PROGRESS_STYLE = (
    f"QProgressBar {{ border: 1px solid {style.EDGE}; border-radius: 3px; "
    f"background: {style.WHITE}; text-align: center; color: {style.TEXT}; min-height: 20px; }}"
    f"QProgressBar::chunk {{ background: {style.PROGRESS_CHUNK}; }}"
)


def _figure_box(title: str, value: str, note: str, colour: str, tip: str) -> QFrame:
    box = QFrame()
    box.setToolTip(tip)
    box.setObjectName("figure")
    box.setStyleSheet(
        f"QFrame#figure {{ background: {colour}; border: 1px solid {style.EDGE}; "
        "border-radius: 4px; }"
    )
    layout = QVBoxLayout(box)
    layout.setContentsMargins(10, 6, 10, 6)
    head = QLabel(title)
    number = QLabel(value)
    font = number.font()
    font.setPointSizeF(font.pointSizeF() * 1.8)
    font.setBold(True)
    number.setFont(font)
    layout.addWidget(head)
    layout.addWidget(number)
    if note:
        layout.addWidget(QLabel(note))
    return box


def progress_text(counts: StatusCounts) -> str:
    if counts.expected == 0:
        return "Không có nghĩa vụ phải nộp"
    return (
        f"Đã nộp {counts.received}/{counts.expected} ({rate_text(counts.received_rate)})"
        f" — đúng hạn {counts.on_time} ({rate_text(counts.on_time_rate)})"
    )


class DashboardPage(Page):
    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(window, parent)
        self.day: dt.date | None = None
        self.data: Overview | None = None
        self.progress_bars: dict[int, QProgressBar] = {}
        self.charts: dict[int, StatusBarChart] = {}
        self._pending_boxes: tuple[QWidget | None, list[DirectiveSummary]] = (None, [])
        self._table_fitted = False
        self._generation = 0
        self._build_ui()
        self._connect_signals()
        self.refresh()

    # --- building -------------------------------------------------------------------------
    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        # A row for the page's actions (export, print… are added here by other modules).
        self.toolbar_layout = QHBoxLayout()
        self.title_label = QLabel(self)
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.toolbar_layout.addWidget(self.title_label, 1)
        self.export_button = QPushButton("Xuất Excel (Ctrl+E)", self)
        self.export_button.setToolTip(
            "Lưu ma trận đầy đủ (hoặc bảng số liệu khi đang xem bảng) đang hiển thị ra tệp Excel"
        )
        self.toolbar_layout.addWidget(self.export_button)
        layout.addLayout(self.toolbar_layout)

        self.sections = QTabWidget(self)
        self.charts_area = QScrollArea(self)
        self.charts_area.setWidgetResizable(True)
        self.charts_area.setFrameShape(QFrame.Shape.NoFrame)
        self.sections.addTab(self.charts_area, "Biểu đồ")
        self.summary_model = TaskSummaryModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.summary_model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setResizeContentsPrecision(RESIZE_PRECISION)
        self.table.setToolTip("Nhấp đúp một nhiệm vụ để xem ma trận đầy đủ của nó.")
        self.sections.addTab(self.table, "Bảng số liệu")
        self.matrix = CompletenessMatrixWidget(self.db, self)
        self.sections.addTab(self.matrix, "Ma trận đầy đủ")
        from ui.widgets.today_panel import TodayPanel  # the follow-up rhythm

        self.today_panel = TodayPanel(self.main_window, self)
        self.sections.addTab(self.today_panel, TODAY_TITLE)
        layout.addWidget(self.sections, 1)

    def _connect_signals(self) -> None:
        self.matrix.openObligationRequested.connect(self.openObligationRequested)
        self.charts_area.verticalScrollBar().valueChanged.connect(self._on_charts_scrolled)
        self.sections.currentChanged.connect(self._on_sections_current_changed)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.export_button.clicked.connect(lambda: self.export_excel())
        self.today_panel.countChanged.connect(
            lambda n: self.sections.setTabText(
                SECTION_TODAY, f"{TODAY_TITLE} ({n})" if n else TODAY_TITLE
            )
        )

    # --- data -----------------------------------------------------------------------------
    def refresh(self) -> None:
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        day = self.main_window.as_of
        self._generation += 1
        generation = self._generation
        db = self.db
        self.main_window.runner.run(
            lambda: overview(db, day),
            lambda result: self._on_loaded(generation, result),
            owner=self,
        )
        self.matrix.refresh(day)
        self.today_panel.refresh(day)

    def on_changed(self, change: Change) -> None:
        """A document issued only changes the follow-up rounds done ("Việc cần làm hôm nay");
        anything else it concerns, the whole overview."""
        if change & self.concerns:
            self.refresh()
        elif change & Change.DOCUMENTS:
            self.today_panel.refresh(self.main_window.as_of)

    def _on_loaded(self, generation: int, data: Overview) -> None:
        if generation != self._generation:
            return
        self.day = data.day
        self.data = data
        self.title_label.setText(
            f"Tình hình thực hiện tính đến ngày <b>{fmt(data.day)}</b> "
            f"(cảnh báo “sắp đến hạn” trước {data.window_days} ngày)"
        )
        self.summary_model.set_overview(data)
        self._table_fitted = False
        if self.sections.currentIndex() == SECTION_TABLE:
            self._fit_table()
        self._rebuild_charts(data)
        self.set_loaded()

    def _fit_table(self) -> None:
        """The figures table's widths from its contents, when it is shown (~0.1 s at M that
        the first paint paid while the charts were on screen)."""
        self._table_fitted = True
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 330))

    def _on_sections_current_changed(self, index: int) -> None:
        if index == SECTION_TABLE and not self._table_fitted:
            self._fit_table()

    def _rebuild_charts(self, data: Overview) -> None:
        old = self.charts_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.progress_bars.clear()
        self.charts.clear()
        content = QWidget()
        layout = QVBoxLayout(content)
        c = data.counts
        figures = QGridLayout()
        boxes = (
            (
                "expected",
                number_text(c.expected),
                f"{number_text(c.exempt)} không áp dụng",
                style.WHITE,
                "Mọi nghĩa vụ trừ nghĩa vụ không áp dụng (đơn vị chưa thành lập, đã giải thể, "
                "được miễn), kể cả nghĩa vụ chưa đến hạn.",
            ),
            (
                "received",
                number_text(c.received),
                f"{FIGURES['received_rate'].label} {rate_text(c.received_rate)}",
                STATUS_COLOURS[Status.DONE_ON_TIME],
                "Đúng hạn + nộp muộn. Tỷ lệ nộp = đã nộp ÷ phải nộp.",
            ),
            (
                "on_time",
                number_text(c.on_time),
                f"{FIGURES['on_time_rate'].label} {rate_text(c.on_time_rate)}",
                STATUS_COLOURS[Status.DONE_ON_TIME],
                "Văn bản đầu tiên nhận được trước hoặc đúng ngày hạn. "
                "Tỷ lệ đúng hạn = đúng hạn ÷ phải nộp.",
            ),
            (
                "late",
                number_text(c.late),
                "Nộp sau hạn",
                STATUS_COLOURS[Status.DONE_LATE],
                "Văn bản đầu tiên nhận được sau ngày hạn.",
            ),
            (
                "missing",
                number_text(c.missing),
                "Cần đôn đốc",
                STATUS_COLOURS[Status.OVERDUE],
                "Đã qua ngày hạn mà chưa nhận được văn bản: xem thẻ “Cảnh báo hạn”.",
            ),
            (
                "not_yet_due",
                number_text(c.not_yet_due),
                f"{number_text(c.due_soon)} sắp đến hạn",
                STATUS_COLOURS[Status.NOT_DUE],
                f"Chưa nộp, chưa đến hạn; “sắp đến hạn”: hạn trong {data.window_days} ngày tới.",
            ),
        )
        for i, (key, value, note, colour, tip) in enumerate(boxes):
            figures.addWidget(_figure_box(FIGURES[key].label, value, note, colour, tip), 0, i)
        layout.addLayout(figures)
        if not data.directives:
            empty = QLabel(
                "Chưa có văn bản chỉ đạo nào. Hãy nhập văn bản và nhiệm vụ ở thẻ "
                "“Văn bản chỉ đạo”, hoặc chọn Tệp → Nạp dữ liệu mẫu… để thử "
                "chương trình."
            )
            empty.setWordWrap(True)
            layout.addWidget(empty)
        chart = StatusBarChart(content, title="Toàn bộ nghĩa vụ theo loại đơn vị")
        chart.set_rows([ChartRow(k.label, k.counts) for k in data.by_kind])
        layout.addWidget(chart)
        layout.addStretch(1)
        directives = list(data.directives)
        first = FIRST_DIRECTIVES
        self._add_directive_boxes(content, directives[:first])
        self.charts_area.setWidget(content)
        self._pending_boxes = (content, directives[first:])
        if first < len(directives):
            QTimer.singleShot(0, self._on_charts_scrolled)

    def _on_charts_scrolled(self, *_args: object) -> None:
        """Directive boxes are built as the user scrolls towards them: a batch whenever less
        than two screens of boxes are left below the view (1,000 directives with ~3,000
        tasks took seconds of widget building and ~100 MB when all were built at once)."""
        content, rest = self._pending_boxes
        if not rest or content is None or self.charts_area.widget() is not content:
            return  # all built, or a newer day was loaded meanwhile
        if window_closed(self):
            return  # the window was closed: nothing more to draw
        bar = self.charts_area.verticalScrollBar()
        if bar.maximum() - bar.value() > 2 * max(self.charts_area.viewport().height(), 200):
            return
        self._add_directive_boxes(content, rest[:DIRECTIVES_PER_BATCH])
        self._pending_boxes = (content, rest[DIRECTIVES_PER_BATCH:])
        QTimer.singleShot(0, self, self._on_charts_scrolled)  # once the layout has grown; never
        # fires once the page is deleted

    def pending_directives(self) -> int:
        """Directive boxes not built yet (below the part of the page seen so far)."""
        return len(self._pending_boxes[1])

    def _add_directive_boxes(self, content: QWidget, directives: list[DirectiveSummary]) -> None:
        layout = content.layout()
        assert isinstance(layout, QVBoxLayout)
        for d in directives:
            box = QGroupBox(f"{d.title} — {d.subject}" if d.subject else d.title, content)
            box.setToolTip(d.subject)
            inner = QVBoxLayout(box)
            for t in d.tasks:
                inner.addWidget(self._task_block(t, box))
            if not d.tasks:
                inner.addWidget(QLabel("Văn bản này chưa có nhiệm vụ nào."))
            layout.insertWidget(layout.count() - 1, box)  # before the stretch

    def _task_block(self, task: TaskSummary, parent: QWidget) -> QWidget:
        block = QWidget(parent)
        layout = QVBoxLayout(block)
        layout.setContentsMargins(0, 4, 0, 10)
        head = QHBoxLayout()
        periods = (
            f"{task.period_count} kỳ báo cáo"
            if task.period_count > 1
            else ("1 kỳ báo cáo" if task.kind.value == "periodic" else "một lần")
        )
        title = QLabel(f"<b>{task.title}</b> ({periods})")
        title.setWordWrap(True)
        head.addWidget(title, 1)
        button = QPushButton("Xem ma trận đầy đủ", block)
        button.clicked.connect(lambda _=False, tid=task.task_id: self.show_matrix(tid))
        head.addWidget(button)
        layout.addLayout(head)
        bar = QProgressBar(block)
        c = task.counts
        bar.setRange(0, max(c.expected, 1))
        bar.setValue(c.received)
        bar.setFormat(progress_text(c))
        bar.setTextVisible(True)
        bar.setStyleSheet(PROGRESS_STYLE)
        bar.setToolTip(
            f"Quá hạn chưa nộp: {c.missing}; chưa đến hạn: {c.not_yet_due}; "
            f"không áp dụng: {c.exempt}."
        )
        layout.addWidget(bar)
        self.progress_bars[task.task_id] = bar
        chart = StatusBarChart(block, show_legend=False)
        chart.set_rows([ChartRow(k.label, k.counts) for k in task.by_kind])
        layout.addWidget(chart)
        self.charts[task.task_id] = chart
        return block

    # --- export ---------------------------------------------------------------------------
    def export_excel(self, path: Path | None = None) -> None:
        """The completeness matrix as shown (task, unit kind), as the command line's
        ``export status`` writes it — or the summary table when that section is open — to an
        .xlsx file."""
        from app.exchange.xlsx_export import matrix_table
        from ui.widgets.export_button import export_table, export_view

        day = self.day or self.main_window.as_of
        if self.sections.currentIndex() == SECTION_TABLE:
            title = f"Tổng hợp theo nhiệm vụ — {as_of_caption(day, short=True)}"
            export_view(self, self.table, title, "Tổng hợp theo nhiệm vụ", path=path)
            return
        matrix, task = self.matrix.matrix(), self.matrix.current_task()
        if matrix is None or task is None:
            from ui.dialogs.messages import show_info

            show_info(self, "Xuất Excel", "Chưa có ma trận để xuất: hãy chọn một nhiệm vụ.")
            return
        parts = ["Ma trận đầy đủ", task.label]
        if self.matrix.kind_combo.currentData() is not None:
            parts.append(self.matrix.kind_combo.currentText())
        parts.append(as_of_caption(day, short=True))
        subtitle = " — ".join(parts)
        name = f"Ma trận {task.directive_symbol.replace('/', '-')}"
        export_table(self, lambda: matrix_table(matrix, subtitle), name, path=path)

    # --- navigation -----------------------------------------------------------------------
    def show_matrix(self, task_id: int) -> None:
        self.sections.setCurrentIndex(SECTION_MATRIX)
        self.matrix.select_task(task_id)

    def _on_table_double_clicked(self, index: object) -> None:
        from PySide6.QtCore import QModelIndex

        if isinstance(index, QModelIndex):
            task_id = index.data(Qt.ItemDataRole.UserRole)
            if task_id is not None:
                self.show_matrix(int(task_id))
