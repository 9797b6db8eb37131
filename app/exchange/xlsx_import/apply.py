"""Write: the ticked rows of a preview, in one transaction — all of them or nothing — as one
import batch (:class:`app.models.ImportBatch`) that :func:`app.services.imports.undo_import`
undoes as a whole. The rows are planned again in that transaction (a change since the preview
stops the import) and written by the services (:func:`app.services.units.store_units`,
:func:`app.services.submissions.store_submissions`), which audit every change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.db import Database
from app.errors import Conflict, ValidationError
from app.exchange.xlsx_import.plan import ImportPreview, Planned, Progress, RowAction, plan
from app.models import Submission, Unit
from app.services.imports import KIND_LABELS, start_batch
from app.services.submissions import store_submissions
from app.services.units import store_units


@dataclass(frozen=True)
class ImportResult:
    kind: str
    added: int
    updated: int
    unchanged: int
    skipped: int
    batch_id: int | None = None  # the import as recorded (undo it with undo_import)
    unticked: int = 0

    def describe(self) -> str:
        text = (
            f"Đã nhập {KIND_LABELS[self.kind]}: thêm {self.added}, cập nhật {self.updated}, "
            f"không đổi {self.unchanged}, bỏ qua {self.skipped}"
        )
        if self.unticked:
            text += f", không chọn {self.unticked}"
        text += "."
        if self.batch_id is not None and (self.added or self.updated):
            text += f" Lần nhập số {self.batch_id}: có thể hoàn tác cả lần nhập này."
        return text


def apply_import(
    db: Database,
    preview: ImportPreview,
    *,
    today: dt.date,
    progress: Progress | None = None,
    rows: Collection[int] | None = None,
) -> ImportResult:
    """Write the previewed rows in one transaction: all of them, or nothing. ``rows`` (Excel
    row numbers) keeps only the ticked ones of the rows that add or change something. The
    import is recorded as one batch that :func:`app.services.imports.undo_import` undoes."""
    if preview.has_errors:
        raise ValidationError(
            f"Còn {preview.count(RowAction.ERROR)} dòng lỗi; chưa nhập gì. Hãy sửa tệp rồi "
            "xem trước lại."
        )
    chosen = None if rows is None else set(rows)

    def wanted(p: Planned) -> bool:
        return p.row.selectable and (chosen is None or p.row.row_number in chosen)

    batch_id: int | None = None
    with db.write() as session:
        planned = plan(session, preview.kind, preview.raw, today, progress)
        now = [(p.row.row_number, p.row.action) for p in planned]
        before = [(r.row_number, r.action) for r in preview.rows]
        if now != before:
            raise Conflict(
                "Dữ liệu vừa thay đổi từ lúc xem trước; chưa nhập gì. Hãy xem trước lại rồi nhập."
            )
        to_write = [p for p in planned if wanted(p)]
        added = sum(1 for p in to_write if p.row.action is RowAction.NEW)
        updated = len(to_write) - added
        if to_write:
            batch = start_batch(session, preview.kind, Path(preview.path).name, preview.sheet)
            batch.added, batch.updated = added, updated
            batch_id = batch.id
            _write(session, preview.kind, to_write, batch_id)
    return ImportResult(
        kind=preview.kind,
        added=added,
        updated=updated,
        unchanged=preview.count(RowAction.UNCHANGED),
        skipped=preview.count(RowAction.SKIP),
        batch_id=batch_id,
        unticked=sum(1 for p in planned if p.row.selectable and not wanted(p)),
    )


def _write(session: Session, kind: str, planned: Sequence[Planned], batch_id: int) -> None:
    added = [p.values for p in planned if p.row.action is RowAction.NEW]
    edits = [(p.current, p.values) for p in planned if p.row.action is RowAction.UPDATE]
    if kind == "units":
        changed_units = [(u, v) for u, v in edits if isinstance(u, Unit)]
        store_units(session, added, changed_units, batch_id=batch_id)
    else:
        changed = [(s, v) for s, v in edits if isinstance(s, Submission)]
        store_submissions(session, added, changed, batch_id=batch_id)
