"""Look at an ``.xlsx`` file before anything parses it: no small file can hang the program.

An ``.xlsx`` is a zip of XML parts. A 1 MB file can hold a 1 GiB shared string, a sheet of
millions of rows that compress to nothing, or XML nested a million levels deep; given to
openpyxl such a file takes gigabytes and minutes (docs/reliability.md). :func:`scan_workbook`
checks, in this order and each before the next step reads more:

1. the file's size on disk and the zip's directory: number of parts, each part's uncompressed
   size (the zip reader never gives more than the declared size: a part that lies is cut and
   fails its checksum) and its compression ratio;
2. every other XML part (workbook, styles, theme…), streamed: depth, number of elements, and
   the number of style records;
3. the shared strings, streamed: number of strings, length of each;
4. each worksheet, streamed: depth of the XML, highest row and column, number of cells, length
   of each cell's text — and on the way it collects what openpyxl does not say in the mode we
   read with: merged ranges and formula cells without a cached value.

Every refusal is a :class:`~app.errors.ValidationError` in Vietnamese saying what to do.
"""

from __future__ import annotations

import logging
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.parsers import expat

from app.errors import AppError, ValidationError
from app.text import number_text

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024  # the file on disk
MAX_PARTS = 2_000  # entries in the zip
MAX_SHEETS = 200
MAX_DATA_PART_BYTES = 100 * 1024 * 1024  # one worksheet or the shared strings, uncompressed
MAX_OTHER_PART_BYTES = 20 * 1024 * 1024  # styles, workbook, relations, images…
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all parts together, uncompressed
MAX_RATIO = 200  # uncompressed / compressed, for parts above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024  # smaller parts may compress as well as they like
MAX_ROWS = 100_000  # data rows (the importer's own limit, checked again while reading)
MAX_ROW_INDEX = MAX_ROWS + 1_100  # the last row number a sheet may use (title rows, template)
MAX_COLUMNS = 1_000
MAX_CELLS = 2_000_000  # 100,000 rows of 20 columns
MAX_CELL_ELEMENTS = 3_000_000  # cells written in the sheet, formatted empty ones included
MAX_UNCACHED = 10_000  # formula cells without a cached value (each is reported)
MAX_SHARED_STRINGS = 2_000_000
MAX_TEXT = 32_767  # Excel's own limit for the text of one cell
MAX_CELL_CHARS = MAX_TEXT + 8_192  # a cell's value and its formula together
MAX_DEPTH = 64
MAX_MERGED = 10_000  # merged ranges in one sheet
MAX_STYLES = 20_000  # cell formats, fonts, fills, borders… (Excel itself stops at 64,000)
MAX_ELEMENTS = 200_000  # in any other XML part (workbook, styles, theme, properties…)
STYLE_RECORDS = frozenset({"xf", "font", "fill", "border", "numFmt", "dxf", "cellStyle"})
CHUNK = 256 * 1024

Check = Callable[[], None]  # called now and then; raises to cancel


class ImportCancelled(AppError):
    """The user cancelled reading the file (nothing was written)."""

    def __init__(self) -> None:
        super().__init__("Đã huỷ đọc tệp; chưa nhập gì.")


@dataclass(frozen=True)
class SheetScan:
    title: str
    part: str
    max_row: int = 0
    max_col: int = 0
    cells: int = 0  # cells holding a value or a formula
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_row, min_col, max_row, max_col)
    uncached: frozenset[tuple[int, int]] = frozenset()  # formula cells without a value

    @property
    def has_data(self) -> bool:
        return self.cells > 0


@dataclass(frozen=True)
class WorkbookScan:
    sheets: tuple[SheetScan, ...] = ()

    def sheet(self, title: str) -> SheetScan | None:
        return next((s for s in self.sheets if s.title == title), None)


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def _refuse(name: str, what: str) -> ValidationError:
    return ValidationError(
        f"Không đọc tệp {name}: {what}. Tệp như vậy không phải danh sách nhập bình thường (có "
        "thể đã hỏng hoặc cố ý làm hại). Hãy mở tệp trong Excel, chép riêng phần danh sách sang "
        "một tệp mới (hoặc dùng tệp mẫu của chương trình) rồi nhập lại."
    )


