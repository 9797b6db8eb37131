"""Export a table to ``.xlsx``: a title row, a bold frozen header, real date cells shown
dd/mm/yyyy, status colours, sensible column widths and an autofilter.

The writer (:func:`write_table`) takes plain rows and column definitions, so the window can
export exactly what a table view shows. :func:`build_table` builds the rows of every list of the
program from the core services, for the command line (``export TABLE --out FILE.xlsx``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from copy import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.db import Database
from app.errors import NotFound, ValidationError
from app.fileio import atomic_path
from app.models import Submission
from app.services.dashboard import sort_by_urgency
from app.services.obligations import ObligationRow, list_obligations
from app.status import Status
from app.text import clean, search_key, sort_key

DATE_FORMAT = "DD/MM/YYYY"
TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 3
MAX_WIDTH = 60
HEADER_FILL = "#d9e2f3"
TABLES = ("units", "directives", "plans", "reports", "warnings", "status")
TABLE_TITLES = {
    "units": "DANH SÁCH ĐƠN VỊ THEO DÕI",
    "directives": "DANH SÁCH VĂN BẢN CHỈ ĐẠO",
    "plans": "ĐĂNG KÝ KẾ HOẠCH CỦA CÁC ĐƠN VỊ",
    "reports": "TIẾP NHẬN BÁO CÁO CỦA CÁC ĐƠN VỊ",
    "warnings": "CẢNH BÁO HẠN: NGHĨA VỤ QUÁ HẠN VÀ SẮP ĐẾN HẠN",
    "status": "BẢNG THEO DÕI MỨC ĐỘ HOÀN THÀNH",
}

CellValue = str | int | float | dt.date | dt.datetime | None


@dataclass(frozen=True)
class Column:
    """One column: its header and, optionally, a width in characters (else fitted)."""

    header: str
    width: float | None = None
    wrap: bool = False


@dataclass(frozen=True)
class Table:
    """What goes on one sheet. ``fills`` parallels ``rows``: per row ``None``, one colour
    ("#rrggbb") for the whole row, or a tuple of colours (or ``None``) per cell."""

    title: str
    columns: tuple[Column, ...]
    rows: list[tuple[CellValue, ...]]
    fills: list[str | tuple[str | None, ...] | None] = field(default_factory=list)
    subtitle: str = ""
    sheet_name: str = "Danh sách"


def _fill(colour: str | None) -> PatternFill | None:
    if not colour:
        return None
    rgb = colour.lstrip("#").upper()
    if len(rgb) != 6:
        return None
    return PatternFill("solid", start_color="FF" + rgb, end_color="FF" + rgb)


def _text_width(value: CellValue) -> int:
    if value is None:
        return 0
    if isinstance(value, (dt.date, dt.datetime)):
        return 10
    text = str(value)
    return max((len(line) for line in text.split("\n")), default=0)


def _sheet_title(name: str) -> str:
    bad = '[]:*?/\\'
    cleaned = "".join("-" if c in bad else c for c in name).strip() or "Danh sách"
    return cleaned[:31]


def _cell_value(value: CellValue) -> CellValue:
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        text = clean(value, multiline=True)
        # A text that starts with "=" would become a formula: keep it as text.
        return "'" + text if text.startswith("=") else text
    return value


def _register_styles(wb: Workbook) -> dict[str, str]:
    """Named cell styles: assigning a name is much cheaper than a font, border and alignment
    per cell (10,000 rows in a few seconds)."""
    thin = Side(style="thin", color="FF9E9E9E")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    header = NamedStyle(name="stdt_header", font=Font(bold=True), border=border,
                        alignment=Alignment(horizontal="center", vertical="center",
                                            wrap_text=True))
    header_fill = _fill(HEADER_FILL)
    if header_fill is not None:
        header.fill = header_fill
    named = {
        "header": header,
        "body": NamedStyle(name="stdt_body", border=border, alignment=Alignment(vertical="top")),
        "wrap": NamedStyle(name="stdt_wrap", border=border,
                           alignment=Alignment(vertical="top", wrap_text=True)),
        "date": NamedStyle(name="stdt_date", border=border, number_format=DATE_FORMAT,
                           alignment=Alignment(horizontal="center", vertical="top")),
    }
    existing = set(wb.named_styles)
    for style in named.values():
        if style.name not in existing:
            wb.add_named_style(style)
    return {key: style.name for key, style in named.items()}


def fill_workbook(wb: Workbook, table: Table) -> None:
    """Write ``table`` on the active sheet of ``wb``."""
    ws = wb.active
    assert ws is not None
    ws.title = _sheet_title(table.sheet_name)
    ncols = max(len(table.columns), 1)
    last_col = get_column_letter(ncols)
    ws.cell(TITLE_ROW, 1, table.title).font = Font(bold=True, size=14)
    ws.row_dimensions[TITLE_ROW].height = 22
    if table.subtitle:
        ws.cell(SUBTITLE_ROW, 1, table.subtitle).font = Font(italic=True)
    styles = _register_styles(wb)
    for c, column in enumerate(table.columns, start=1):
        ws.cell(HEADER_ROW, c, column.header).style = styles["header"]
    widths = [_text_width(col.header) for col in table.columns]
    wrap_cols = {i for i, col in enumerate(table.columns) if col.wrap}
    fill_cache: dict[str, PatternFill | None] = {}

    def fill_of(colour: str | None) -> PatternFill | None:
        if not colour:
            return None
        if colour not in fill_cache:
            fill_cache[colour] = _fill(colour)
        return fill_cache[colour]

    # 100,000 rows × 8 columns is 800,000 cells: per cell, assigning a named style by name
    # (openpyxl looks it up and copies it) and cleaning the same unit/task names again cost
    # more than writing the file (docs/performance.md). The style arrays are looked up once
    # and copied; cleaned texts are remembered; cells are created directly.
    style_arrays: dict[str, Any] = {}
    for key in ("date", "wrap", "body"):
        probe = Cell(ws)
        probe.style = styles[key]
        style_arrays[key] = probe._style
    cleaned: dict[CellValue, CellValue] = {}
    text_widths: dict[str, int] = {}
    cells = ws._cells
    for r, row in enumerate(table.rows, start=HEADER_ROW + 1):
        fills = table.fills[r - HEADER_ROW - 1] if r - HEADER_ROW - 1 < len(table.fills) else None
        row_fill = fill_of(fills) if isinstance(fills, str) else None
        for c, value in enumerate(row[:ncols], start=1):
            if isinstance(value, str):
                text = cleaned.get(value)
                if text is None:
                    text = cleaned[value] = _cell_value(value)
            else:
                text = _cell_value(value)
            if isinstance(value, (dt.date, dt.datetime)):
                key = "date"
            elif c - 1 in wrap_cols:
                key = "wrap"
            else:
                key = "body"
            cell = Cell(ws, row=r, column=c, value=text, style_array=copy(style_arrays[key]))
            cells[(r, c)] = cell
            fill = row_fill
            if isinstance(fills, tuple) and c - 1 < len(fills):
                fill = fill_of(fills[c - 1])
            if fill is not None:
                cell.fill = fill
            text_width = text_widths.get(value) if isinstance(value, str) else None
            if text_width is None:
                text_width = _text_width(value)
                if isinstance(value, str):
                    text_widths[value] = text_width
            if text_width > widths[c - 1]:
                widths[c - 1] = text_width
    for c, column in enumerate(table.columns, start=1):
        width = column.width or min(MAX_WIDTH, max(6, widths[c - 1]) + 2)
        ws.column_dimensions[get_column_letter(c)].width = width
        if column.width is None and widths[c - 1] > MAX_WIDTH:
            for r in range(HEADER_ROW + 1, HEADER_ROW + 1 + len(table.rows)):
                if not isinstance(ws.cell(r, c).value, dt.datetime):
                    ws.cell(r, c).style = styles["wrap"]
    lines = 1
    for c, column in enumerate(table.columns, start=1):
        width = ws.column_dimensions[get_column_letter(c)].width or 10
        lines = max(lines, -(-len(column.header) // max(1, int(width) - 2)))
    ws.row_dimensions[HEADER_ROW].height = max(30, 15 * lines + 4)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    last_row = HEADER_ROW + max(len(table.rows), 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_table(path: Path | str, table: Table) -> Path:
    """Write ``table`` to ``path`` (.xlsx) through a temporary file; returns the path."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    wb = Workbook()
    fill_workbook(wb, table)
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target


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
        parts = [f"Tính đến ngày {self.as_of:%d/%m/%Y}"]
        if self.directive:
            parts.append(f"văn bản {self.directive}")
        if self.task:
            parts.append(f"nhiệm vụ \"{self.task}\"")
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
        rows = [r for r in rows
                if wanted_key in (search_key(r.period_label), search_key(r.period_key))]
        if not rows:
            raise ValidationError(
                f"Không có kỳ báo cáo {f.period!r} (ví dụ: \"6 tháng đầu năm 2018\" hoặc "
                "\"2018-H1\").", field="period")
    return rows


