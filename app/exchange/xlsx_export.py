"""Export a table to ``.xlsx``: a title row, a bold frozen header, real date cells shown
dd/mm/yyyy, status colours, sensible column widths and an autofilter.

The writer (:func:`write_table`) takes plain rows and column definitions, so the window can
export exactly what a table view shows. :func:`build_table` builds the rows of every list of the
program from the core services, for the command line (``export TABLE --out FILE.xlsx``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import io
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from math import isfinite
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.dates import as_of_caption, fmt
from app.db import Database
from app.errors import NotFound, ValidationError
from app.fileio import atomic_path
from app.ordering import row_unit_key
from app.services.dashboard import sort_by_urgency
from app.services.obligations import ObligationRow, list_obligations
from app.services.submissions import SubmissionInfo, submissions_seen
from app.status import Status
from app.text import clean, search_key

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
    """Named cell styles, registered once per workbook: every cell of a kind shares one."""
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


DATE = "date"
# A value as the sheet stores it: (stored value, openpyxl data type, is a date, text width).
_Bound = tuple[CellValue, str, bool, int]


class _Binder:
    """What each distinct value becomes in a cell, worked out once: a list of 100,000 rows
    repeats the same unit, task and period names and the same days thousands of times, so
    cleaning the text (:func:`_cell_value`), openpyxl's own check of it and measuring its
    width are done once per distinct value rather than once per cell."""

    def __init__(self, ws: Any) -> None:
        self._probe = Cell(ws)
        self._known: dict[CellValue, _Bound] = {}

    def bind(self, value: CellValue) -> _Bound:
        kind = type(value)
        if kind is int or kind is float:
            return value, "n", False, len(str(value))
        if value is None:
            return None, "n", False, 0
        known = self._known.get(value)
        if known is None:
            stored = _cell_value(value)
            probe = self._probe
            probe.value = stored  # openpyxl's type detection and text check
            is_date = isinstance(stored, (dt.date, dt.datetime))
            known = (probe._value, probe.data_type, is_date, _text_width(value))
            self._known[value] = known
        return known


class _Styles:
    """One style per distinct (kind of cell, fill colour), built on first use and shared by
    every cell that has it (a per-cell named-style look-up and copy was the earlier cost)."""

    def __init__(self, ws: Any, names: dict[str, str]) -> None:
        self._ws = ws
        self._names = names
        self._arrays: dict[tuple[str, str | None], Any] = {}
        self._ids: dict[tuple[str, str | None], int] = {}

    def array(self, kind: str, colour: str | None) -> Any:
        key = (kind, colour or None)
        found = self._arrays.get(key)
        if found is None:
            probe = Cell(self._ws)
            probe.style = self._names[kind]
            fill = _fill(colour)
            if fill is not None:
                probe.fill = fill
            found = self._arrays[key] = probe._style
        return found

    def style_id(self, kind: str, colour: str | None) -> int:
        key = (kind, colour or None)
        found = self._ids.get(key)
        if found is None:
            probe = Cell(self._ws)
            probe._style = self.array(kind, colour)
            found = self._ids[key] = probe.style_id  # registers it in the workbook
        return found


class _RowCell(Cell):
    """A body cell of one column, reused for every row: the row is written out as soon as it
    is appended, so the next row can set the same object again. Its style id is set directly
    (openpyxl would otherwise hash the cell's style once more for every cell)."""

    __slots__ = ("has_style", "style_id")


def _quick_rows_possible(ws: Any) -> bool:
    """The quick body writer relies on openpyxl's write-only internals (3.1): the worksheet
    turns each appended row into cells with ``_values_to_row`` and the writer reads a cell's
    ``has_style`` and ``style_id``. Otherwise the public API is used (the same file)."""
    return (hasattr(type(ws), "_values_to_row")
            and isinstance(getattr(Cell, "style_id", None), property)
            and isinstance(getattr(Cell, "has_style", None), property))


def _prepare(table: Table, ncols: int, binder: _Binder) -> list[int]:
    """First pass over the rows (they are in memory already): each column's widest text, so
    the column widths can be written before the rows."""
    widths = [_text_width(col.header) for col in table.columns] + [0] * ncols
    bind = binder.bind
    for row in table.rows:
        for c, value in enumerate(row[:ncols]):
            width = bind(value)[3]
            if width > widths[c]:
                widths[c] = width
    return widths[:ncols]


def _write_body_quick(ws: Any, table: Table, ncols: int, kinds: list[str], styles: _Styles,
                      binder: _Binder) -> None:
    cells = []
    for c in range(ncols):
        cell = _RowCell(ws, HEADER_ROW + 1, c + 1)
        cell.has_style = True
        cells.append(cell)
    # The rows appended below are lists of ready cells: hand them to the writer as they are
    # (openpyxl would first try each one as a value and catch the error).
    ws._values_to_row = lambda values, row_idx: values
    patterns: dict[Any, tuple[list[int | None], list[str | None]]] = {}

    def pattern(fills: Any) -> tuple[list[int | None], list[str | None]]:
        """The style ids of one colouring of a row (filled in as cells need them)."""
        found = patterns.get(fills)
        if found is None:
            colours = [
                (fills[c] if c < len(fills) else None) if isinstance(fills, tuple) else fills
                for c in range(ncols)]
            found = patterns[fills] = ([None] * ncols, colours)
        return found

    bind = binder.bind
    style_id = styles.style_id
    fills = table.fills
    nfills = len(fills)
    append = ws.append
    for i, row in enumerate(table.rows):
        ids, colours = pattern(fills[i] if i < nfills else None)
        r = HEADER_ROW + 1 + i
        n = min(len(row), ncols)
        for c in range(n):
            cell = cells[c]
            cell.row = r
            value = row[c]
            kind = type(value)
            if kind is int or kind is float:
                cell._value = value
                cell.data_type = "n"
                is_date = False
            else:
                stored, data_type, is_date, _width = bind(value)
                cell._value = stored
                cell.data_type = data_type
            if is_date:
                cell.style_id = style_id(DATE, colours[c])
            else:
                sid = ids[c]
                if sid is None:
                    sid = ids[c] = style_id(kinds[c], colours[c])
                cell.style_id = sid
        append(cells if n == ncols else cells[:n])


class _Fragments:
    """The XML of a body cell after its reference (``<c r="B12"`` + *fragment*), worked out
    once per distinct (value, style) by openpyxl's own cell writer, so the rows can be
    written as text and still be byte for byte what openpyxl writes cell by cell (escaping,
    ``xml:space``, date serial numbers, non-ASCII characters as references, empty cells)."""

    def __init__(self, ws: Any) -> None:
        from lxml.etree import xmlfile
        from openpyxl.cell._writer import write_cell
        from openpyxl.xml.constants import SHEET_MAIN_NS

        self._ws = ws
        self._xmlfile = xmlfile
        self._write_cell = write_cell
        self._ns = SHEET_MAIN_NS
        self._numbers: dict[int, tuple[str, str]] = {}

    def number(self, sid: int) -> tuple[str, str]:
        """What goes before and after a finite number's digits (openpyxl: ``%.16g``)."""
        found = self._numbers.get(sid)
        if found is None:
            before, digits, after = self.probe(1, "n", sid).rpartition(">1<")
            if not digits:
                raise ValueError("openpyxl wrote a number in an unexpected form")
            found = self._numbers[sid] = (before + ">", "<" + after)
        return found

    def probe(self, stored: CellValue, data_type: str, sid: int) -> str:
        cell = _RowCell(self._ws, 1, 1)
        cell.has_style = True
        cell.style_id = sid
        cell._value = stored
        cell.data_type = data_type
        out = io.BytesIO()
        with self._xmlfile(out) as xf, xf.element("worksheet", xmlns=self._ns), \
                xf.element("sheetData"), xf.element("row", {"r": "1"}):
            self._write_cell(xf, self._ws, cell, True)
        text = out.getvalue().decode("ascii")
        head = '<row r="1"><c r="A1"'
        start = text.index(head) + len(head)
        return text[start:text.rindex("</row>")]


def _direct_rows_possible(ws: Any) -> bool:
    """The direct body writer relies on openpyxl 3.1's write-only internals: the sheet's
    stream is made by ``WorksheetWriter(ws, out)`` (lxml's ``xmlfile`` on ``out``) when the
    first row is appended, each row goes through ``write_row(xf, row, row_idx)``, cells are
    written by lxml's cell writer and the archive copies the file named ``writer.out``."""
    try:
        import openpyxl.cell._writer as cell_writer
        import openpyxl.worksheet._writer as sheet_writer

        out = inspect.signature(sheet_writer.WorksheetWriter).parameters.get("out")
        return (_quick_rows_possible(ws)
                and getattr(ws, "_writer", False) is None
                and out is not None
                and callable(getattr(sheet_writer, "create_temporary_file", None))
                and callable(getattr(sheet_writer.WorksheetWriter, "write_row", None))
                and cell_writer.write_cell is cell_writer.lxml_write_cell)
    except (ImportError, AttributeError, TypeError, ValueError):
        return False


def _open_stream(ws: Any) -> io.BufferedWriter:
    """Make the sheet's stream as openpyxl would (its temporary file, the top of the sheet),
    but through a file object of ours, so the body rows can be written to it as text."""
    import openpyxl.worksheet._writer as sheet_writer

    path = sheet_writer.create_temporary_file()
    stream = open(path, "wb")  # noqa: SIM115 - closed by fill_workbook
    try:
        writer = sheet_writer.WorksheetWriter(ws, out=stream)
        writer.out = path  # the archive copies the file, the clean-up removes it
        ws._writer = writer
        writer.write_top()
    except BaseException:
        stream.close()
        raise
    return stream


def _write_body_direct(ws: Any, table: Table, ncols: int, kinds: list[str], styles: _Styles,
                       binder: _Binder, stream: io.BufferedWriter) -> None:
    """The body rows as text, from one fragment per distinct (value, style), written to the
    sheet's stream between openpyxl's header rows and its ``</sheetData>``."""
    fragments = _Fragments(ws)
    heads = ['<c r="' + get_column_letter(c + 1) for c in range(ncols)]
    # Per colouring of a row, per column: the fragments of the values met so far (shared by
    # every colouring with the same style in that column) and the text around a number.
    patterns: dict[Any, tuple[list[dict[CellValue, str]], list[tuple[str, str] | None],
                              list[str | None]]] = {}
    shared: dict[tuple[str, str | None], dict[CellValue, str]] = {}
    bind = binder.bind
    style_id = styles.style_id
    fills = table.fills
    nfills = len(fills)

    def pattern(fills_of_row: Any) -> tuple[list[dict[CellValue, str]],
                                            list[tuple[str, str] | None], list[str | None]]:
        found = patterns.get(fills_of_row)
        if found is None:
            colours = [
                (fills_of_row[c] if c < len(fills_of_row) else None)
                if isinstance(fills_of_row, tuple) else fills_of_row
                for c in range(ncols)]
            known = [shared.setdefault((kinds[c], colours[c] or None), {})
                     for c in range(ncols)]
            found = patterns[fills_of_row] = (known, [None] * ncols, colours)
        return found

    def number(c: int, colours: list[str | None]) -> tuple[str, str]:
        return fragments.number(style_id(kinds[c], colours[c]))

    def fragment(value: CellValue, c: int, colours: list[str | None]) -> str:
        stored, data_type, is_date, _width = bind(value)
        sid = style_id(DATE if is_date else kinds[c], colours[c])
        return fragments.probe(stored, data_type, sid)

    def write_rows(xf: Any, _row: Any, _row_idx: int) -> None:
        xf.flush()  # what lxml holds goes out first: the body follows it in the file
        chunk: list[str] = []
        add = chunk.append
        for i, row in enumerate(table.rows):
            known, numbers, colours = pattern(fills[i] if i < nfills else None)
            r = HEADER_ROW + 1 + i
            ref = f'{r}"'
            add(f'<row r="{r}">')
            for c in range(min(len(row), ncols)):
                value = row[c]
                kind = type(value)
                if kind is int or kind is float:  # numbers: not kept (True == 1, nan != nan)
                    if kind is int or isfinite(value):  # type: ignore[arg-type]
                        around = numbers[c]
                        if around is None:
                            around = numbers[c] = number(c, colours)
                        digits = "%.16g" % value  # type: ignore[str-format]  # noqa: UP031
                        add(heads[c] + ref + around[0] + digits + around[1])
                    else:
                        add(heads[c] + ref + fragment(value, c, colours))
                    continue
                found = known[c].get(value)
                if found is None:
                    found = known[c][value] = fragment(value, c, colours)
                add(heads[c] + ref + found)
            add("</row>")
            if len(chunk) > 8000:
                stream.write("".join(chunk).encode("ascii"))
                chunk.clear()
        stream.write("".join(chunk).encode("ascii"))

    writer = ws._writer
    writer.write_row = write_rows
    try:
        ws.append([])  # one call of write_row: it writes every body row
    finally:
        del writer.write_row


def _write_body_plain(ws: Any, table: Table, ncols: int, kinds: list[str], styles: _Styles,
                      binder: _Binder) -> None:
    """The same rows through openpyxl's public API only (one new cell per value)."""
    fills = table.fills
    nfills = len(fills)
    for i, row in enumerate(table.rows):
        row_fills = fills[i] if i < nfills else None
        cells = []
        for c, value in enumerate(row[:ncols]):
            if isinstance(row_fills, tuple):
                colour = row_fills[c] if c < len(row_fills) else None
            else:
                colour = row_fills
            stored, _type, is_date, _width = binder.bind(value)
            kind = DATE if is_date else kinds[c]
            cell = Cell(ws, 1, c + 1, style_array=styles.array(kind, colour))
            cell.value = stored
            cells.append(cell)
        ws.append(cells)


def fill_workbook(wb: Workbook, table: Table, *, quick: bool = True, direct: bool = True
                  ) -> None:
    """Write ``table`` on a new sheet of ``wb``, a write-only workbook
    (``Workbook(write_only=True)``): everything that comes before the rows in the file (column
    widths, frozen panes, sheet properties) is set before the first row is appended.

    The body rows are written as text from fragments made by openpyxl's own cell writer
    (:func:`_write_body_direct`); ``direct=False`` reuses one cell per column instead
    (:func:`_write_body_quick`); ``quick=False`` writes the body through openpyxl's public
    API only. All three write the same file; the first possible one is used (openpyxl's
    internals may not be the expected ones). The sheet is complete (closed) on return."""
    if not getattr(wb, "write_only", False):
        raise ValueError("fill_workbook needs Workbook(write_only=True)")
    ws = wb.create_sheet(_sheet_title(table.sheet_name))
    direct = quick and direct and _direct_rows_possible(ws)
    opened: list[io.BufferedWriter] = []
    try:
        _fill_sheet(ws, wb, table, quick, direct, opened)
    finally:
        for stream in opened:
            stream.close()


def _fill_sheet(ws: Any, wb: Workbook, table: Table, quick: bool, direct: bool,
                opened: list[io.BufferedWriter]) -> None:
    ncols = max(len(table.columns), 1)
    last_col = get_column_letter(ncols)
    names = _register_styles(wb)
    styles = _Styles(ws, names)
    binder = _Binder(ws)
    fitted = _prepare(table, ncols, binder)

    # Column widths and the kind of each column's body cells (a date cell stays a date).
    kinds: list[str] = []
    widths: list[float] = []
    for c, column in enumerate(table.columns):
        width = column.width or min(MAX_WIDTH, max(6, fitted[c]) + 2)
        widths.append(width)
        ws.column_dimensions[get_column_letter(c + 1)].width = width
        too_wide = column.width is None and fitted[c] > MAX_WIDTH
        kinds.append("wrap" if column.wrap or too_wide else "body")
    kinds += ["body"] * (ncols - len(kinds))
    lines = 1
    for column, width in zip(table.columns, widths, strict=True):
        lines = max(lines, -(-len(column.header) // max(1, int(width) - 2)))
    ws.row_dimensions[TITLE_ROW].height = 22
    ws.row_dimensions[HEADER_ROW].height = max(30, 15 * lines + 4)
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    # The sheet properties (fit to page) go before the rows in the file: set them first.
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    last_row = HEADER_ROW + max(len(table.rows), 1)
    ws.auto_filter.ref = f"A{HEADER_ROW}:{last_col}{last_row}"
    # The sheet's size (<dimension>, which readers use for the row count before reading the
    # rows): openpyxl writes it when the sheet can say it, which a write-only sheet cannot.
    size = f"A1:{last_col}{HEADER_ROW + len(table.rows)}"
    ws.calculate_dimension = lambda: size

    # Everything above is written at the top of the sheet when its stream is made.
    stream = _open_stream(ws) if direct else None
    if stream is not None:
        opened.append(stream)
    title = WriteOnlyCell(ws, table.title)
    title.font = Font(bold=True, size=14)
    ws.append([title])
    if table.subtitle:
        subtitle = WriteOnlyCell(ws, table.subtitle)
        subtitle.font = Font(italic=True)
        ws.append([subtitle])
    else:
        ws.append([])
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(ws, column.header)
        cell.style = names["header"]
        header.append(cell)
    ws.append(header)
    if stream is not None:
        if table.rows:
            _write_body_direct(ws, table, ncols, kinds, styles, binder, stream)
    else:
        quick = quick and _quick_rows_possible(ws)
        write_body = _write_body_quick if quick else _write_body_plain
        write_body(ws, table, ncols, kinds, styles, binder)
    ws.close()  # the end of the sheet is written (before fill_workbook closes its stream)


def write_table(path: Path | str, table: Table) -> Path:
    """Write ``table`` to ``path`` (.xlsx) through a temporary file; returns the path."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    wb = Workbook(write_only=True)
    try:
        # Inside atomic_path: the rows stream to openpyxl's own temporary file as they are
        # appended, so a full disk shows up here already and gets the same clear message.
        with atomic_path(target) as tmp:
            fill_workbook(wb, table)
            wb.save(tmp)
    except BaseException:
        _discard_streams(wb)
        raise
    return target


def _discard_streams(wb: Workbook) -> None:
    """After a failed export: close the sheets' half-written streams and remove openpyxl's
    temporary files now rather than at the program's exit."""
    for ws in wb.worksheets:
        rows = getattr(ws, "_rows", None)
        writer = getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        if writer is None:
            continue
        with contextlib.suppress(Exception):
            writer.close()
        if os.path.exists(writer.out):
            with contextlib.suppress(Exception):
                writer.cleanup()


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
                len(rows) + 1, o.unit_name, o.directive_symbol, o.task_title,
                o.period_label, o.due_date,
                s.number_symbol if s else "", s.signed_date if s else None,
                s.received_date if s else None, s.signer if s else "",
                s.channel.label if s else "", s.summary if s else "",
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
    # "Hạn theo văn bản" only when a due date was shifted off a day off (docs/domain.md)
    shifted = any(r.nominal_due is not None for r in rows_in)
    columns = (Column("STT"), Column("Đơn vị"), Column("Loại đơn vị"), Column("Văn bản chỉ đạo"),
               Column("Nhiệm vụ"), Column("Kỳ báo cáo"), Column("Hạn"),
               *((Column("Hạn theo văn bản"),) if shifted else ()),
               Column("Quá hạn (ngày)"), Column("Trạng thái"))
    rows: list[tuple[CellValue, ...]] = []
    fills: list[str | tuple[str | None, ...] | None] = []
    for i, r in enumerate(rows_in, start=1):
        late: CellValue = r.days_past_due if r.days_past_due > 0 else None
        nominal: tuple[CellValue, ...] = (r.nominal_due,) if shifted else ()
        rows.append((i, r.unit_name, r.unit_kind.label, r.directive_symbol, r.task_title,
                     r.period_label, r.due_date, *nominal, late, r.status.label))
        fills.append((None,) * (len(columns) - 1) + (r.status.colour,))
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
    ordered = sorted(units.values(), key=row_unit_key)
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
                text += f" ({fmt(cell.first_received)})"
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