# What to do with a damaged workbook: the end of every message about one.
RESAVE = "Hãy mở tệp trong Excel và lưu lại dạng .xlsx"


def not_a_workbook(name: str, reason: object) -> ValidationError:
    """A file that cannot be opened as a workbook at all (not a zip, truncated…)."""
    return ValidationError(
        f"Tệp {name} không phải tệp Excel (.xlsx) hợp lệ hoặc đã bị hỏng ({reason}). {RESAVE}, "
        "hoặc dùng tệp mẫu của chương trình."
    )


def _not_unzipped(name: str, exc: BaseException) -> ValidationError:
    """A part of the workbook that cannot be decompressed."""
    return ValidationError(f"Tệp {name} bị hỏng, không giải nén được ({exc}). {RESAVE}.")


_COLUMN = re.compile(r"([A-Za-z]{1,3})(\d*)")


def _cell_ref(ref: str) -> tuple[int, int]:
    """("C12") -> (12, 3); row 0 when the reference has no row."""
    m = _COLUMN.match(ref)
    if m is None:
        return 0, 0
    col = 0
    for ch in m.group(1).upper():
        col = col * 26 + ord(ch) - 64
    return (int(m.group(2)) if m.group(2) else 0), col


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


class _Stream:
    """Feed a zip part to expat in chunks, checking the depth and calling ``check``."""

    def __init__(self, name: str, check: Check | None) -> None:
        self.name = name
        self.check = check
        self.depth = 0
        self.parser = expat.ParserCreate(namespace_separator="}")
        self.parser.buffer_text = True
        self.parser.buffer_size = 64 * 1024

    def run(self, stream: IO[bytes]) -> None:
        try:
            while True:
                data = stream.read(CHUNK)
                if self.check is not None:
                    self.check()
                if not data:
                    self.parser.Parse(b"", True)
                    return
                self.parser.Parse(data, False)
        except expat.ExpatError as exc:
            log.warning("Cannot read %s as a workbook (broken XML): %s", self.name, exc)
            raise ValidationError(
                f"Tệp {self.name} bị hỏng (nội dung bên trong bị cắt cụt hoặc sai cấu trúc, "
                f"dòng {exc.lineno}, cột {exc.offset}). {RESAVE}."
            ) from exc
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
            raise _not_unzipped(self.name, exc) from exc

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _refuse(self.name, f"nội dung lồng nhau quá sâu (hơn {MAX_DEPTH} mức)")


def _check_directory(path: Path, zf: zipfile.ZipFile) -> None:
    name = path.name
    infos = zf.infolist()
    if len(infos) > MAX_PARTS:
        raise _refuse(name, f"có {number_text(len(infos))} phần (tối đa {number_text(MAX_PARTS)})")
    total = 0
    for info in infos:
        data_part = info.filename.startswith("xl/worksheets/") or info.filename.endswith(
            "sharedStrings.xml"
        )
        limit = MAX_DATA_PART_BYTES if data_part else MAX_OTHER_PART_BYTES
        if info.file_size > limit:
            raise _refuse(
                name,
                f"phần {info.filename} khi giải nén nặng {_mb(info.file_size)} "
                f"(tối đa {_mb(limit)})",
            )
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(
                name,
                f"phần {info.filename} nén {number_text(ratio)} lần" + f" (tối đa {MAX_RATIO} lần)",
            )
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(name, f"khi giải nén nặng hơn {_mb(MAX_TOTAL_BYTES)}")


def _read_small(zf: zipfile.ZipFile, part: str) -> bytes | None:
    try:
        info = zf.getinfo(part)
    except KeyError:
        return None
    with zf.open(info) as f:
        return f.read(MAX_OTHER_PART_BYTES + 1)


