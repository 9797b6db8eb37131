"""The export is written in openpyxl's write-only mode; read back in normal mode, the file keeps
every feature of the export: values, date cells and their format, the styled header, widths,
autofilter, frozen panes, print setup, the sheet name and Vietnamese text."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl import Workbook

from app.errors import AppError
from app.exchange.xlsx_writer import (
    DATE_FORMAT,
    HEADER_ROW,
    MAX_WIDTH,
    SUBTITLE_ROW,
    TITLE_ROW,
    CellValue,
    Column,
    Table,
    _cell_internals_possible,
    _direct_rows_possible,
    fill_workbook,
    write_table,
)

LONG = "Báo cáo kết quả thực hiện " * 5  # wider than MAX_WIDTH


def _table() -> Table:
    columns = (
        Column("Đơn vị"),
        Column("Hạn"),
        Column("Số"),
        Column("Ghi chú", wrap=True),
        Column("Trích yếu"),
        Column("Cố định", width=22),
    )
    rows = [
        ("UBND huyện Sơn Tịnh", dt.date(2018, 4, 30), 3, "dòng một\ndòng hai", LONG, "x"),
        ("Sở Nội vụ", dt.datetime(2018, 5, 2, 8, 30), None, "", dt.date(2018, 1, 2), None),
        ("=SUM(A1)", None, 1.5, None, "ngắn", "y"),
    ]
    fills: list[str | tuple[str | None, ...] | None] = [
        "#ffb3b3",
        (None, "#c6efce", None, None, "#ffeb9c", None),
        None,
    ]
    return Table(
        "TIẾP NHẬN BÁO CÁO CỦA CÁC ĐƠN VỊ",
        columns,
        rows,
        fills,
        subtitle="Tính đến ngày 02/05/2018.",
        sheet_name="Báo cáo: 6/2018",
    )


@pytest.fixture()
def book(tmp_path: Path) -> openpyxl.Workbook:
    path = write_table(tmp_path / "bao-cao.xlsx", _table())
    return openpyxl.load_workbook(path)


def test_sheet_title_and_vietnamese_text(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == ["Báo cáo- 6-2018"]
    ws = book.active
    assert ws.cell(TITLE_ROW, 1).value == "TIẾP NHẬN BÁO CÁO CỦA CÁC ĐƠN VỊ"
    assert ws.cell(TITLE_ROW, 1).font.bold and ws.cell(TITLE_ROW, 1).font.size == 14
    assert ws.row_dimensions[TITLE_ROW].height == 22
    assert ws.cell(SUBTITLE_ROW, 1).value == "Tính đến ngày 02/05/2018."
    assert ws.cell(SUBTITLE_ROW, 1).font.italic


def test_values_and_dates(book: openpyxl.Workbook) -> None:
    ws = book.active
    rows = [tuple(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert rows[0][0] == "UBND huyện Sơn Tịnh"
    assert rows[0][1] == dt.datetime(2018, 4, 30)
    assert rows[0][2] == 3 and rows[0][3] == "dòng một\ndòng hai"
    assert rows[1][1] == dt.datetime(2018, 5, 2, 8, 30)
    assert rows[1][2] is None and rows[1][4] == dt.datetime(2018, 1, 2)
    assert rows[2][0] == "'=SUM(A1)"  # a text, never a formula
    assert ws.cell(HEADER_ROW + 3, 1).data_type == "s"
    assert rows[2][2] == 1.5
    for r, c in ((1, 2), (2, 2), (2, 5)):
        cell = ws.cell(HEADER_ROW + r, c)
        assert cell.is_date and cell.number_format == DATE_FORMAT
        assert cell.alignment.horizontal == "center"
    assert ws.max_row == HEADER_ROW + 3


def test_header_style_and_body_borders(book: openpyxl.Workbook) -> None:
    ws = book.active
    header = list(ws[HEADER_ROW])
    assert [c.value for c in header] == ["Đơn vị", "Hạn", "Số", "Ghi chú", "Trích yếu", "Cố định"]
    for cell in header:
        assert cell.style == "stdt_header"
        assert cell.font.bold and cell.alignment.wrap_text
        assert cell.fill.fill_type == "solid" and cell.fill.start_color.rgb == "FFD9E2F3"
        assert cell.border.bottom.style == "thin"
    assert ws.row_dimensions[HEADER_ROW].height >= 30
    for row in ws.iter_rows(min_row=HEADER_ROW + 1):
        for cell in row:  # empty cells too: the grid is complete
            assert cell.border.left.style == "thin", cell.coordinate
            assert cell.alignment.vertical == "top"
    assert ws.cell(HEADER_ROW + 1, 1).style == "stdt_body"
    assert ws.cell(HEADER_ROW + 1, 4).style == "stdt_wrap"
    assert ws.cell(HEADER_ROW + 1, 2).style == "stdt_date"


def test_fills_per_row_and_per_cell(book: openpyxl.Workbook) -> None:
    ws = book.active
    first = [ws.cell(HEADER_ROW + 1, c).fill.start_color.rgb for c in range(1, 7)]
    assert first == ["FFFFB3B3"] * 6
    second = ws.cell(HEADER_ROW + 2, 2)
    assert second.fill.start_color.rgb == "FFC6EFCE" and second.is_date  # fill and date
    assert ws.cell(HEADER_ROW + 2, 5).fill.start_color.rgb == "FFFFEB9C"
    assert ws.cell(HEADER_ROW + 2, 1).fill.fill_type is None
    assert all(ws.cell(HEADER_ROW + 3, c).fill.fill_type is None for c in range(1, 7))


def test_widths(book: openpyxl.Workbook) -> None:
    ws = book.active
    dims = ws.column_dimensions
    assert dims["A"].width == len("UBND huyện Sơn Tịnh") + 2
    assert dims["B"].width == 12  # a date: 10 characters
    assert dims["C"].width == 8  # at least 6 characters
    assert dims["E"].width == MAX_WIDTH  # capped …
    assert ws.cell(HEADER_ROW + 1, 5).alignment.wrap_text  # … and wrapped
    assert ws.cell(HEADER_ROW + 2, 5).number_format == DATE_FORMAT  # dates stay dates
    assert ws.cell(HEADER_ROW + 2, 5).fill.start_color.rgb == "FFFFEB9C"  # and keep the fill
    assert dims["F"].width == 22  # a fixed width is kept


def test_filter_panes_and_print_setup(book: openpyxl.Workbook) -> None:
    ws = book.active
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:F{HEADER_ROW + 3}"
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"
    assert ws.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"  # header repeated per page
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_one_style_per_distinct_style(book: openpyxl.Workbook) -> None:
    # title, subtitle, header, body/wrap/date × the fills used: not one style per cell
    assert len(book._cell_styles) <= 12
    assert {"stdt_header", "stdt_body", "stdt_wrap", "stdt_date"} <= set(book.named_styles)


def test_empty_table_and_no_subtitle(tmp_path: Path) -> None:
    table = Table("DANH SÁCH", (Column("STT"), Column("Tên")), [])
    ws = openpyxl.load_workbook(write_table(tmp_path / "rong.xlsx", table)).active
    assert ws.cell(TITLE_ROW, 1).value == "DANH SÁCH"
    assert ws.cell(SUBTITLE_ROW, 1).value is None
    assert [c.value for c in ws[HEADER_ROW]] == ["STT", "Tên"]
    assert ws.auto_filter.ref == f"A{HEADER_ROW}:B{HEADER_ROW + 1}"
    assert ws.freeze_panes == f"A{HEADER_ROW + 1}"


def test_many_rows_share_styles(tmp_path: Path) -> None:
    rows = [(i, f"Đơn vị {i % 7}", dt.date(2018, 1 + i % 12, 1)) for i in range(2000)]
    fills: list[str | tuple[str | None, ...] | None] = [
        (None, None, "#ffb3b3" if i % 2 else None) for i in range(2000)
    ]
    table = Table("T", (Column("STT"), Column("Đơn vị"), Column("Hạn")), rows, fills)
    book = openpyxl.load_workbook(write_table(tmp_path / "nhieu.xlsx", table))
    ws = book.active
    assert ws.max_row == HEADER_ROW + 2000
    assert ws.cell(HEADER_ROW + 2000, 3).value == dt.datetime(2018, 8, 1)
    assert ws.cell(HEADER_ROW + 2000, 3).fill.start_color.rgb == "FFFFB3B3"
    assert ws.cell(HEADER_ROW + 1999, 3).fill.fill_type is None
    assert len(book._cell_styles) <= 10


def test_fill_workbook_needs_write_only_mode() -> None:
    with pytest.raises(ValueError):
        fill_workbook(Workbook(), Table("T", (Column("A"),), []))


def test_written_through_a_temporary_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "cu.xlsx"
    target.write_bytes(b"old")

    def broken_save(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(Exception):  # noqa: B017 - atomic_path turns it into an AppError
        write_table(target, Table("T", (Column("A"),), [("a",)]))
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["cu.xlsx"]


def test_failed_export_leaves_no_stream_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl.worksheet._writer as sheet_writer

    made: list[str] = []
    real = sheet_writer.create_temporary_file

    def tracked(suffix: str = "") -> str:
        made.append(real(suffix))
        return made[-1]

    monkeypatch.setattr(sheet_writer, "create_temporary_file", tracked)

    def broken_save(self: Workbook, filename: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(AppError, match="Ổ đĩa đã đầy"):
        write_table(tmp_path / "x.xlsx", _table())
    assert made and not any(Path(p).exists() for p in made)
    assert list(tmp_path.iterdir()) == []


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of the file; the save time in the document properties is left out."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = re.sub(
        rb"<dcterms:(created|modified)[^<]*</dcterms:\w+>", b"", parts["docProps/core.xml"]
    )
    return parts


def _awkward_table() -> Table:
    """Every kind of value the body writer has to write exactly as openpyxl does."""
    values: list[CellValue] = [
        "Tom & Jerry <b>đậm</b> \"kép\" 'đơn' > <",
        "=SUM(A1:A3)",
        "=",
        "+84 255",
        "-",
        "@x",
        "#N/A",
        "Ủy ban nhân dân tỉnh Quảng Ngãi – Sở Nội vụ",
        "dòng một\r\ndòng hai\n\n  ba",
        "  lề trái và phải  ",
        "\tthụt\t",
        "ký tự\x01lạ\x0b\x1f",
        "khoảng\u00a0cách\u200b",
        "dài " * 8000,
        "😀 ngoài BMP",
        "",
        "   ",
        0,
        -5,
        10**17,
        2**63,
        1.5,
        -0.0,
        1e-300,
        1 / 3,
        float("nan"),
        float("inf"),
        float("-inf"),
        True,
        False,
        None,
        dt.date(2018, 4, 30),
        dt.date(1900, 1, 1),
        dt.date(1900, 3, 1),
        dt.date(9999, 12, 31),
        dt.datetime(2018, 5, 2, 8, 30, 15, 123456),
        dt.datetime(2018, 5, 2, 8, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
    ]
    ncols = 7
    rows: list[tuple[CellValue, ...]] = []
    for i in range(3 * len(values)):
        width = (0, 1, 3, ncols, ncols, ncols + 2)[i % 6]  # short, empty and too long rows
        rows.append(tuple(values[(i + c * 5) % len(values)] for c in range(width)))
    colours = (
        "#ffb3b3",
        "#C6EFCE",
        "#abc",
        "",
        None,
        "ffeb9c",
        "#eeeeee",
        "#d9e2f3",
        "#112233",
        "#445566",
        "#778899",
        "#aabbcc",
    )  # style ids past 10 and 20
    fills: list[str | tuple[str | None, ...] | None] = []
    for i in range(len(rows) - 4):  # the last rows have no fill entry at all
        if i % 3 == 0:
            fills.append(colours[i % len(colours)])
        elif i % 3 == 1:
            fills.append(tuple(colours[(i + c) % len(colours)] for c in range(i % 9)))
        else:
            fills.append(None)
    columns = (
        Column("STT"),
        Column("Tên & <đơn vị>"),
        Column("Hạn"),
        Column("Ghi chú", wrap=True),
        Column("Số", width=9),
        Column("Trích yếu"),
        Column(" Cột cuối "),
    )
    return Table(
        "BẢNG & <THỬ>",
        columns,
        rows,
        fills,
        subtitle='Tính đến 02/05/2018 "x"',
        sheet_name="Thử: [1/2]",
    )


@pytest.mark.parametrize(
    "table",
    [
        _table(),
        Table(
            "T",
            (Column("STT"), Column("Đơn vị"), Column("Hạn"), Column("Ghi chú", wrap=True)),
            [
                (
                    i,
                    f"Đơn vị {i % 7}",
                    dt.date(2018, 1 + i % 12, 1) if i % 5 else None,
                    "#N/A" * (i % 2),
                    True,
                )[: 2 + i % 3]
                for i in range(300)
            ],
            [(None, "#ffb3b3" if i % 3 else None) if i % 2 else "#eeeeee" for i in range(250)],
        ),
        _awkward_table(),
        Table("RỖNG", (Column("A"), Column("B")), []),
    ],
    ids=["features", "many", "awkward", "empty"],
)
def test_quick_rows_write_the_same_file_as_openpyxls_public_api(
    tmp_path: Path, table: Table
) -> None:
    ws = Workbook(write_only=True).create_sheet("x")
    assert _cell_internals_possible(ws) and _direct_rows_possible(ws)  # else untested
    files = {}
    for name, direct in (("direct", True), ("public", False)):
        wb = Workbook(write_only=True)
        fill_workbook(wb, table, direct=direct)
        assert wb.worksheets[0].closed
        files[name] = tmp_path / f"{name}.xlsx"
        wb.save(files[name])
    parts = {name: _parts(path) for name, path in files.items()}
    for name in ("public",):
        assert parts[name].keys() == parts["direct"].keys()
        for part in parts["direct"]:
            assert parts[name][part] == parts["direct"][part], (name, part)
    sheet = parts["direct"]["xl/worksheets/sheet1.xml"]
    assert b"<c r=" in sheet and b"</sheetData>" in sheet
    if table.title.startswith("BẢNG & <THỬ>"):  # numbers with a style id holding a "1"
        assert re.search(rb'<c r="[A-Z]+\d+" s="\d*1\d*" t="n"><v>-?\d', sheet)
    if table.rows:
        last = HEADER_ROW + len(table.rows)
        assert f'<row r="{last}">'.encode() in sheet


def test_awkward_values_read_back(tmp_path: Path) -> None:
    table = _awkward_table()
    ws = openpyxl.load_workbook(write_table(tmp_path / "kho.xlsx", table)).active
    got = [
        ws.cell(HEADER_ROW + 1 + i, c + 1).value
        for i, row in enumerate(table.rows)
        for c in range(min(len(row), 7))
    ]
    assert "Tom & Jerry <b>đậm</b> \"kép\" 'đơn' > <" in got
    assert "'=SUM(A1:A3)" in got and "'=" in got  # text, never a formula
    assert "dòng một\ndòng hai\n\n  ba" in got and "lề trái và phải" in got
    assert "ký tựlạ" in got and ("dài " * 8000).strip() in got and "😀 ngoài BMP" in got
    typed = {(type(v), v) for v in got}
    assert {(int, 0), (int, -5), (float, 1e17), (float, 1.5), (bool, True), (bool, False)} <= typed
    assert dt.datetime(2018, 4, 30) in got and dt.datetime(2018, 5, 2, 8, 30) in got
    assert ws.max_row == HEADER_ROW + len(table.rows)


def test_unknown_internals_fall_back_to_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.exchange.xlsx_writer as xlsx_writer

    table = _awkward_table()
    expected = _parts(write_table(tmp_path / "a.xlsx", table))
    monkeypatch.setattr(xlsx_writer, "_direct_rows_possible", lambda ws: False)
    assert _parts(write_table(tmp_path / "b.xlsx", table)) == expected
    monkeypatch.setattr(xlsx_writer, "_cell_internals_possible", lambda ws: False)
    assert _parts(write_table(tmp_path / "c.xlsx", table)) == expected


def test_failed_body_closes_and_removes_its_stream(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openpyxl.worksheet._writer as sheet_writer

    made: list[str] = []
    real = sheet_writer.create_temporary_file

    def tracked(suffix: str = "") -> str:
        made.append(real(suffix))
        return made[-1]

    import app.exchange.xlsx_writer as xlsx_writer

    monkeypatch.setattr(sheet_writer, "create_temporary_file", tracked)
    streams = []
    real_open = xlsx_writer._open_stream

    def open_stream(ws: object) -> object:
        streams.append(real_open(ws))
        return streams[-1]

    def full_disk(self: object, *args: object) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(xlsx_writer, "_open_stream", open_stream)
    monkeypatch.setattr(xlsx_writer._Fragments, "probe", full_disk)
    with pytest.raises(AppError, match="Ổ đĩa đã đầy"):
        write_table(tmp_path / "x.xlsx", _table())
    assert streams and all(s.closed for s in streams)
    assert made and not any(Path(p).exists() for p in made)
    assert list(tmp_path.iterdir()) == []


def test_openpyxl_writes_cells_through_lxml() -> None:
    # lxml is a dependency (pyproject) because openpyxl's lxml cell writer is what the export
    # spends most of its time in; without it the export takes ~35 % longer.
    import openpyxl.cell._writer as cell_writer

    assert openpyxl.LXML
    assert cell_writer.write_cell is cell_writer.lxml_write_cell


def test_sheet_size_is_written_for_readers(tmp_path: Path) -> None:
    path = write_table(tmp_path / "kich-thuoc.xlsx", _table())
    ws = openpyxl.load_workbook(path, read_only=True).active
    assert (ws.max_row, ws.max_column) == (HEADER_ROW + 3, 6)
    assert ws.calculate_dimension() == f"A1:F{HEADER_ROW + 3}"