def _yes_no(value: bool) -> str:
    return "Có" if value else "Không"


def units_table(db: Database, f: ExportFilters) -> Table:
    from app.services.units import list_units

    units = list_units(db, kind=f.kind or None)
    if f.unit:
        units = [u for u in units
                 if all(w in search_key(f"{u.name} {u.short_name}")
                        for w in search_key(f.unit).split())]
    columns = tuple(Column(h) for h in UNIT_EXPORT_HEADERS)
    rows: list[tuple[CellValue, ...]] = [
        (i, u.name, u.short_name, u.kind_label, u.sort_order, u.head_title, u.address, u.phone,
         u.email, u.contact_person, u.note, _yes_no(u.active), u.valid_from, u.valid_to,
         u.successor_name)
        for i, u in enumerate(units, start=1)
    ]
    fills: list[str | tuple[str | None, ...] | None] = [
        None if u.active else "#eeeeee" for u in units]
    return Table(TABLE_TITLES["units"], columns, rows, fills,
                 subtitle=f"Có {len(units)} đơn vị.", sheet_name="Đơn vị")


UNIT_EXPORT_HEADERS = (
    "STT", "Tên đơn vị", "Tên viết tắt", "Loại đơn vị", "Thứ tự", "Chức danh thủ trưởng",
    "Địa chỉ", "Điện thoại", "Thư điện tử", "Người liên hệ", "Ghi chú", "Đang theo dõi",
    "Hiệu lực từ ngày", "Hiệu lực đến ngày", "Sáp nhập vào",
)


