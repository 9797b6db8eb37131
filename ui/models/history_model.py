"""The history of one record: the entries, and the field-by-field changes of one entry."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.dates import fmt_time
from app.field_labels import HIDDEN_FIELDS, field_label, value_text
from app.services.audit import AuditInfo
from ui.models.row_table_model import Column, RowTableModel


def local_time(at: dt.datetime) -> dt.datetime:
    """Audit times are stored in UTC; show them in the computer's local time."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


class HistoryModel(RowTableModel[AuditInfo]):
    columns = (
        Column(
            "at",
            "Thời điểm",
            lambda a: fmt_time(local_time(a.at), seconds=True),
            sort=lambda a: (a.at, a.id),
            width=150,
        ),
        Column("user", "Người thực hiện", lambda a: a.user, width=130),
        Column("action", "Thao tác", lambda a: a.action_label, width=120),
        Column("summary", "Nội dung", lambda a: a.summary, width=420),
    )


@dataclass(frozen=True)
class FieldChange:
    id: int
    field: str
    label: str
    before: str
    after: str


REFERENCE_FIELDS = ("successor_id", "unit_id", "unit_ids", "directive_id")


def field_changes(
    entry: AuditInfo, names: dict[str, dict[int, str]] | None = None
) -> list[FieldChange]:
    """The fields that changed, labelled in Vietnamese; ids of units and directives shown by
    name when ``names`` (kind → id → name) knows them."""
    names = names or {}

    def text(key: str, value: object) -> str:
        table = names.get("directive" if key == "directive_id" else "unit")
        if key in REFERENCE_FIELDS and table:
            if isinstance(value, int) and value in table:
                return table[value]
            if isinstance(value, list) and value:
                return "; ".join(table.get(v, str(v)) for v in value if isinstance(v, int))
        return value_text(key, value)

    rows = []
    for i, (key, before, after) in enumerate(entry.changes()):
        if key in HIDDEN_FIELDS:
            continue
        old, new = text(key, before), text(key, after)
        if old != new:
            rows.append(FieldChange(i, key, field_label(key), old, new))
    return rows


class ChangesModel(RowTableModel[FieldChange]):
    columns = (
        Column("label", "Trường", lambda c: c.label, width=180),
        Column("before", "Trước", lambda c: c.before, width=260),
        Column("after", "Sau", lambda c: c.after, width=260),
    )
