"""No small file can hang the program: hostile .xlsx files, generated here, are refused before
openpyxl parses them — each in well under a second and with little memory."""

from __future__ import annotations

import os
import time
import tracemalloc
import zipfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from app.db import Database
from app.errors import ValidationError
from app.exchange import xlsx_limits
from app.exchange.xlsx_import import preview_import, write_template
from app.exchange.xlsx_limits import ImportCancelled, scan_workbook
from tests.core._exchange_data import TODAY, snapshot
from tests.helpers import db_arg


def _base_parts(tmp_path: Path) -> dict[str, bytes]:
    """The parts of a real one-row workbook, to replace one of them with something hostile."""
    path = tmp_path / "base.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên đơn vị", "Loại đơn vị"])
    ws.append(["UBND xã A", "xã"])
    wb.save(path)
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _write(path: Path, parts: dict[str, bytes | Iterator[bytes]]) -> Path:
    """Write parts; an iterator of chunks is deflated as it comes (a gigabyte never exists
    in memory: zip bombs are written the way they are read)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            if isinstance(data, bytes):
                zf.writestr(name, data)
            else:
                with zf.open(name, "w", force_zip64=True) as f:
                    for chunk in data:
                        f.write(chunk)
    return path


def _repeat(head: bytes, chunk: bytes, times: int, tail: bytes) -> Iterator[bytes]:
    yield head
    for _ in range(times):
        yield chunk
    yield tail


def _refused_quickly(db: Database, path: Path, words: str) -> str:
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        preview_import(db, "units", path, today=TODAY)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert words in info.value.message, info.value.message
    assert elapsed < 1.0, f"{elapsed:.2f} s"
    assert peak < 30 * 1024 * 1024, f"{peak / 1e6:.0f} MB"
    return info.value.message


@pytest.fixture(scope="module")
def gigabyte_string(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 1 MB on disk; its sharedStrings holds one 1 GiB string."""
    tmp = tmp_path_factory.mktemp("bomb")
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp))
    parts["xl/sharedStrings.xml"] = _repeat(
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>',
        b"A" * (1024 * 1024),
        1024,
        b"</t></si></sst>",
    )
    return _write(tmp / "bomb.xlsx", parts)


def test_gigabyte_shared_string_is_refused_before_parsing(
    sample_db: Database, gigabyte_string: Path
) -> None:
    assert gigabyte_string.stat().st_size < 2 * 1024 * 1024
    with zipfile.ZipFile(gigabyte_string) as zf:
        assert zf.getinfo("xl/sharedStrings.xml").file_size > 1024**3
    message = _refused_quickly(sample_db, gigabyte_string, "sharedStrings.xml")
    assert "giải nén" in message and "Excel" in message


def test_part_that_compresses_too_well_is_refused(sample_db: Database, tmp_path: Path) -> None:
    """Under the size limit but 1,000 times smaller compressed: a bomb, not a list."""
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    parts["xl/worksheets/sheet1.xml"] = _repeat(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        row * 20_000,
        60,
        b"</sheetData></worksheet>",
    )
    path = _write(tmp_path / "ratio.xlsx", parts)
    _refused_quickly(sample_db, path, "nén")


def test_lying_zip_directory_cannot_smuggle_a_big_part(tmp_path: Path) -> None:
    """The declared size is what the zip reader gives at most: a part that lies about its size
    comes out cut short and fails its checksum; it is refused, not read."""
    parts = _base_parts(tmp_path)
    body = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
        + b"B" * 5_000_000
        + b"</t></si></sst>"
    )
    parts["xl/sharedStrings.xml"] = body
    path = _write(tmp_path / "liar.xlsx", dict(parts))
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("xl/sharedStrings.xml")
    declared = (1000).to_bytes(4, "little")
    central = raw.rfind(b"xl/sharedStrings.xml")  # the central directory entry
    raw[central - 46 + 24 : central - 46 + 28] = declared
    local = raw.find(b"xl/sharedStrings.xml")
    raw[local - 30 + 22 : local - 30 + 26] = declared
    path.write_bytes(bytes(raw))
    with zipfile.ZipFile(path) as zf:
        assert zf.getinfo("xl/sharedStrings.xml").file_size == 1000 != info.file_size
    with pytest.raises(ValidationError) as err:
        scan_workbook(path)
    assert "hỏng" in err.value.message


