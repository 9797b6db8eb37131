"""Việc cần làm hôm nay (on the overview): the follow-up rounds due on the day and those not
done since, each one keystroke (Enter) from its prepared letter; the units that have not
answered a reminder; and whether reminders work (median days to the submission)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.dates import fmt
from app.services.followup import (
    FollowupRound,
    ResponseStats,
    RoundKind,
    TodayPlan,
    response_stats,
    today_plan,
)
from ui import style
from ui.models.row_table_model import Column, RowTableModel
from ui.tasks import run_in_background, window_closed
from ui.widgets.data_table import DataTable
from ui.widgets.median_bar_chart import MedianBarChart, MedianRow

if TYPE_CHECKING:
    from ui.main_window import MainWindow

ROUND_COLOURS = {
    RoundKind.NOTICE: style.ROUND_NOTICE,
    RoundKind.FIRST: style.ROUND_FIRST,
    RoundKind.SECOND: style.ROUND_SECOND,
    RoundKind.ESCALATE: style.ROUND_ESCALATE,
}


@dataclass(frozen=True)
class TodayRow:
    id: int
    round: FollowupRound
    pending: bool  # its day has passed and it was not recorded as sent

    @property
    def state(self) -> str:
        if self.pending:
            return f"Chưa làm (từ {fmt(self.round.day)})"
        return "Hôm nay"


class TodayRoundsModel(RowTableModel[TodayRow]):
    columns = (
        Column(
            "kind",
            "Việc",
            lambda r: r.round.kind.label,
            colour=lambda r: ROUND_COLOURS[r.round.kind],
            width=270,
        ),
        Column("what", "Nhiệm vụ, kỳ", lambda r: r.round.what, width=260),
        Column(
            "due",
            "Hạn",
            lambda r: f"{fmt(r.round.due_date)}",
            sort=lambda r: r.round.due_date,
            width=90,
        ),
        Column(
            "units",
            "Số đơn vị",
            lambda r: str(len(r.round.units)),
            sort=lambda r: len(r.round.units),
            width=80,
            align_right=True,
            tooltip=lambda r: "; ".join(name for _, name in r.round.units),
        ),
        Column("directive", "Văn bản", lambda r: r.round.directive_symbol, width=120),
        Column(
            "state",
            "Tình trạng",
            lambda r: r.state,
            sort=lambda r: (r.pending, r.round.day),
            width=160,
        ),
    )


ACTION_TEXTS = {
    RoundKind.NOTICE: "Soạn thư nhắc trước hạn (Enter)",
    RoundKind.FIRST: "Mở công văn đôn đốc (Enter)",
    RoundKind.SECOND: "Mở công văn đôn đốc lần 2 (Enter)",
    RoundKind.ESCALATE: "Mở dự thảo văn bản UBND tỉnh (Enter)",
}


class TodayPanel(QWidget):
    """Loads with the overview (``refresh(day)``); ``countChanged`` says how many rounds."""

    countChanged = Signal(int)

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.main_window = window
        self.db = window.db
        self.day: dt.date | None = None
        self.plan: TodayPlan | None = None
        self.stats: ResponseStats | None = None
        self._generation = 0
        self._build_ui()
        self._connect_signals()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        self.heading = QLabel(self)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.model = TodayRoundsModel(self)
        self.table = DataTable(self.model, "today_rounds", self)
        self.table.setToolTip("Enter hoặc nhấp đúp: mở văn bản đã soạn sẵn cho việc này.")
        buttons = QHBoxLayout()
        self.open_button = QPushButton("Mở văn bản (Enter)", self)
        self.sent_button = QPushButton("Đánh dấu đã gửi", self)
        self.sent_button.setToolTip(
            "Ghi lại lần đôn đốc này cho từng đơn vị nhận (sổ văn bản đã phát hành)"
        )
        self.plan_button = QPushButton("Kế hoạch đôn đốc…", self)
        for b in (self.open_button, self.sent_button):
            b.setEnabled(False)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.sent_button)
        buttons.addStretch(1)
        buttons.addWidget(self.plan_button)
        top = QWidget(self)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(buttons)

        bottom = QWidget(self)
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        waiting_box = QGroupBox("Đơn vị chưa trả lời đôn đốc", bottom)
        waiting_layout = QVBoxLayout(waiting_box)
        self.unanswered_list = QListWidget(waiting_box)
        waiting_layout.addWidget(self.unanswered_list)
        bottom_layout.addWidget(waiting_box, 1)
        works_box = QGroupBox(
            "Đôn đốc có hiệu quả không? (trung vị số ngày từ khi đôn đốc đến khi nhận văn bản)",
            bottom,
        )
        works_layout = QVBoxLayout(works_box)
        self.round_chart = MedianBarChart(works_box, title="Theo lần đôn đốc")
        self.kind_chart = MedianBarChart(works_box, title="Theo loại đơn vị")
        self.open_label = QLabel(works_box)
        works_layout.addWidget(self.round_chart)
        works_layout.addWidget(self.kind_chart)
        works_layout.addWidget(self.open_label)
        works_layout.addStretch(1)
        bottom_layout.addWidget(works_box, 1)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

    def _connect_signals(self) -> None:
        self.table.rowActivated.connect(lambda _id: self.open_current())
        self.table.currentIdChanged.connect(self._on_table_current_id_changed)
        self.open_button.clicked.connect(lambda: self.open_current())
        self.sent_button.clicked.connect(lambda: self.mark_sent())
        self.plan_button.clicked.connect(self._on_plan_button_clicked)

    # --- data -----------------------------------------------------------------------------
    def refresh(self, day: dt.date) -> None:
        if window_closed(self):
            return
        self._generation += 1
        generation = self._generation
        db = self.db
        run_in_background(
            lambda: (today_plan(db, day), response_stats(db, day)),
            lambda result: self._on_loaded(generation, day, result),
            owner=self,
        )

    def _on_loaded(self, generation: int, day: dt.date, result: Any) -> None:
        if generation != self._generation:
            return
        plan, stats = result
        self.day, self.plan, self.stats = day, plan, stats
        rows = [TodayRow(i, r, False) for i, r in enumerate(plan.rounds)]
        rows += [TodayRow(len(rows) + i, r, True) for i, r in enumerate(plan.pending)]
        self.table.set_rows(rows)
        if plan.rounds:
            text = f"<b>{len(plan.rounds)} việc đôn đốc đến ngày hôm nay</b>"
        else:
            text = "<b>Hôm nay không có đợt đôn đốc nào theo kế hoạch.</b>"
        if plan.pending:
            text += f"; {len(plan.pending)} việc của những ngày trước chưa ghi là đã gửi"
        self.heading.setText(f"Việc cần làm ngày {fmt(day)}: {text}.")
        self.unanswered_list.clear()
        for u in plan.unanswered:
            self.unanswered_list.addItem(u.text)
        if not plan.unanswered:
            self.unanswered_list.addItem("Không có đơn vị nào đã được đôn đốc mà chưa trả lời.")
        self.unanswered_list.setToolTip("\n".join(u.text for u in plan.unanswered))
        self.round_chart.set_rows(
            [MedianRow(f"Lần {n}" if n < 3 else "UBND tỉnh", m, c) for n, m, c in stats.by_round]
        )
        self.kind_chart.set_rows([MedianRow(k.label, m, c) for k, m, c in stats.by_kind])
        self.open_label.setText(
            f"Còn {stats.still_open} việc đã đôn đốc mà chưa nhận được văn bản."
            if stats.still_open
            else ""
        )
        self._on_table_current_id_changed(self.table.current_id())
        self.countChanged.emit(len(rows))

    def rows(self) -> list[TodayRow]:
        return self.model.rows()

    def _on_table_current_id_changed(self, _row_id: object) -> None:
        row = self.table.current_row()
        self.open_button.setEnabled(row is not None)
        self.sent_button.setEnabled(row is not None and row.round.kind is not RoundKind.NOTICE)
        if row is not None:
            self.open_button.setText(ACTION_TEXTS[row.round.kind])

    # --- actions --------------------------------------------------------------------------
    def open_current(self) -> QWidget | None:
        """Open the prepared letter of the selected round: the print dialog on the reminder
        letter (rounds 1, 2) or the escalation draft, or the notice e-mails."""
        row = self.table.current_row()
        if row is None or self.day is None:
            return None
        r = row.round
        if r.kind is RoundKind.NOTICE:
            from ui.dialogs.deadline_export_dialog import DeadlineExportDialog

            dialog = DeadlineExportDialog(self.db, self.day, self.main_window, notice=r)
            self.notice_dialog = dialog
            dialog.show()
            return dialog
        kind = "escalation" if r.kind is RoundKind.ESCALATE else "reminder"
        if kind == "reminder":
            # Printed or saved from there, the letter is kept as this round's: the round is done.
            from ui.print_actions import open_document_dialog

            return open_document_dialog(
                self.main_window, kind, r.directive_id, follow_up_round=r.kind.number
            )
        return self.main_window.open_document_dialog(kind, directive_id=r.directive_id)  # type: ignore[no-any-return]

    def mark_sent(self) -> None:
        """Record the selected round as sent to its units (issued documents), so the units
        are counted as reminded and the round leaves the list of things not done."""
        from app.services.issued_documents import IssuedInput, record_issued
        from ui.dialogs import messages
        from ui.operations import run_operation

        row = self.table.current_row()
        if row is None or self.day is None or row.round.kind is RoundKind.NOTICE:
            return
        r = row.round
        from app.services.issued_documents import reminders_sent

        already = [
            s
            for s in reminders_sent(self.db, directive_id=r.directive_id, until=self.day)
            if s.follow_up_round == r.kind.number and r.day <= s.day
        ]
        if already:  # the letter was printed from the print dialog for this round
            messages.show_info(
                self,
                "Đã ghi nhận",
                f"{r.kind.label} này đã được ghi khi in công "
                f"văn ngày {fmt(already[-1].day)}; không ghi thêm lần nữa.",
            )
            return
        day = self.day
        run_operation(
            self,
            lambda: record_issued(
                self.db,
                IssuedInput(
                    kind="reminder",
                    as_of=day,
                    directive_id=r.directive_id,
                    issued_date=day,
                    title=f"{r.kind.label}: {r.what}",
                    unit_ids=tuple(u for u, _ in r.units),
                    follow_up_round=r.kind.number,
                    options={
                        "round": r.kind.value,
                        "task_id": r.task_id,
                        "period_key": r.period_key,
                    },
                ),
            ),  # the overview, this panel with it, is told a document was issued
        )

    def _on_plan_button_clicked(self) -> None:
        from ui.dialogs.followup_plan_dialog import FollowupPlanDialog

        row = self.table.current_row()
        dialog = FollowupPlanDialog(
            self.db, self.main_window, directive_id=row.round.directive_id if row else None
        )
        dialog.exec()  # its save is told to the window: the overview, this panel with it, reloads