def _sheet_parts(path: Path, zf: zipfile.ZipFile, check: Check | None) -> list[tuple[str, str]]:
    """(title, part) of every worksheet, in workbook order."""
    names: list[tuple[str, str]] = []  # (title, relationship id)
    targets: dict[str, str] = {}
    workbook = _read_small(zf, "xl/workbook.xml")
    rels = _read_small(zf, "xl/_rels/workbook.xml.rels")
    if workbook is None or rels is None:
        return []
    rid_attr = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

    def on_workbook(tag: str, attrs: dict[str, str]) -> None:
        wb_stream.enter()
        if _local(tag) == "sheet":
            names.append((attrs.get("name", ""), attrs.get(rid_attr, "")))
            if len(names) > MAX_SHEETS:
                raise _refuse(path.name, f"có hơn {MAX_SHEETS} trang tính")

    def on_rel(tag: str, attrs: dict[str, str]) -> None:
        rel_stream.enter()
        if _local(tag) == "Relationship" and attrs.get("Type", "").endswith("/worksheet"):
            target = attrs.get("Target", "")
            part = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target))
            )
            targets[attrs.get("Id", "")] = part

    def leave(stream: _Stream) -> Callable[[str], None]:
        def end(_tag: str) -> None:
            stream.depth -= 1

        return end

    import io

    wb_stream = _Stream(path.name, check)
    wb_stream.parser.StartElementHandler = on_workbook
    wb_stream.parser.EndElementHandler = leave(wb_stream)
    wb_stream.run(io.BytesIO(workbook))
    rel_stream = _Stream(path.name, check)
    rel_stream.parser.StartElementHandler = on_rel
    rel_stream.parser.EndElementHandler = leave(rel_stream)
    rel_stream.run(io.BytesIO(rels))
    return [(title, targets[rid]) for title, rid in names if rid in targets]


def _scan_shared_strings(path: Path, zf: zipfile.ZipFile, check: Check | None) -> None:
    part = next(
        (i.filename for i in zf.infolist() if i.filename.lower() == "xl/sharedstrings.xml"), None
    )
    if part is None:
        return
    stream = _Stream(path.name, check)
    state = {"count": 0, "length": 0, "in_si": False}

    def start(tag: str, _attrs: dict[str, str]) -> None:
        stream.enter()
        if _local(tag) == "si":
            state["count"] += 1
            state["length"] = 0
            if state["count"] > MAX_SHARED_STRINGS:
                raise _refuse(path.name, f"có hơn {number_text(MAX_SHARED_STRINGS)} chuỗi chữ")

    def end(_tag: str) -> None:
        stream.depth -= 1

    def text(data: str) -> None:
        state["length"] += len(data)
        if state["length"] > MAX_TEXT:
            raise _refuse(
                path.name,
                f"có một ô chữ dài hơn {number_text(MAX_TEXT)} ký tự (giới hạn của chính Excel)",
            )

    stream.parser.StartElementHandler = start
    stream.parser.EndElementHandler = end
    stream.parser.CharacterDataHandler = text
    with zf.open(part) as f:
        stream.run(f)


@dataclass
class _SheetState:
    row: int = 0
    col: int = 0
    max_row: int = 0
    max_col: int = 0
    cells: int = 0
    elements: int = 0
    in_cell: bool = False
    has_formula: bool = False
    has_value: bool = False
    in_value: bool = False
    string_result: bool = False  # t="str": an empty <v> is a cached empty text
    chars: int = 0
    value_chars: int = 0
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached: set[tuple[int, int]] = field(default_factory=set)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])([^>]*)")
_ROW_NUMBER = re.compile(rb"\br=[\"'](\d+)")


