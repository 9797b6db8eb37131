"""The deadline warnings: one row per obligation overdue or due soon, most urgent first."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from app.dates import fmt
from app.ordering import kind_rank
from app.services.obligations import ObligationRow
from app.status import Status
from app.text import sort_key
from ui import style

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


def days_text(row: ObligationRow) -> str:
    """ "Quá hạn 12 ngày", "Còn 3 ngày", "Hạn là hôm nay"."""
    if row.status is Status.OVERDUE:
        return f"Quá hạn {row.days_past_due} ngày"
    if row.days_past_due == 0:
        return "Hạn là hôm nay"
    return f"Còn {-row.days_past_due} ngày"


@dataclass(frozen=True)
class Column:
    title: str
    text: Callable[[ObligationRow], str]
    sort: Callable[[ObligationRow], Any]
    tip: str = ""
    order: str = "urgency"  # the SQL order a click on the header asks for (warning_list)


COLUMNS: tuple[Column, ...] = (
    Column(
        "Trạng thái",
        lambda r: r.status.label,
        lambda r: (0 if r.status is Status.OVERDUE else 1, -r.days_past_due),
    ),
    Column(
        "Số ngày",
        days_text,
        lambda r: (0 if r.status is Status.OVERDUE else 1, -r.days_past_due),
        "Số ngày quá hạn, hoặc số ngày còn lại đến hạn",
    ),
    Column(
        "Hạn",
        lambda r: r.due_text,
        lambda r: r.due_date,
        "Hạn thực tế; hạn trùng ngày nghỉ được dời thì ghi kèm hạn theo văn bản",
        order="due",
    ),
    Column("Đơn vị", lambda r: r.unit_name, lambda r: sort_key(r.unit_name), order="unit"),
    Column(
        "Loại đơn vị", lambda r: r.unit_kind.label, lambda r: kind_rank(r.unit_kind), order="kind"
    ),
    Column("Văn bản", lambda r: r.directive_symbol, lambda r: (r.directive_id,), order="directive"),
    Column(
        "Kỳ",
        lambda r: r.period_label or "Một lần",
        lambda r: (r.due_date, r.period_key),
        order="period",
    ),
    Column("Nhiệm vụ", lambda r: r.task_title, lambda r: sort_key(r.task_title), order="task"),
)
STATUS_COLUMN = 0
DAYS_COLUMN = 1
REMINDED_TITLE = "Đã đôn đốc"


def with_reminded(columns: tuple[Column, ...], reminded: Column) -> tuple[Column, ...]:
    """The columns with "Đã đôn đốc" right after "Đơn vị" (in sight on a 1366-pixel screen)."""
    unit = next(i for i, c in enumerate(columns) if c.title == "Đơn vị")
    return (*columns[: unit + 1], reminded, *columns[unit + 1 :])


class WarningsModel(QAbstractTableModel):
    """Rows are :class:`ObligationRow`; the obligation id is under ``Qt.UserRole``.

    It holds the rows loaded so far of a longer list (``total`` rows match): the view asks
    for more through ``canFetchMore``/``fetchMore`` when the user scrolls to the end, and the
    page answers ``moreRequested(offset)`` with :meth:`append_rows`. A click on a header asks
    the page for another order (``sortRequested``): the rows come sorted from the query,
    never sorted here over a part of the list."""

    moreRequested = Signal(int)  # offset: the number of rows already held
    sortRequested = Signal(int, object)  # column, Qt.SortOrder

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ObligationRow] = []
        self._total = 0
        self._fetching = False
        self._reminded: dict[tuple[int, int | None], str] = {}
        # The reminders sent: "đã đôn đốc lần N, ngày …" (the SQL order has no such key: a
        # click on its header keeps the urgency order).
        self.columns = with_reminded(
            COLUMNS,
            Column(
                REMINDED_TITLE,
                self.reminded_text,
                lambda r: self.reminded_text(r),
                "Công văn đôn đốc đã gửi đơn vị về văn bản này (lần, ngày của lần gần nhất)",
            ),
        )

    def set_reminded(self, notes: dict[tuple[int, int | None], str]) -> None:
        """``notes[(unit id, directive id)]``: "đã đôn đốc lần N, ngày …"."""
        self._reminded = dict(notes)
        if self._rows:
            column = [c.title for c in self.columns].index(REMINDED_TITLE)
            self.dataChanged.emit(self.index(0, column), self.index(len(self._rows) - 1, column))

    def reminded_text(self, row: ObligationRow) -> str:
        return self._reminded.get((row.unit_id, row.directive_id), "")

    def set_rows(self, rows: list[ObligationRow], total: int | None = None) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._total = len(self._rows) if total is None else max(total, len(self._rows))
        self._fetching = False
        self.endResetModel()

    def append_rows(self, rows: list[ObligationRow]) -> None:
        """The next page, after ``moreRequested``."""
        if not rows:
            self._total = len(self._rows)  # the list got shorter meanwhile
            self._fetching = False
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows.extend(rows)
        self._total = max(self._total, len(self._rows))
        self.endInsertRows()
        # Only now: a view told of the new rows must not ask for more in the middle of it.
        self._fetching = False

    def fetch_failed(self) -> None:
        self._fetching = False

    @property
    def total(self) -> int:
        """How many rows match, loaded or not."""
        return self._total

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetching = True
            self.moreRequested.emit(len(self._rows))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.sortRequested.emit(column, order)

    def order_of(self, column: int) -> str:
        """The SQL order of a column (-1, no column: the urgency order)."""
        return self.columns[column].order if 0 <= column < len(self.columns) else "urgency"

    def row_at(self, row: int) -> ObligationRow:
        return self._rows[row]

    def rows(self) -> list[ObligationRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].tip:
                return self.columns[section].tip
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        row = self._rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(row)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == SORT_ROLE:
            return column.sort(row)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() in (
            STATUS_COLUMN,
            DAYS_COLUMN,
        ):
            # The colour always comes with the label of the status column.
            return QBrush(QColor(row.status.colour))
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (
            STATUS_COLUMN,
            DAYS_COLUMN,
        ):
            return QBrush(QColor(style.TEXT_ON_STATUS))
        if role == Qt.ItemDataRole.ToolTipRole:
            received = (
                f"{row.submission_count} văn bản đã nhận"
                if row.submission_count
                else "Chưa nhận văn bản nào"
            )
            reminded = self.reminded_text(row)
            return (
                f"{row.unit_name}\n{row.directive_symbol} — {row.task_title}"
                f"{' — ' + row.period_label if row.period_label else ''}\n"
                f"Hạn {fmt(row.due_date)}: {days_text(row).lower()}. {received}.\n"
                + (f"{reminded[0].upper()}{reminded[1:]}.\n" if reminded else "")
                + "Nhấp đúp để mở nghĩa vụ."
            )
        return None
