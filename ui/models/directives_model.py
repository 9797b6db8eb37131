"""The directives table."""

from __future__ import annotations

from app.services.directives import DirectiveInfo
from ui.models.row_table_model import Column, RowTableModel, count_column, date_column


class DirectivesModel(RowTableModel[DirectiveInfo]):
    columns = (
        Column("number_symbol", "Số, ký hiệu", lambda d: d.number_symbol, width=130),
        date_column("signed_date", "Ngày ký", lambda d: d.signed_date),
        Column("issuer", "Cơ quan ban hành", lambda d: d.issuer, width=170),
        Column("subject", "Trích yếu", lambda d: d.subject.replace("\n", " "), width=420),
        count_column("tasks", "Nhiệm vụ", lambda d: len(d.tasks), width=75),
        Column("attachment", "Tệp", lambda d: "Có" if d.attachment_path else "", width=45),
    )
