"""The documents one unit sent for one obligation (all kept; the first received counts)."""

from __future__ import annotations

from app.services.submissions import SubmissionInfo
from ui.models.row_table_model import Column, RowTableModel, date_column


class SubmissionsModel(RowTableModel[SubmissionInfo]):
    columns = (
        Column("number_symbol", "Số, ký hiệu", lambda s: s.number_symbol, width=130),
        date_column("signed_date", "Ngày ký", lambda s: s.signed_date),
        date_column("received_date", "Ngày nhận", lambda s: s.received_date),
        Column("channel", "Hình thức nhận", lambda s: s.channel.label, width=170),
        Column("signer", "Người ký", lambda s: s.signer, width=150),
        Column(
            "counts",
            "Được tính",
            lambda s: "Văn bản được tính" if s.counts else "Bổ sung",
            width=130,
        ),
        Column("summary", "Tóm tắt", lambda s: s.summary.replace("\n", " "), width=260),
        Column("attachment", "Tệp", lambda s: "Có" if s.attachment_path else "", width=45),
    )
