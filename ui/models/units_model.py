"""The units table."""

from __future__ import annotations

from app.dates import fmt
from app.ordering import unit_key
from app.services.units import UnitInfo
from ui import style
from ui.models.row_table_model import Column, RowTableModel
from ui.models.sort_keys import date_key

INACTIVE_COLOUR = style.INACTIVE


def _order(u: UnitInfo) -> tuple[object, ...]:
    return unit_key(u.kind, u.sort_order, u.name, u.id)


def validity_text(u: UnitInfo) -> str:
    if u.valid_from and u.valid_to:
        return f"{fmt(u.valid_from)} – {fmt(u.valid_to)}"
    if u.valid_from:
        return f"từ {fmt(u.valid_from)}"
    if u.valid_to:
        return f"đến {fmt(u.valid_to)}"
    return "không thời hạn"


def state_text(u: UnitInfo) -> str:
    if u.successor_name:
        return "Đã sáp nhập"
    return "Đang theo dõi" if u.active else "Ngừng theo dõi"


class UnitsModel(RowTableModel[UnitInfo]):
    columns = (
        Column("order", "TT", lambda u: str(u.sort_order), sort=_order, width=44, align_right=True),
        Column("name", "Tên đơn vị", lambda u: u.name, width=450),
        Column("short_name", "Tên viết tắt", lambda u: u.short_name, width=140),
        Column("kind", "Loại", lambda u: u.kind.label, sort=_order, width=150),
        Column(
            "state",
            "Tình trạng",
            state_text,
            colour=lambda u: None if u.active else INACTIVE_COLOUR,
            width=120,
        ),
        Column(
            "validity",
            "Hiệu lực",
            validity_text,
            sort=lambda u: (date_key(u.valid_from), date_key(u.valid_to)),
            width=170,
        ),
        Column("successor", "Sáp nhập vào", lambda u: u.successor_name, width=220),
        Column("head_title", "Thủ trưởng", lambda u: u.head_title, width=130),
    )