def _sheet_xml(rows: str) -> bytes:
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + rows.encode() + b"</sheetData></worksheet>"
    )


@pytest.mark.parametrize(
    ("sheet", "words"),
    [
        ('<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>', "dòng"),
        ('<row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', "cột"),
        (
            '<row r="1"><c r="A1" t="inlineStr"><is><t>' + "x" * 40_000 + "</t></is></c></row>",
            "32.767 ký tự",
        ),
        (
            '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
            '<mergeCells><mergeCell ref="A2:A1048576"/></mergeCells><sheetData>',
            "ô gộp",
        ),
    ],
)
def test_far_away_cells_and_long_cells_are_refused(
    sample_db: Database, tmp_path: Path, sheet: str, words: str
) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    parts["xl/worksheets/sheet1.xml"] = _sheet_xml(sheet)
    _refused_quickly(sample_db, _write(tmp_path / "far.xlsx", parts), words)


def test_deeply_nested_sheet_is_refused(sample_db: Database, tmp_path: Path) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    depth = 200_000
    parts["xl/worksheets/sheet1.xml"] = _repeat(
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>',
        b"<a>" * 1000,
        depth // 1000,
        b"",
    )
    _refused_quickly(sample_db, _write(tmp_path / "deep.xlsx", parts), "lồng nhau")