def directives_table(db: Database, f: ExportFilters) -> Table:
    from app.services.directives import list_directives

    directives = list_directives(db)
    if f.directive:
        wanted = search_key(f.directive).replace(" ", "")
        directives = [d for d in directives
                      if wanted in search_key(d.number_symbol).replace(" ", "")]
    columns = (Column("STT"), Column("Số, ký hiệu"), Column("Ngày ban hành"),
               Column("Cơ quan ban hành"), Column("Người ký"), Column("Trích yếu", wrap=True),
               Column("Nhiệm vụ", wrap=True), Column("Số nghĩa vụ"))
    rows: list[tuple[CellValue, ...]] = []
    for i, d in enumerate(directives, start=1):
        tasks = "\n".join(f"- {t.title} ({t.schedule_label})" for t in d.tasks)
        rows.append((i, d.number_symbol, d.signed_date, d.issuer, d.signer, d.subject, tasks,
                     sum(t.obligation_count for t in d.tasks)))
    return Table(TABLE_TITLES["directives"], columns, rows, [],
                 subtitle=f"Có {len(directives)} văn bản.", sheet_name="Văn bản chỉ đạo")


SUBMISSION_EXPORT_HEADERS = (
    "STT", "Đơn vị", "Văn bản chỉ đạo", "Nhiệm vụ", "Kỳ báo cáo", "Hạn", "Số, ký hiệu văn bản",
    "Ngày ký", "Ngày nhận", "Người ký", "Hình thức nhận", "Trích yếu", "Đánh giá", "Trạng thái",
)


def _submissions_by_obligation(db: Database, ids: Sequence[int], as_of: dt.date
                               ) -> dict[int, list[Submission]]:
    from sqlalchemy import select

    result: dict[int, list[Submission]] = {}
    wanted = list(ids)
    with db.read() as session:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start:start + 500]
            stmt = (select(Submission).where(Submission.obligation_id.in_(chunk),
                                             Submission.received_date <= as_of)
                    .order_by(Submission.received_date, Submission.id))
            for s in session.scalars(stmt):
                result.setdefault(s.obligation_id, []).append(s)
    return result


def _submission_table(db: Database, f: ExportFilters, *, periodic: bool) -> Table:
    from app.models import Channel, TaskKind

    kind = TaskKind.PERIODIC if periodic else TaskKind.ONE_OFF
    obligations = [o for o in filtered_obligations(db, f) if o.task_kind is kind]
    subs = _submissions_by_obligation(db, [o.id for o in obligations], f.as_of)
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    status_col = len(SUBMISSION_EXPORT_HEADERS) - 1
    for o in obligations:
        docs: list[Submission | None] = list(subs.get(o.id, [])) or [None]
        for s in docs:
            cells: tuple[CellValue, ...] = (
                len(rows) + 1, o.unit_name, o.directive_symbol, o.task_title,
                o.period_label, o.due_date,
                s.number_symbol if s else "", s.signed_date if s else None,
                s.received_date if s else None, s.signer if s else "",
                Channel(s.channel).label if s else "", s.summary if s else "",
                s.assessment if s else "", o.status.label)
            rows.append(cells)
            colours: list[str | None] = [None] * len(cells)
            colours[status_col] = o.status.colour
            fills.append(tuple(colours))
    title = TABLE_TITLES["reports" if periodic else "plans"]
    columns = tuple(Column(h, wrap=h in ("Trích yếu", "Đánh giá"))
                    for h in SUBMISSION_EXPORT_HEADERS)
    return Table(title, columns, rows, fills, subtitle=f.describe(),
                 sheet_name="Báo cáo" if periodic else "Đăng ký kế hoạch")


