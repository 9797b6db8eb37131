"""The completeness matrix view: choose a task (and a unit kind), see units × periods."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.db import Database
from app.models import UnitKind
from app.services.dashboard import (
    CompletenessMatrix,
    TaskChoice,
    completeness_matrix,
    task_choices,
)
from app.status import DISPLAY_ORDER, rate_text
from ui.models.completeness_matrix_model import CompletenessMatrixModel
from ui.style import status_chip_style
from ui.tasks import run_in_background, window_closed
from ui.widgets.frozen_column import freeze_first_column


class CompletenessMatrixWidget(QWidget):
    openObligationRequested = Signal(int)

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self._day: dt.date | None = None
        self._tasks: list[TaskChoice] = []
        self._generation = 0
        self._fitted = False
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(QLabel("Nhiệm vụ:"))
        self.task_combo = QComboBox(self)
        self.task_combo.setMinimumContentsLength(40)
        self.task_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        top.addWidget(self.task_combo, 1)
        top.addWidget(QLabel("Loại đơn vị:"))
        self.kind_combo = QComboBox(self)
        self.kind_combo.addItem("Tất cả", None)
        for kind in UnitKind:
            self.kind_combo.addItem(kind.label, kind.value)
        top.addWidget(self.kind_combo)
        layout.addLayout(top)
        self.rates_label = QLabel(self)
        self.rates_label.setWordWrap(True)
        layout.addWidget(self.rates_label)
        self.model = CompletenessMatrixModel(self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view.setWordWrap(False)
        self.frozen = freeze_first_column(self.view)  # unit names stay when scrolled sideways
        layout.addWidget(self.view, 1)
        legend = QHBoxLayout()
        legend.addWidget(QLabel("Chú thích:"))
        for status in DISPLAY_ORDER:
            chip = QLabel(status.short_label)
            chip.setStyleSheet(status_chip_style(status))
            legend.addWidget(chip)
        chip = QLabel("— không phải thực hiện")
        legend.addWidget(chip)
        legend.addStretch(1)
        layout.addLayout(legend)

    def _connect_signals(self) -> None:
        self.task_combo.currentIndexChanged.connect(self._on_task_combo_changed)
        self.kind_combo.currentIndexChanged.connect(self._on_task_combo_changed)
        self.view.clicked.connect(self._on_view_clicked)

    # --- data -----------------------------------------------------------------------------
    def refresh(self, day: dt.date) -> None:
        """The task list and the chosen task's matrix on ``day``, read in one background job
        (the task list was read on the UI thread, before the overview's first paint)."""
        if window_closed(self):
            return  # its window was closed: nothing is loaded any more
        self._day = day
        self._generation += 1
        generation = self._generation
        db, wanted, kind = self.db, self.task_combo.currentData(), self.kind_combo.currentData()

        def read() -> tuple[list[TaskChoice], int | None, CompletenessMatrix | None]:
            tasks = task_choices(db)
            ids = [t.task_id for t in tasks]
            task_id = wanted if wanted in ids else (ids[0] if ids else None)
            if task_id is None:
                return tasks, None, None
            return tasks, task_id, completeness_matrix(db, task_id, day, unit_kind=kind)

        run_in_background(read, lambda result: self._on_refreshed(generation, *result), owner=self)

    def _on_refreshed(
        self,
        generation: int,
        tasks: list[TaskChoice],
        task_id: int | None,
        matrix: CompletenessMatrix | None,
    ) -> None:
        if generation != self._generation:
            return  # a newer day, or another task chosen meanwhile
        if [t.task_id for t in tasks] != [t.task_id for t in self._tasks]:
            self._tasks = tasks
            self.task_combo.blockSignals(True)
            self.task_combo.clear()
            for t in tasks:
                self.task_combo.addItem(t.label, t.task_id)
            self.task_combo.blockSignals(False)
        self.task_combo.blockSignals(True)
        self.task_combo.setCurrentIndex(self.task_combo.findData(task_id))
        self.task_combo.blockSignals(False)
        if matrix is None:
            self._load()  # no task: says so
        else:
            self._on_loaded(generation, self.task_combo.currentText(), matrix)

    def select_task(self, task_id: int) -> None:
        index = self.task_combo.findData(task_id)
        if index >= 0:
            self.task_combo.setCurrentIndex(index)

    def matrix(self) -> CompletenessMatrix | None:
        return self.model.matrix()

    def current_task(self) -> TaskChoice | None:
        """The task chosen (its directive's number and its title)."""
        task_id = self.task_combo.currentData()
        return next((t for t in self._tasks if t.task_id == task_id), None)

    def _load(self) -> None:
        task_id = self.task_combo.currentData()
        if self._day is None or task_id is None:
            self._generation += 1
            self.model.set_matrix(None)
            self.rates_label.setText(
                "Chưa có nhiệm vụ nào. Hãy nhập văn bản chỉ đạo và "
                "nhiệm vụ ở thẻ “Văn bản chỉ đạo”."
            )
            return
        self._generation += 1
        generation = self._generation
        db, day, kind = self.db, self._day, self.kind_combo.currentData()
        label = self.task_combo.currentText()
        run_in_background(
            lambda: completeness_matrix(db, int(task_id), day, unit_kind=kind),
            lambda matrix: self._on_loaded(generation, label, matrix),
            owner=self,
        )

    def _on_loaded(self, generation: int, label: str, matrix: CompletenessMatrix) -> None:
        if generation != self._generation or self._day is None:
            return
        self.model.set_matrix(matrix)
        total = matrix.total
        self.rates_label.setText(
            f"<b>{label}</b>, tính đến ngày "
            f"{fmt(self._day)}: {len(matrix.units)} đơn vị × {len(matrix.columns)} kỳ. "
            f"Đã nộp {total.received}/{total.expected} "
            f"(<b>{rate_text(total.received_rate)}</b>), đúng hạn {total.on_time} "
            f"(<b>{rate_text(total.on_time_rate)}</b>), quá hạn chưa nộp {total.missing}."
        )
        self._fitted = False
        if self.isVisible():
            self._fit_columns()

    def _fit_columns(self) -> None:
        """Column widths from the contents: only when the matrix is on screen (~0.15 s for a
        large matrix, which the start-up paid while the section was hidden)."""
        self._fitted = True
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.view.setColumnWidth(0, min(max(self.view.columnWidth(0) + 16, 180), 340))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted and self.model.matrix() is not None:
            self._fit_columns()

    # --- slots ----------------------------------------------------------------------------
    def _on_task_combo_changed(self, _index: int) -> None:
        self._load()

    def _on_view_clicked(self, index: QModelIndex) -> None:
        obligation_id = index.data(Qt.ItemDataRole.UserRole)
        if obligation_id is not None:
            self.openObligationRequested.emit(int(obligation_id))
