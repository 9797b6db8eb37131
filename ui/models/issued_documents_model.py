"""The issued documents: what was printed, as of which day, to whom, edited or not."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.dates import fmt, fmt_time
from app.services.issued_documents import IssuedInfo
from ui.models.history_model import local_time
from ui.models.row_table_model import Column, RowTableModel


@dataclass(frozen=True)
class IssuedRow:
    """A kept document with the names of the units it was addressed to."""

    info: IssuedInfo
    addressed: tuple[str, ...]

    @property
    def id(self) -> int:
        return self.info.id

    @property
    def about(self) -> str:
        """The directive, or the unit (a unit sheet, a unit's consolidated reminder)."""
        i = self.info
        if i.kind in ("unit-sheet", "unit-reminder"):
            return i.unit_name + (f" – {i.directive_symbol}" if i.directive_symbol else "")
        return i.directive_symbol

    @property
    def sent_to(self) -> str:
        if not self.addressed:
            return ""
        if len(self.addressed) <= 3:
            return "; ".join(self.addressed)
        return f"{len(self.addressed)} đơn vị: " + "; ".join(self.addressed[:2]) + "; …"


def _date(day: dt.date | None) -> str:
    return fmt(day)


class IssuedDocumentsModel(RowTableModel[IssuedRow]):
    columns = (
        Column("kind", "Loại văn bản", lambda r: r.info.kind_label, width=200),
        Column("about", "Văn bản chỉ đạo / đơn vị", lambda r: r.about, width=190),
        Column(
            "as_of",
            "Số liệu đến ngày",
            lambda r: _date(r.info.as_of),
            sort=lambda r: (r.info.as_of, r.id),
            width=120,
        ),
        Column(
            "number",
            "Số",
            lambda r: r.info.number,
            sort=lambda r: int(r.info.number) if r.info.number.isdigit() else 0,
            width=50,
        ),
        Column(
            "issued",
            "Ngày ban hành",
            lambda r: _date(r.info.issued_date),
            sort=lambda r: (r.info.issued_date is not None, r.info.issued_date, r.id),
            width=110,
        ),
        Column(
            "sent_to",
            "Gửi tới",
            lambda r: r.sent_to,
            tooltip=lambda r: "\n".join(r.addressed),
            width=220,
        ),
        Column(
            "edits",
            "Đã sửa",
            lambda r: f"{len(r.info.edits)} phần" if r.info.edits else "",
            sort=lambda r: len(r.info.edits),
            width=70,
        ),
        Column(
            "updated",
            "Lập/sửa lúc",
            lambda r: f"{fmt_time(local_time(r.info.updated_at))}",
            sort=lambda r: (r.info.updated_at, r.id),
            width=130,
        ),
        Column(
            "title", "Trích yếu", lambda r: r.info.title, tooltip=lambda r: r.info.title, width=300
        ),
    )
