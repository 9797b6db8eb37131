"""The program's lists as Excel tables (:func:`build_table`, :func:`export`): units,
directives, plans, reports, warnings and the completeness matrix, from the core services, for
the command line (``export TABLE --out FILE.xlsx``). The writer is
:mod:`app.exchange.xlsx_writer`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.dates import as_of_caption
from app.db import Database
from app.errors import NotFound, ValidationError
from app.exchange.xlsx_columns import (
    SUBMISSION_EXPORT_HEADERS,
    UNIT_EXPORT_HEADERS,
    WARNING_EXPORT_HEADERS,
)
from app.exchange.xlsx_writer import (
    DATE_FORMAT,
    HEADER_ROW,
    MAX_WIDTH,
    SUBTITLE_ROW,
    TITLE_ROW,
    CellValue,
    Column,
    Table,
    fill_workbook,
    write_table,
)
from app.services.dashboard import (
    MATRIX_TOTALS,
    CompletenessMatrix,
    completeness_grid,
    matrix_cell_text,
    matrix_summary_rows,
    sort_by_urgency,
)
from app.services.obligations import ObligationRow, list_obligations
from app.services.submissions import SubmissionInfo, submissions_seen
from app.status import Status
from app.text import search_key

__all__ = [  # the writer's names, for the callers that import them from here
    "DATE_FORMAT",
    "HEADER_ROW",
    "MAX_WIDTH",
    "SUBTITLE_ROW",
    "TABLES",
    "TABLE_TITLES",
    "TITLE_ROW",
    "CellValue",
    "Column",
    "ExportFilters",
    "Table",
    "build_table",
    "export",
    "fill_workbook",
    "filtered_obligations",
    "status_table",
    "units_table",
    "warnings_table",
    "write_table",
]

TABLES = ("units", "directives", "plans", "reports", "warnings", "status")
TABLE_TITLES = {
    "units": "DANH SÁCH ĐƠN VỊ THEO DÕI",
    "directives": "DANH SÁCH VĂN BẢN CHỈ ĐẠO",
    "plans": "ĐĂNG KÝ KẾ HOẠCH CỦA CÁC ĐƠN VỊ",
    "reports": "TIẾP NHẬN BÁO CÁO CỦA CÁC ĐƠN VỊ",
    "warnings": "CẢNH BÁO HẠN: NGHĨA VỤ QUÁ HẠN VÀ SẮP ĐẾN HẠN",
    "status": "BẢNG THEO DÕI MỨC ĐỘ HOÀN THÀNH",
}


# --- building the program's lists -------------------------------------------------------------


@dataclass(frozen=True)
class ExportFilters:
    """The filters of the command line (the same the pages offer)."""

    as_of: dt.date
    directive: str = ""
    task: str = ""
    period: str = ""
    unit: str = ""
    kind: str = ""
    statuses: tuple[str, ...] = ()

    def describe(self) -> str:
        parts = [as_of_caption(self.as_of).capitalize()]
        if self.directive:
            parts.append(f"văn bản {self.directive}")
        if self.task:
            parts.append(f'nhiệm vụ "{self.task}"')
        if self.period:
            parts.append(f"kỳ {self.period}")
        if self.unit:
            parts.append(f"đơn vị {self.unit}")
        if self.kind:
            from app.models import UnitKind

            parts.append(UnitKind(self.kind).label)
        if self.statuses:
            parts.append("trạng thái: " + ", ".join(Status(s).label for s in self.statuses))
        return "; ".join(parts) + "."


def _resolved_filters(db: Database, f: ExportFilters) -> dict[str, Any]:
    from app.services.directives import find_directive, find_task
    from app.services.units import find_unit

    result: dict[str, Any] = {}
    with db.read() as session:
        directive = find_directive(session, f.directive) if f.directive else None
        if directive is not None:
            result["directive_id"] = directive.id
            if f.task:
                result["task_id"] = find_task(session, directive, f.task).id
        if f.unit:
            result["unit_id"] = find_unit(session, f.unit).id
    if f.kind:
        result["unit_kind"] = f.kind
    if f.statuses:
        result["statuses"] = [Status(s) for s in f.statuses]
    return result


def filtered_obligations(db: Database, f: ExportFilters) -> list[ObligationRow]:
    rows = list_obligations(db, f.as_of, **_resolved_filters(db, f))
    if f.task and not f.directive:
        wanted = search_key(f.task).split()
        rows = [r for r in rows if all(w in search_key(r.task_title) for w in wanted)]
        if not rows:
            raise NotFound(f"Không có nhiệm vụ nào tên {f.task!r}.")
    if f.period:
        wanted_key = search_key(f.period)
        rows = [
            r for r in rows if wanted_key in (search_key(r.period_label), search_key(r.period_key))
        ]
        if not rows:
            raise ValidationError(
                f'Không có kỳ báo cáo {f.period!r} (ví dụ: "6 tháng đầu năm 2018" hoặc "2018-H1").',
                field="period",
            )
    return rows


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def units_table(db: Database, f: ExportFilters) -> Table:
    from app.services.units import list_units

    units = list_units(db, kind=f.kind or None)
    if f.unit:
        units = [
            u
            for u in units
            if all(w in search_key(f"{u.name} {u.short_name}") for w in search_key(f.unit).split())
        ]
    columns = tuple(Column(h) for h in UNIT_EXPORT_HEADERS)
    rows: list[tuple[CellValue, ...]] = [
        (
            i,
            u.name,
            u.short_name,
            u.kind_label,
            u.sort_order,
            u.head_title,
            u.address,
            u.phone,
            u.email,
            u.contact_person,
            u.note,
            _yes_no(u.active),
            u.valid_from,
            u.valid_to,
            u.successor_name,
        )
        for i, u in enumerate(units, start=1)
    ]
    fills: list[str | tuple[str | None, ...] | None] = [
        None if u.active else "#eeeeee" for u in units
    ]
    return Table(
        TABLE_TITLES["units"],
        columns,
        rows,
        fills,
        subtitle=f"Có {len(units)} đơn vị.",
        sheet_name="Đơn vị",
    )


def directives_table(db: Database, f: ExportFilters) -> Table:
    from app.services.directives import list_directives

    directives = list_directives(db)
    if f.directive:
        wanted = search_key(f.directive).replace(" ", "")
        directives = [
            d for d in directives if wanted in search_key(d.number_symbol).replace(" ", "")
        ]
    columns = (
        Column("STT"),
        Column("Số, ký hiệu"),
        Column("Ngày ban hành"),
        Column("Cơ quan ban hành"),
        Column("Người ký"),
        Column("Trích yếu", wrap=True),
        Column("Nhiệm vụ", wrap=True),
        Column("Số nghĩa vụ"),
    )
    rows: list[tuple[CellValue, ...]] = []
    for i, d in enumerate(directives, start=1):
        tasks = "\n".join(f"- {t.title} ({t.schedule_label})" for t in d.tasks)
        rows.append(
            (
                i,
                d.number_symbol,
                d.signed_date,
                d.issuer,
                d.signer,
                d.subject,
                tasks,
                sum(t.obligation_count for t in d.tasks),
            )
        )
    return Table(
        TABLE_TITLES["directives"],
        columns,
        rows,
        [],
        subtitle=f"Có {len(directives)} văn bản.",
        sheet_name="Văn bản chỉ đạo",
    )


def _submission_table(db: Database, f: ExportFilters, *, periodic: bool) -> Table:
    from app.models import TaskKind

    kind = TaskKind.PERIODIC if periodic else TaskKind.ONE_OFF
    obligations = [o for o in filtered_obligations(db, f) if o.task_kind is kind]
    with db.read() as session:
        subs = submissions_seen(session, (o.id for o in obligations), f.as_of)
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    status_col = len(SUBMISSION_EXPORT_HEADERS) - 1
    for o in obligations:
        docs: list[SubmissionInfo | None] = list(subs.get(o.id, [])) or [None]
        for s in docs:
            cells: tuple[CellValue, ...] = (
                len(rows) + 1,
                o.unit_name,
                o.directive_symbol,
                o.task_title,
                o.period_label,
                o.due_date,
                s.number_symbol if s else "",
                s.signed_date if s else None,
                s.received_date if s else None,
                s.signer if s else "",
                s.channel.label if s else "",
                s.summary if s else "",
                s.assessment if s else "",
                o.status.label,
            )
            rows.append(cells)
            colours: list[str | None] = [None] * len(cells)
            colours[status_col] = o.status.colour
            fills.append(tuple(colours))
    title = TABLE_TITLES["reports" if periodic else "plans"]
    columns = tuple(
        Column(h, wrap=h in ("Trích yếu", "Đánh giá")) for h in SUBMISSION_EXPORT_HEADERS
    )
    return Table(
        title,
        columns,
        rows,
        fills,
        subtitle=f.describe(),
        sheet_name="Báo cáo" if periodic else "Đăng ký kế hoạch",
    )


def plans_table(db: Database, f: ExportFilters) -> Table:
    return _submission_table(db, f, periodic=False)


def reports_table(db: Database, f: ExportFilters) -> Table:
    return _submission_table(db, f, periodic=True)


def warning_list_table(
    db: Database, rows: Sequence[ObligationRow], day: dt.date, subtitle: str
) -> Table:
    """The "Cảnh báo hạn" list as Excel, for the window's export and the command line's alike:
    ``rows`` in the order given, the due date as a date, days overdue and days left as numbers
    Excel can add up, the status in its colour, and the reminders sent ("đã đôn đốc lần N,
    ngày …" as of ``day``)."""
    from app.services.issued_documents import reminder_notes

    reminded = reminder_notes(db, day)
    # "Hạn theo văn bản" only when a due date was shifted off a day off (docs/domain.md)
    shifted = any(r.nominal_due is not None for r in rows)
    headers = [h for h in WARNING_EXPORT_HEADERS if shifted or h != "Hạn theo văn bản"]
    status, overdue, left = (
        headers.index(h) for h in ("Trạng thái", "Quá hạn (ngày)", "Còn lại (ngày)")
    )
    values: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    for i, r in enumerate(rows, start=1):
        late = r.status is Status.OVERDUE
        waiting = r.status in (Status.DUE_SOON, Status.NOT_DUE)
        values.append(
            (
                i,
                r.unit_name,
                r.unit_kind.label,
                r.directive_symbol,
                r.task_title,
                r.period_label or "Một lần",
                r.due_date,
                *((r.nominal_due,) if shifted else ()),
                r.days_past_due if late else None,
                -r.days_past_due if waiting else None,
                r.status.label,
                reminded.get((r.unit_id, r.directive_id), ""),
            )
        )
        colours: list[str | None] = [None] * len(headers)
        colours[status] = r.status.colour
        if late or waiting:
            colours[overdue if late else left] = r.status.colour
        fills.append(tuple(colours))
    return Table(
        TABLE_TITLES["warnings"],
        tuple(Column(h) for h in headers),
        values,
        fills,
        subtitle=subtitle,
        sheet_name="Cảnh báo hạn",
    )


def warnings_table(db: Database, f: ExportFilters) -> Table:
    statuses = f.statuses or (Status.OVERDUE.value, Status.DUE_SOON.value)
    rows = filtered_obligations(db, ExportFilters(**{**f.__dict__, "statuses": tuple(statuses)}))
    # the order of the "Cảnh báo hạn" tab
    return warning_list_table(db, sort_by_urgency(rows), f.as_of, f.describe())


def matrix_table(matrix: CompletenessMatrix, subtitle: str) -> Table:
    """The completeness matrix as Excel, for the overview's export and the command line's
    alike: one row per unit, one column per task and period (the cell as the window writes it,
    in its colour), the unit's totals, then the totals of each column."""
    columns = (
        Column("STT"),
        Column("Đơn vị"),
        Column("Loại đơn vị"),
        *(Column(h, width=22, wrap=True) for h in matrix.headers),
        *(Column(f.label) for f in MATRIX_TOTALS),
    )
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    for i, (unit, line, counts) in enumerate(
        zip(matrix.units, matrix.cells, matrix.row_totals, strict=True), start=1
    ):
        rows.append(
            (
                i,
                unit.name,
                unit.kind.label,
                *(matrix_cell_text(c) if c else "—" for c in line),
                *(f.cell(counts) for f in MATRIX_TOTALS),
            )
        )
        fills.append((None, None, None, *(c.status.colour if c else None for c in line)))
    for label, values in matrix_summary_rows(matrix):
        rows.append((None, label, None, *values))
        fills.append(None)
    return Table(
        TABLE_TITLES["status"],
        columns,
        rows,
        fills,
        subtitle=subtitle,
        sheet_name="Mức độ hoàn thành",
    )


def status_table(db: Database, f: ExportFilters) -> Table:
    """The completeness matrix of the obligations the filters keep."""
    return matrix_table(completeness_grid(filtered_obligations(db, f)), f.describe())


BUILDERS: dict[str, Callable[[Database, ExportFilters], Table]] = {
    "units": units_table,
    "directives": directives_table,
    "plans": plans_table,
    "reports": reports_table,
    "warnings": warnings_table,
    "status": status_table,
}


def build_table(db: Database, name: str, filters: ExportFilters) -> Table:
    try:
        builder = BUILDERS[name]
    except KeyError:
        raise ValidationError(
            f"Không có bảng {name!r}; chọn một trong: " + ", ".join(TABLES)
        ) from None
    return builder(db, filters)


def export(db: Database, name: str, path: Path | str, filters: ExportFilters) -> tuple[Path, int]:
    """Build a list and write it; returns the file written and the number of rows."""
    table = build_table(db, name, filters)
    return write_table(path, table), len(table.rows)
