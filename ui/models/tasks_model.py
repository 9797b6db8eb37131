"""The tasks of one directive."""

from __future__ import annotations

from app.services.directives import TaskInfo
from ui.models.row_table_model import Column, RowTableModel


class TasksModel(RowTableModel[TaskInfo]):
    columns = (
        Column(
            "order",
            "TT",
            lambda t: str(t.sort_order),
            sort=lambda t: t.sort_order,
            width=40,
            align_right=True,
        ),
        Column("title", "Nhiệm vụ", lambda t: t.title, width=400),
        Column("kind", "Loại", lambda t: t.kind.label, width=130),
        Column("schedule", "Thời hạn", lambda t: t.schedule_label, width=300),
        Column("scope", "Giao cho", lambda t: t.scope_label, width=260),
        Column(
            "obligations",
            "Nghĩa vụ",
            lambda t: str(t.obligation_count),
            sort=lambda t: t.obligation_count,
            width=75,
            align_right=True,
        ),
    )
