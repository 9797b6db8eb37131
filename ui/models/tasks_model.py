"""The tasks of one directive."""

from __future__ import annotations

from app.services.directives import TaskInfo
from ui.models.row_table_model import Column, RowTableModel, count_column


class TasksModel(RowTableModel[TaskInfo]):
    columns = (
        count_column("order", "TT", lambda t: t.sort_order, width=40),
        Column("title", "Nhiệm vụ", lambda t: t.title, width=400),
        Column("kind", "Loại", lambda t: t.kind.label, width=130),
        Column("schedule", "Thời hạn", lambda t: t.schedule_label, width=300),
        Column("scope", "Giao cho", lambda t: t.scope_label, width=260),
        count_column("obligations", "Nghĩa vụ", lambda t: t.obligation_count, width=75),
    )