def plans_table(db: Database, f: ExportFilters) -> Table:
    return _submission_table(db, f, periodic=False)


def reports_table(db: Database, f: ExportFilters) -> Table:
    return _submission_table(db, f, periodic=True)


def warnings_table(db: Database, f: ExportFilters) -> Table:
    statuses = f.statuses or (Status.OVERDUE.value, Status.DUE_SOON.value)
    rows_in = filtered_obligations(
        db, ExportFilters(**{**f.__dict__, "statuses": tuple(statuses)}))
    rows_in = sort_by_urgency(rows_in)  # the order of the "Cảnh báo hạn" tab
    columns = (Column("STT"), Column("Đơn vị"), Column("Loại đơn vị"), Column("Văn bản chỉ đạo"),
               Column("Nhiệm vụ"), Column("Kỳ báo cáo"), Column("Hạn"),
               Column("Quá hạn (ngày)"), Column("Trạng thái"))
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    for i, r in enumerate(rows_in, start=1):
        late: CellValue = r.days_past_due if r.days_past_due > 0 else None
        rows.append((i, r.unit_name, r.unit_kind.label, r.directive_symbol, r.task_title,
                     r.period_label, r.due_date, late, r.status.label))
        fills.append((None,) * 8 + (r.status.colour,))
    return Table(TABLE_TITLES["warnings"], columns, rows, fills, subtitle=f.describe(),
                 sheet_name="Cảnh báo hạn")


def status_table(db: Database, f: ExportFilters) -> Table:
    """The completeness matrix: one row per unit, one column per task and period."""
    obligations = filtered_obligations(db, f)
    column_keys: list[tuple[int, str]] = []
    column_labels: dict[tuple[int, str], str] = {}
    units: dict[int, ObligationRow] = {}
    cells: dict[tuple[int, tuple[int, str]], ObligationRow] = {}
    for o in sorted(obligations, key=lambda o: (o.directive_id, o.due_date, o.task_id)):
        key = (o.task_id, o.period_key)
        if key not in column_labels:
            column_keys.append(key)
            label = o.task_title if not o.period_label else f"{o.task_title} — {o.period_label}"
            column_labels[key] = label
        units.setdefault(o.unit_id, o)
        cells[(o.unit_id, key)] = o
    from app.models import UnitKind

    kind_rank = {k: i for i, k in enumerate(UnitKind)}
    ordered = sorted(units.values(), key=lambda o: (kind_rank[o.unit_kind], o.unit_sort,
                                                    sort_key(o.unit_name)))
    columns = (Column("STT"), Column("Đơn vị"), Column("Loại đơn vị"),
               *(Column(column_labels[k], width=22, wrap=True) for k in column_keys),
               Column("Đã hoàn thành"))
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    for i, u in enumerate(ordered, start=1):
        values: list[CellValue] = [i, u.unit_name, u.unit_kind.label]
        colours: list[str | None] = [None, None, None]
        done = due = 0
        for key in column_keys:
            cell = cells.get((u.unit_id, key))
            if cell is None:
                values.append("")
                colours.append(None)
                continue
            text = cell.status.label
            if cell.first_received is not None:
                text += f" ({cell.first_received:%d/%m/%Y})"
            values.append(text)
            colours.append(cell.status.colour)
            if cell.status is not Status.EXEMPT:
                due += 1
                done += cell.status.done
        values.append(f"{done}/{due}")
        colours.append(None)
        rows.append(tuple(values))
        fills.append(tuple(colours))
    return Table(TABLE_TITLES["status"], columns, rows, fills, subtitle=f.describe(),
                 sheet_name="Mức độ hoàn thành")


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
        raise ValidationError(f"Không có bảng {name!r}; chọn một trong: "
                              + ", ".join(TABLES)) from None
    return builder(db, filters)


def export(db: Database, name: str, path: Path | str, filters: ExportFilters) -> tuple[Path, int]:
    """Build a list and write it; returns the file written and the number of rows."""
    table = build_table(db, name, filters)
    return write_table(path, table), len(table.rows)
