"""Write a table to ``.xlsx``: a title row, a bold frozen header, real date cells shown
dd/mm/yyyy, status colours, sensible column widths and an autofilter.

The writer (:func:`write_table`) takes plain rows and column definitions (:class:`Table`), so
the window can export exactly what a table view shows and :mod:`app.exchange.xlsx_export` the
program's lists. It writes the body rows as text from fragments made by openpyxl's own cell
writer (the file is byte for byte what openpyxl writes cell by cell:
``tests/core/test_xlsx_write_only.py``), or through openpyxl's public API when its internals
are not the expected ones.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import inspect
import io
import os
from dataclasses import dataclass, field
from math import isfinite
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.fileio import atomic_path
from app.text import clean

DATE_FORMAT = "DD/MM/YYYY"
TITLE_ROW = 1
SUBTITLE_ROW = 2
HEADER_ROW = 3
MAX_WIDTH = 60
HEADER_FILL = "#d9e2f3"
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
    bad = "[]:*?/\\"
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
    header = NamedStyle(
        name="stdt_header",
        font=Font(bold=True),
        border=border,
        alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
    )
    header_fill = _fill(HEADER_FILL)
    if header_fill is not None:
        header.fill = header_fill
    named = {
        "header": header,
        "body": NamedStyle(name="stdt_body", border=border, alignment=Alignment(vertical="top")),
        "wrap": NamedStyle(
            name="stdt_wrap", border=border, alignment=Alignment(vertical="top", wrap_text=True)
        ),
        "date": NamedStyle(
            name="stdt_date",
            border=border,
            number_format=DATE_FORMAT,
            alignment=Alignment(horizontal="center", vertical="top"),
        ),
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


def _cell_internals_possible(ws: Any) -> bool:
    """The fragments rely on openpyxl's write-only internals (3.1): the worksheet turns each
    appended row into cells with ``_values_to_row`` and a cell's ``has_style`` and ``style_id``
    can be set. Otherwise the public API is used (the same file)."""
    return (
        hasattr(type(ws), "_values_to_row")
        and isinstance(getattr(Cell, "style_id", None), property)
        and isinstance(getattr(Cell, "has_style", None), property)
    )


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
        with (
            self._xmlfile(out) as xf,
            xf.element("worksheet", xmlns=self._ns),
            xf.element("sheetData"),
            xf.element("row", {"r": "1"}),
        ):
            self._write_cell(xf, self._ws, cell, True)
        text = out.getvalue().decode("ascii")
        head = '<row r="1"><c r="A1"'
        start = text.index(head) + len(head)
        return text[start : text.rindex("</row>")]


def _direct_rows_possible(ws: Any) -> bool:
    """The direct body writer relies on openpyxl 3.1's write-only internals: the sheet's
    stream is made by ``WorksheetWriter(ws, out)`` (lxml's ``xmlfile`` on ``out``) when the
    first row is appended, each row goes through ``write_row(xf, row, row_idx)``, cells are
    written by lxml's cell writer and the archive copies the file named ``writer.out``."""
    try:
        import openpyxl.cell._writer as cell_writer
        import openpyxl.worksheet._writer as sheet_writer

        out = inspect.signature(sheet_writer.WorksheetWriter).parameters.get("out")
        return (
            _cell_internals_possible(ws)
            and getattr(ws, "_writer", False) is None
            and out is not None
            and callable(getattr(sheet_writer, "create_temporary_file", None))
            and callable(getattr(sheet_writer.WorksheetWriter, "write_row", None))
            and cell_writer.write_cell is cell_writer.lxml_write_cell
        )
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


def _write_body_direct(
    ws: Any,
    table: Table,
    ncols: int,
    kinds: list[str],
    styles: _Styles,
    binder: _Binder,
    stream: io.BufferedWriter,
) -> None:
    """The body rows as text, from one fragment per distinct (value, style), written to the
    sheet's stream between openpyxl's header rows and its ``</sheetData>``."""
    fragments = _Fragments(ws)
    heads = ['<c r="' + get_column_letter(c + 1) for c in range(ncols)]
    # Per colouring of a row, per column: the fragments of the values met so far (shared by
    # every colouring with the same style in that column) and the text around a number.
    patterns: dict[
        Any, tuple[list[dict[CellValue, str]], list[tuple[str, str] | None], list[str | None]]
    ] = {}
    shared: dict[tuple[str, str | None], dict[CellValue, str]] = {}
    bind = binder.bind
    style_id = styles.style_id
    fills = table.fills
    nfills = len(fills)

    def pattern(
        fills_of_row: Any,
    ) -> tuple[list[dict[CellValue, str]], list[tuple[str, str] | None], list[str | None]]:
        found = patterns.get(fills_of_row)
        if found is None:
            colours = [
                (fills_of_row[c] if c < len(fills_of_row) else None)
                if isinstance(fills_of_row, tuple)
                else fills_of_row
                for c in range(ncols)
            ]
            known = [shared.setdefault((kinds[c], colours[c] or None), {}) for c in range(ncols)]
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


def _write_body_plain(
    ws: Any, table: Table, ncols: int, kinds: list[str], styles: _Styles, binder: _Binder
) -> None:
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


def fill_workbook(wb: Workbook, table: Table, *, direct: bool = True) -> None:
    """Write ``table`` on a new sheet of ``wb``, a write-only workbook
    (``Workbook(write_only=True)``): everything that comes before the rows in the file (column
    widths, frozen panes, sheet properties) is set before the first row is appended.

    The body rows are written as text from fragments made by openpyxl's own cell writer
    (:func:`_write_body_direct`); ``direct=False``, or openpyxl internals that are not the
    expected ones, write the body through openpyxl's public API (:func:`_write_body_plain`).
    Both write the same file, byte for byte. The sheet is complete (closed) on return."""
    if not getattr(wb, "write_only", False):
        raise ValueError("fill_workbook needs Workbook(write_only=True)")
    ws = wb.create_sheet(_sheet_title(table.sheet_name))
    direct = direct and _direct_rows_possible(ws)
    opened: list[io.BufferedWriter] = []
    try:
        _fill_sheet(ws, wb, table, direct, opened)
    finally:
        for stream in opened:
            stream.close()


def _fill_sheet(
    ws: Any, wb: Workbook, table: Table, direct: bool, opened: list[io.BufferedWriter]
) -> None:
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
        _write_body_plain(ws, table, ncols, kinds, styles, binder)
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