def _count_rows(
    path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str, check: Check | None
) -> None:
    """A quick first pass over a sheet at the speed of the regex engine: the number of rows
    and the highest row number. A sheet of a million rows is refused here in a fraction of
    a second, before the (slower) full pass."""
    rows = 0
    carry = b""
    with zf.open(info) as f:
        while True:
            try:
                data = f.read(CHUNK)
            except (zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
                raise _not_unzipped(path.name, exc) from exc
            if check is not None:
                check()
            block = carry + data
            cut = block.rfind(b"<") if data else len(block)
            if cut < 0:
                cut = len(block)
            for match in _ROW_TAG.finditer(block, 0, cut):
                rows += 1
                number = _ROW_NUMBER.search(match.group(1))
                highest = int(number.group(1)) if number else rows
                if rows > MAX_ROW_INDEX or highest > MAX_ROW_INDEX:
                    raise _refuse(
                        path.name,
                        f"{where} dùng tới dòng "
                        + f"{number_text(max(rows, highest))}"
                        + f" (tối đa {number_text(MAX_ROW_INDEX)} dòng)",
                    )
            carry = block[cut:]
            if len(carry) > MAX_CELL_CHARS * 4 + CHUNK:
                carry = carry[-CHUNK:]  # a huge tag: the full pass refuses it
            if not data:
                return


def _scan_sheet(
    path: Path, zf: zipfile.ZipFile, title: str, part: str, check: Check | None
) -> SheetScan:
    stream = _Stream(path.name, check)
    s = _SheetState()
    where = f'trang "{title}"'

    def start(tag: str, attrs: dict[str, str]) -> None:
        stream.enter()
        name = _local(tag)
        if name == "row":
            ref = attrs.get("r")
            s.row = int(ref) if ref and ref.isdigit() else s.row + 1
            s.col = 0
            if s.row > MAX_ROW_INDEX:
                raise _refuse(
                    path.name,
                    f"{where} dùng tới dòng {number_text(s.row)}"
                    + f" (tối đa {number_text(MAX_ROW_INDEX)} dòng)",
                )
        elif name == "c":
            ref = attrs.get("r")
            row, col = _cell_ref(ref) if ref else (0, 0)
            s.col = col or s.col + 1
            row = row or s.row
            if s.col > MAX_COLUMNS:
                raise _refuse(
                    path.name,
                    f"{where} dùng tới cột thứ {number_text(s.col)}"
                    + f" (tối đa {number_text(MAX_COLUMNS)} cột)",
                )
            if row > MAX_ROW_INDEX:
                raise _refuse(path.name, f"{where} dùng tới dòng {number_text(row)}")
            s.row = max(s.row, row)
            s.elements += 1
            if s.elements > MAX_CELL_ELEMENTS:  # formatted empty cells cost openpyxl too
                raise _refuse(
                    path.name,
                    f"{where} có hơn {number_text(MAX_CELL_ELEMENTS)} ô"
                    " (kể cả ô trống có định dạng)",
                )
            s.in_cell, s.has_formula, s.has_value, s.chars = True, False, False, 0
            s.value_chars = 0
            s.string_result = attrs.get("t") == "str"
        elif s.in_cell and name == "f":
            s.has_formula = True
        elif s.in_cell and name in ("v", "t"):
            s.in_value = True
            if name == "v" and s.string_result:
                s.has_value = True
        elif name == "mergeCell":
            first, _, last = attrs.get("ref", "").partition(":")
            r1, c1 = _cell_ref(first)
            r2, c2 = _cell_ref(last or first)
            if max(r1, r2) > MAX_ROW_INDEX or max(c1, c2) > MAX_COLUMNS:
                raise _refuse(
                    path.name,
                    f"{where} có vùng ô gộp {attrs.get('ref', '')[:40]} "
                    "vượt quá giới hạn dòng, cột",
                )
            s.merged.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
            if len(s.merged) > MAX_MERGED:
                raise _refuse(path.name, f"{where} có hơn {number_text(MAX_MERGED)} vùng ô gộp")

    def end(tag: str) -> None:
        stream.depth -= 1
        name = _local(tag)
        if name in ("v", "t"):
            s.in_value = False
        elif name == "c" and s.in_cell:
            s.in_cell = False
            if s.has_formula or s.has_value:
                s.cells += 1
                if s.cells > MAX_CELLS:
                    raise _refuse(
                        path.name, f"{where} có hơn {number_text(MAX_CELLS)} ô có dữ liệu"
                    )
                s.max_row = max(s.max_row, s.row)
                s.max_col = max(s.max_col, s.col)
            if s.has_formula and not s.has_value:
                s.uncached.add((s.row, s.col))
                if len(s.uncached) > MAX_UNCACHED:
                    raise ValidationError(
                        f"Tệp {path.name} ({where}) có hơn {number_text(MAX_UNCACHED)}"
                        + " ô công thức chưa có kết quả tính sẵn (tệp chưa được mở và lưu trong "
                        "Excel). Hãy mở tệp trong Excel, lưu lại rồi nhập."
                    )

    def text(data: str) -> None:
        if not s.in_cell:
            return
        s.chars += len(data)
        if s.in_value:
            s.value_chars += len(data)
            if data.strip():
                s.has_value = True
        if s.chars > MAX_CELL_CHARS or s.value_chars > MAX_TEXT:
            raise _refuse(
                path.name,
                f"{where} có một ô dài hơn {number_text(MAX_TEXT)} ký tự"
                " (giới hạn của chính Excel)",
            )

    stream.parser.StartElementHandler = start
    stream.parser.EndElementHandler = end
    stream.parser.CharacterDataHandler = text
    try:
        info = zf.getinfo(part)
    except KeyError:
        return SheetScan(title, part)
    _count_rows(path, zf, info, where, check)
    with zf.open(info) as f:
        stream.run(f)
    return SheetScan(
        title, part, s.max_row, s.max_col, s.cells, tuple(s.merged), frozenset(s.uncached)
    )


def _scan_other_parts(
    path: Path, zf: zipfile.ZipFile, sheet_parts: set[str], check: Check | None
) -> None:
    """Every other XML part openpyxl may read (workbook, styles, theme, properties…): its
    depth and its number of elements; in the styles, the number of style records (openpyxl
    builds an object for each: 50,000 of them in a 23 KB file took 15 s)."""
    for info in zf.infolist():
        name = info.filename
        if (
            name in sheet_parts
            or name.lower().endswith("sharedstrings.xml")
            or not name.lower().endswith((".xml", ".rels", ".vml"))
        ):
            continue
        stream = _Stream(path.name, check)
        counts = {"elements": 0, "styles": 0}
        styles = name.lower().endswith("styles.xml")

        def start(
            tag: str,
            _attrs: dict[str, str],
            stream: _Stream = stream,
            counts: dict[str, int] = counts,
            styles: bool = styles,
            name: str = name,
        ) -> None:
            stream.enter()
            counts["elements"] += 1
            if counts["elements"] > MAX_ELEMENTS:
                raise _refuse(
                    path.name, f"phần {name} có hơn " + f"{number_text(MAX_ELEMENTS)} phần tử"
                )
            if styles and _local(tag) in STYLE_RECORDS:
                counts["styles"] += 1
                if counts["styles"] > MAX_STYLES:
                    raise _refuse(
                        path.name,
                        f"có hơn {number_text(MAX_STYLES)} định dạng ô"
                        " (kiểu chữ, màu nền, đường viền…)",
                    )

        def end(_tag: str, stream: _Stream = stream) -> None:
            stream.depth -= 1

        stream.parser.StartElementHandler = start
        stream.parser.EndElementHandler = end
        with zf.open(info) as f:
            stream.run(f)


def scan_workbook(path: Path, check: Check | None = None) -> WorkbookScan:
    """Check the limits (module docstring) and say what each worksheet holds. Raises a
    ValidationError for a file over a limit or not a zip at all."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(path.name, f"tệp nặng {_mb(size)} (tối đa {_mb(MAX_FILE_BYTES)})")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise not_a_workbook(path.name, exc) from exc
    with zf:
        _check_directory(path, zf)
        sheets = _sheet_parts(path, zf, check)
        _scan_other_parts(path, zf, {part for _, part in sheets}, check)
        _scan_shared_strings(path, zf, check)
        scans = tuple(_scan_sheet(path, zf, title, part, check) for title, part in sheets)
    return WorkbookScan(scans)