def test_too_many_rows_are_refused_before_openpyxl(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet of 150,000 tiny rows (under the size and ratio limits) is refused by the scan
    at its first row past the limit."""
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    body = "".join(
        f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>x{r}</t></is></c></row>'
        for r in range(1, 150_001)
    )
    parts["xl/worksheets/sheet1.xml"] = _sheet_xml(body)
    path = _write(tmp_path / "rows.xlsx", parts)
    loads: list[object] = []
    monkeypatch.setattr(
        "app.exchange.xlsx_import.read.load_workbook", lambda *a, **k: loads.append(a)
    )  # never reached
    start = time.perf_counter()
    with pytest.raises(ValidationError) as info:
        preview_import(sample_db, "units", path, today=TODAY)
    assert "101.100" in info.value.message
    assert time.perf_counter() - start < 2.0
    assert loads == []


def test_cli_refuses_a_bomb_without_traceback(
    sample_db: Database, gigabyte_string: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = snapshot(sample_db)
    start = time.perf_counter()
    code = run(["--db", db_arg(sample_db), "import", "units", str(gigabyte_string)])
    assert time.perf_counter() - start < 3.0
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("Lỗi: ") and "Traceback" not in err
    assert snapshot(sample_db) == before


def test_normal_files_pass_the_scan(tmp_path: Path) -> None:
    """The template (styled empty rows to 1003), and a 10,000-row list, are within every
    limit; the scan of the latter is quick."""
    scan = scan_workbook(write_template("submissions", tmp_path / "t.xlsx"))
    assert [s.title for s in scan.sheets] == ["Nhập liệu", "Hướng dẫn"]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên đơn vị", "Loại đơn vị", "Ghi chú"])
    for i in range(10_000):
        ws.append([f"UBND xã Số {i}", "xã", "x" * (i % 50)])
    wb.save(tmp_path / "big.xlsx")
    start = time.perf_counter()
    scan = scan_workbook(tmp_path / "big.xlsx")
    assert time.perf_counter() - start < 2.0
    # "" (every 50th note) is written as no cell at all
    assert scan.sheets[0].max_row == 10_001 and scan.sheets[0].cells == 30_003 - 200


def test_cancel_stops_reading(sample_db: Database, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Tên đơn vị", "Loại đơn vị"])
    for i in range(3_000):
        ws.append([f"UBND xã Số {i}", "xã"])
    wb.save(tmp_path / "c.xlsx")
    calls: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) >= 2:
            raise ImportCancelled()

    with pytest.raises(ImportCancelled):
        preview_import(sample_db, "units", tmp_path / "c.xlsx", today=TODAY, progress=progress)
    assert len(calls) == 2


def test_limits_are_the_documented_ones() -> None:
    text = (Path(__file__).parents[2] / "docs" / "reliability.md").read_text(encoding="utf-8")
    for value in (xlsx_limits.MAX_RATIO, "100 MB", "32.767", "101.100", "1.000 cột", "64 mức"):
        assert str(value) in text, value


def test_thousands_of_cell_formats_are_refused(sample_db: Database, tmp_path: Path) -> None:
    """openpyxl builds an object per style record: 50,000 of them (a 23 KB file) took 15 s."""
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    styles = parts["xl/styles.xml"]
    assert isinstance(styles, bytes)
    start, end = styles.index(b"<cellXfs"), styles.index(b"</cellXfs>")
    xf = b"<xf/>"  # short: under the size where the compression ratio is looked at
    parts["xl/styles.xml"] = (
        styles[:start] + b'<cellXfs count="50000">' + xf * 50_000 + styles[end:]
    )
    path = _write(tmp_path / "styles.xlsx", parts)
    assert path.stat().st_size < 100_000
    _refused_quickly(sample_db, path, "định dạng ô")


def test_deep_xml_in_another_part_is_refused(sample_db: Database, tmp_path: Path) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    parts["docProps/custom.xml"] = b"<a>" * 100_000
    _refused_quickly(sample_db, _write(tmp_path / "deep2.xlsx", parts), "lồng nhau")


@pytest.mark.parametrize(
    "part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/workbook.xml"]
)
def test_truncated_xml_part_is_a_damaged_file(
    sample_db: Database, tmp_path: Path, part: str, capsys: pytest.CaptureFixture[str]
) -> None:
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    if part not in parts:
        parts[part] = (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<si><t>x</t></si></sst>"
        )
    data = parts[part]
    assert isinstance(data, bytes)
    parts[part] = data[: len(data) // 2]
    path = _write(tmp_path / "cut.xlsx", parts)
    with pytest.raises(ValidationError) as err:
        preview_import(sample_db, "units", path, today=TODAY)
    assert "hỏng" in err.value.message
    assert run(["--db", db_arg(sample_db), "import", "units", str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_formatted_empty_cells_count_too(
    sample_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cells with only a format hold no value but openpyxl parses each: they are counted
    (the limit lowered here so that a small file shows it)."""
    monkeypatch.setattr(xlsx_limits, "MAX_CELL_ELEMENTS", 500)
    parts: dict[str, bytes | Iterator[bytes]] = dict(_base_parts(tmp_path))
    rows = "".join(
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" s="0"/>' for c in "ABCDEFGHIJ") + "</row>"
        for r in range(1, 61)
    )
    parts["xl/worksheets/sheet1.xml"] = _sheet_xml(rows)
    _refused_quickly(sample_db, _write(tmp_path / "styled.xlsx", parts), "ô trống có định dạng")


_FRAGMENTS = [
    "<row>",
    "</row>",
    '<row r="0">',
    '<row r="-1">',
    '<row r="99999999999999999999">',
    '<c r="A">',
    '<c r="ZZZZ1">',
    '<c r="A1" t="s"><v>99999</v></c>',
    "<f>1/0</f>",
    "<v></v>",
    '<c t="inlineStr"><is><t>ký tự</t></is></c>',
    "</c>",
    "<is>",
    "&#0;",
    "&amp;",
    "&bogus;",
    '<mergeCell ref="B:A"/>',
    '<mergeCell ref=""/>',
    "<![CDATA[x]]>",
    "<!-- c -->",
    '<?xml version="1.0"?>',
    "\x00",
    "é",
    "<a:row>",
]


@pytest.mark.parametrize("seed", range(30 * int(os.environ.get("SOTHEODOI_FUZZ_SCALE", "1"))))
def test_mutated_sheets_fail_only_with_a_vietnamese_message(
    sample_db: Database, tmp_path: Path, seed: int
) -> None:
    """Fragments of sheet XML spliced anywhere into a real sheet (or, every other file, into
    another XML part): the scan and the importer either read the file or refuse it with an
    AppError, never anything else."""
    import random

    from app.errors import AppError

    rnd = random.Random(seed)
    parts = _base_parts(tmp_path)
    part = (
        "xl/worksheets/sheet1.xml"
        if seed % 2 == 0
        else rnd.choice(sorted(n for n in parts if n.endswith((".xml", ".rels"))))
    )
    text = parts[part].decode()
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(text))
        text = text[:at] + rnd.choice(_FRAGMENTS) + text[at:]
    parts[part] = text.encode()
    path = _write(tmp_path / "m.xlsx", dict(parts))
    start = time.perf_counter()
    try:
        preview_import(sample_db, "units", path, today=TODAY)
    except AppError as exc:
        assert exc.message and any(ch in exc.message for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệ")
    assert time.perf_counter() - start < 2.0
