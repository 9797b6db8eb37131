"""The review table of "Nhận văn bản từ tệp": one row per file with what was read, how sure,
the obligation it was matched to. Unsure cells are amber *and* named in the "Cần kiểm tra"
column (a colour never stands alone); the user corrects any cell, then confirms the row."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.dates import fmt, parse_date
from app.errors import AppError
from app.reading.fields import SURE
from app.reading.intake import ReceivedFile
from app.text import clean
from ui import style

Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 5  # the current id of a combo column

UNSURE_COLOUR = style.HIGHLIGHT
RECORDED_COLOUR = style.RECORDED
PROBLEM_COLOUR = style.PROBLEM

NEW, RECORDED, PROBLEM, ERROR = "new", "recorded", "problem", "error"


@dataclass
class ReviewRow:
    """One file under review. Mutable: the user's corrections are written into it."""

    key: int
    result: ReceivedFile
    number_symbol: str = ""
    signed_date: dt.date | None = None
    unit_id: int | None = None
    unit_label: str = ""
    obligation_id: int | None = None
    obligation_label: str = ""
    summary: str = ""
    signer: str = ""
    received_date: dt.date | None = None
    unsure: dict[str, str] = field(default_factory=dict)  # column key → why
    confidence: dict[str, float] = field(default_factory=dict)
    state: str = NEW
    message: str = ""
    submission_id: int | None = None

    @property
    def id(self) -> int:
        return self.key

    @property
    def editable(self) -> bool:
        return self.state in (NEW, ERROR) and (self.result.fields is not None or self.result.manual)

    @property
    def overall(self) -> float:
        keys = ("number_symbol", "signed_date", "unit", "obligation")
        return min((self.confidence.get(k, 0.0) for k in keys), default=0.0)

    @classmethod
    def from_result(cls, key: int, result: ReceivedFile, received: dt.date) -> ReviewRow:
        row = cls(key, result, received_date=received)
        if result.problem and result.fields is None:
            row.state = NEW if result.manual else PROBLEM
            row.message = result.problem
            if result.manual:
                row.unsure = {
                    k: "Nhập tay" for k in ("number_symbol", "signed_date", "unit", "obligation")
                }
            return row
        f = result.fields
        assert f is not None
        row.number_symbol = f.number_symbol.text
        row.signed_date = result.signed_date
        row.unit_id, row.unit_label = result.unit.id, result.unit.label
        row.obligation_id = result.obligation.id
        row.obligation_label = (
            result.obligation.label.split(" — ", 1)[-1] if result.obligation.id is not None else ""
        )
        row.summary = result.summary
        row.signer = result.signer
        checks = {
            "number_symbol": (
                f.number_symbol.confidence,
                f.number_symbol.note,
                f.number_symbol.value,
            ),
            "signed_date": (f.signed_date.confidence, f.signed_date.note, row.signed_date),
            "unit": (result.unit.confidence, result.unit.note, result.unit.id),
            "obligation": (
                result.obligation.confidence,
                result.obligation.note,
                result.obligation.id,
            ),
            "summary": (f.summary.confidence, f.summary.note, f.summary.value),
            "signer": (f.signer_name.confidence, f.signer_name.note, f.signer_name.value),
        }
        for key_, (confidence, note, value) in checks.items():
            row.confidence[key_] = confidence if value not in (None, "") else 0.0
            if value in (None, "") or confidence < SURE:
                row.unsure[key_] = note or (
                    "Không đọc được" if value in (None, "") else "Chưa chắc"
                )
        if result.problem:
            row.message = result.problem
        if result.duplicate:
            row.message = result.duplicate
        return row


@dataclass(frozen=True)
class ReviewColumn:
    key: str
    header: str
    width: int
    editable: bool = False


COLUMNS = (
    ReviewColumn("file", "Tệp", 130),
    ReviewColumn("status", "Tình trạng", 190),
    ReviewColumn("number_symbol", "Số, ký hiệu", 100, True),
    ReviewColumn("signed_date", "Ngày ký", 80, True),
    ReviewColumn("unit", "Đơn vị", 165, True),
    ReviewColumn("obligation", "Nghĩa vụ", 190, True),
    ReviewColumn("received_date", "Ngày nhận", 80, True),
    ReviewColumn("confidence", "Độ tin cậy", 70),
    ReviewColumn("check", "Cần kiểm tra", 110),
    ReviewColumn("summary", "Trích yếu", 220, True),
    ReviewColumn("signer", "Người ký", 170, True),
    ReviewColumn("signature", "Chữ ký số", 160),
)
COLUMN_INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
LABELS = {
    "number_symbol": "số",
    "signed_date": "ngày ký",
    "unit": "đơn vị",
    "obligation": "nghĩa vụ",
    "summary": "trích yếu",
    "signer": "người ký",
}


class ReceivedModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ReviewRow] = []
        # Called after the user picks another unit: (row) → (obligation id, label, note).
        self.rematch: Callable[[ReviewRow], None] | None = None
        self.unit_choices: list[tuple[int, str]] = []
        self.obligation_choices: Callable[[ReviewRow], list[tuple[int, str]]] = lambda _r: []

    # --- content ---------------------------------------------------------------------------
    def rows(self) -> list[ReviewRow]:
        return list(self._rows)

    def row_at(self, row: int) -> ReviewRow:
        return self._rows[row]

    def append(self, row: ReviewRow) -> None:
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows))
        self._rows.append(row)
        self.endInsertRows()

    def clear(self) -> None:
        self.beginResetModel()
        self._rows = []
        self.endResetModel()

    def row_changed(self, row: ReviewRow) -> None:
        n = self._rows.index(row)
        self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUMNS) - 1))

    def mark_error(self, row: ReviewRow, message: str) -> None:
        """A row refused (a cell that cannot hold what was typed, a record the core refused):
        said in the row's own status cell; the other rows go on."""
        row.state, row.message = ERROR, message
        self.row_changed(row)

    # --- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section].header
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        row = self._rows[index.row()]
        if COLUMNS[index.column()].editable and row.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _text(self, row: ReviewRow, key: str) -> str:
        match key:
            case "file":
                return row.result.name
            case "number_symbol":
                return row.number_symbol
            case "signed_date":
                return fmt(row.signed_date)
            case "unit":
                return row.unit_label
            case "obligation":
                return row.obligation_label
            case "received_date":
                return fmt(row.received_date)
            case "confidence":
                if row.result.fields is None:
                    return "—"
                return f"{row.overall:.0%}"
            case "check":
                if row.state == RECORDED:
                    return ""
                return ", ".join(LABELS[k] for k in LABELS if k in row.unsure)
            case "summary":
                return row.summary
            case "signer":
                return row.signer
            case "signature":
                if not row.result.signatures:
                    return ""
                sig = row.result.signatures[0]
                if not sig.intact:
                    return "Chữ ký KHÔNG hợp lệ"
                return f"{sig.signer}" + (
                    " (đã xác minh)" if sig.trusted else " (chưa xác minh CA)"
                )
            case "status":
                return self._status(row)
        return ""

    def _status(self, row: ReviewRow) -> str:
        if row.state == RECORDED:
            return f"Đã ghi nhận (mã {row.submission_id})"
        if row.state == PROBLEM:
            return f"Lỗi: {row.message}"
        if row.state == ERROR:
            return f"Chưa ghi được: {row.message}"
        if row.result.duplicate:
            return f"Trùng: {row.result.duplicate}"
        if row.result.manual:
            return "Tệp ảnh quét — cần nhập tay"
        if row.unsure:
            return "Cần kiểm tra ô tô vàng"
        return "Sẵn sàng ghi nhận"

    def _colour(self, row: ReviewRow, key: str) -> str | None:
        if key == "status":
            if row.state == RECORDED:
                return RECORDED_COLOUR
            if row.state in (PROBLEM, ERROR) or row.result.duplicate:
                return PROBLEM_COLOUR
            return None
        if row.state == RECORDED:
            return None
        if key in row.unsure or (key == "check" and row.unsure):
            return UNSURE_COLOUR
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(row, key)
        if role == Qt.ItemDataRole.BackgroundRole:
            colour = self._colour(row, key)
            return QColor(colour) if colour else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, key)
        if role == ID_ROLE:
            return row.key
        if role == CHOICE_ROLE:
            return (
                row.unit_id if key == "unit" else row.obligation_id if key == "obligation" else None
            )
        return None

    def _tooltip(self, row: ReviewRow, key: str) -> str | None:
        if key in row.unsure:
            confidence = row.confidence.get(key)
            sure = f" (độ tin cậy {confidence:.0%})" if confidence else ""
            return f"{row.unsure[key]}{sure}"
        if key == "signature" and row.result.signatures:
            return "\n".join(s.describe() for s in row.result.signatures)
        if key in ("status", "file"):
            return f"{row.result.path}\n{self._status(row)}"
        if key in ("summary", "obligation", "unit"):
            return self._text(row, key) or None
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = self._rows[index.row()]
        key = COLUMNS[index.column()].key
        if not (COLUMNS[index.column()].editable and row.editable):
            return False
        try:
            if key in ("signed_date", "received_date"):
                day = parse_date(str(value)) if str(value).strip() else None
                setattr(row, key, day)
            elif key == "unit":
                chosen = next((c for c in self.unit_choices if c[0] == value), None)
                if chosen is None:
                    return False
                row.unit_id, row.unit_label = chosen
                row.obligation_id, row.obligation_label = None, ""
                row.unsure["obligation"] = "Chọn nghĩa vụ của đơn vị mới"
                if self.rematch is not None:
                    self.rematch(row)
            elif key == "obligation":
                chosen = next((c for c in self.obligation_choices(row) if c[0] == value), None)
                if chosen is None:
                    return False
                row.obligation_id, row.obligation_label = chosen
            elif key in ("number_symbol", "summary", "signer"):
                setattr(row, key, clean(str(value), multiline=key == "summary"))
        except AppError as exc:
            self.mark_error(row, exc.message)
            return False
        row.unsure.pop(key, None)  # the user's own value is sure
        row.confidence[key] = 1.0
        if row.state == ERROR:
            row.state, row.message = NEW, ""
        self.row_changed(row)
        return True
