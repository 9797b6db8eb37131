"""The directives table."""

from __future__ import annotations

from app.dates import fmt
from app.services.directives import DirectiveInfo
from ui.models.row_table_model import Column, RowTableModel
from ui.models.sort_keys import date_key


class DirectivesModel(RowTableModel[DirectiveInfo]):
    columns = (
        Column("number_symbol", "Số, ký hiệu", lambda d: d.number_symbol, width=130),
        Column(
            "signed_date",
            "Ngày ký",
            lambda d: fmt(d.signed_date),
            sort=lambda d: date_key(d.signed_date),
            width=90,
        ),
        Column("issuer", "Cơ quan ban hành", lambda d: d.issuer, width=170),
        Column("subject", "Trích yếu", lambda d: d.subject.replace("\n", " "), width=420),
        Column(
            "tasks",
            "Nhiệm vụ",
            lambda d: str(len(d.tasks)),
            sort=lambda d: len(d.tasks),
            width=75,
            align_right=True,
        ),
        Column("attachment", "Tệp", lambda d: "Có" if d.attachment_path else "", width=45),
    )
