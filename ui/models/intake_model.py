"""The plans/reports register: one row per bound unit, the document that counts, the status."""

from __future__ import annotations

from app.dates import fmt
from app.ordering import row_unit_key
from app.services.intake import IntakeRow
from app.status import URGENCY
from ui.models.row_table_model import Column, RowTableModel, date_column


def unit_order(r: IntakeRow) -> tuple[object, ...]:
    """The unit order (:mod:`app.ordering`): departments first, then districts…"""
    return row_unit_key(r.obligation)


def _status_tip(r: IntakeRow) -> str:
    o = r.obligation
    tip = f"{o.status.label}. Hạn {fmt(o.due_date)}"
    if o.exempt_reason:
        tip += f". {o.exempt_reason}"
    elif o.first_received is None and o.days_past_due > 0:
        tip += f"; đã quá {o.days_past_due} ngày"
    elif o.first_received is None and o.days_past_due <= 0:
        tip += f"; còn {-o.days_past_due} ngày"
    return tip


def _documents_text(r: IntakeRow) -> str:
    return "" if r.documents == 0 else str(r.documents)


class IntakeModel(RowTableModel[IntakeRow]):
    columns = (
        Column(
            "order",
            "TT",
            lambda r: str(r.obligation.unit_sort),
            sort=unit_order,
            width=44,
            align_right=True,
        ),
        Column(
            "unit",
            "Đơn vị",
            lambda r: r.obligation.unit_name,
            tooltip=lambda r: r.obligation.unit_name,
            width=250,
        ),
        Column(
            "kind",
            "Loại đơn vị",
            lambda r: r.obligation.unit_kind.label,
            sort=unit_order,
            width=135,
        ),
        Column("number_symbol", "Số, ký hiệu", lambda r: r.number_symbol, width=120),
        date_column("signed_date", "Ngày ký", lambda r: r.signed_date),
        date_column("received_date", "Ngày nhận", lambda r: r.received_date),
        Column(
            "due_date",
            "Hạn",
            lambda r: r.obligation.due_text,
            sort=lambda r: r.obligation.due_date,
            width=90,
        ),
        Column(
            "status",
            "Trạng thái",
            lambda r: r.obligation.status.label,
            sort=lambda r: (URGENCY[r.obligation.status], r.obligation.due_date),
            colour=lambda r: r.obligation.status.colour,
            tooltip=_status_tip,
            width=170,
            badge=True,
        ),
        Column(
            "documents",
            "Số VB",
            _documents_text,
            sort=lambda r: r.documents,
            width=55,
            align_right=True,
        ),
        Column("attachment", "Tệp", lambda r: "Có" if r.attachment_path else "", width=45),
    )
