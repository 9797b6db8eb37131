"""The text of a received file as positioned lines: PDF text layer (pypdfium2), Word .docx
(python-docx, tables included), or OCR with Tesseract's Vietnamese model for a scan.

Every line knows its page, its height on the page and which column it sits in (``L`` the left
header/footer column, ``R`` the right one, ``C`` across the page): the header of an
administrative document is a two-column table (issuing body and number on the left, national
motto and date on the right), so is its footer (recipients left, signer right).

Bad files never raise anything but ``ReadError`` (an ``AppError`` with a Vietnamese message
saying what is wrong and what to do).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.errors import AppError
from app.text import clean

PDF_SUFFIXES = {".pdf"}
WORD_SUFFIXES = {".docx"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
READABLE_SUFFIXES = PDF_SUFFIXES | WORD_SUFFIXES | IMAGE_SUFFIXES
MAX_FILE_BYTES = 200 * 1024 * 1024  # the attachment limit (app/services/attachments.py)
MAX_DOCX_UNPACKED = 60 * 1024 * 1024  # a real .docx of text is a few MB unpacked
MAX_DOCX_RATIO = 150  # compression ratio of one member beyond which it is a bomb
OCR_DPI = 250
MAX_OCR_PIXELS = 4200  # the longer side of a page image given to Tesseract
OCR_TIMEOUT_S = 60
# Pages read of a long PDF: the header is on the first, the signer on the last; the
# citation of the directive is on the first page too.
HEAD_PAGES = 2
TAIL_PAGES = 2
SCAN_NOTE = "tệp ảnh quét — cần nhập tay"


class ReadError(AppError):
    """A file that cannot be read: the message says what is wrong. ``code`` "scan": an image
    without text that the user types in by hand (the file is still attached)."""

    def __init__(self, message: str, *, code: str = "") -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class TextLine:
    text: str
    column: str  # "L", "R" or "C"
    page: int  # 0-based
    top: float  # 0 (top of the page) … 1
    x0: float  # 0 … 1 of the page width
    x1: float
    confidence: float = 1.0  # OCR: the lowest word confidence of the line (0 … 1)
    bold: bool | None = None


@dataclass(frozen=True)
class DocumentText:
    source: str  # "pdf", "docx", "ocr"
    lines: tuple[TextLine, ...]
    pages: int  # pages of the file (0 when unknown, e.g. .docx)
    pages_read: tuple[int, ...]
    ocr_seconds: float = 0.0

    @property
    def plain(self) -> str:
        return "\n".join(line.text for line in self.lines)


def tesseract_path() -> str | None:
    """The tesseract command, when installed (``SOTHEODOI_TESSERACT`` may name it)."""
    configured = os.environ.get("SOTHEODOI_TESSERACT")
    if configured and Path(configured).is_file():
        return configured
    found = shutil.which("tesseract")
    if found:
        return found
    for candidate in (
        r"C:\Program Files\Tesseract-OCR\tesseract.exe",
        r"C:\Program Files (x86)\Tesseract-OCR\tesseract.exe",
    ):
        if Path(candidate).is_file():
            return candidate
    return None


def ocr_available() -> bool:
    """Tesseract with its Vietnamese model."""
    exe = tesseract_path()
    if exe is None:
        return False
    try:
        done = subprocess.run(
            [exe, "--list-langs"], capture_output=True, text=True, timeout=20, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return False
    return "vie" in (done.stdout + done.stderr).split()


def _column(x0: float, x1: float) -> str:
    """Left or right header/footer column, or across the page (the title, the body)."""
    centre = (x0 + x1) / 2
    if x1 - x0 >= 0.6:
        return "C"
    if centre < 0.42:
        return "L"
    if centre > 0.58:
        return "R"
    return "C"


def _merge_segments(
    segments: list[tuple[float, float, float, float, str]], gap: float
) -> list[tuple[float, float, float, float, str]]:
    """Join pieces of one line (a font change splits a line into several pieces); pieces far
    apart (the two header columns) stay apart. Items: (x0, x1, top, bottom, text)."""
    segments.sort(key=lambda s: (round(s[2] / 4), s[0]))
    merged: list[tuple[float, float, float, float, str]] = []
    for seg in segments:
        if merged:
            x0, x1, top, bottom, text = merged[-1]
            height = max(1.0, bottom - top)
            same_line = abs(seg[2] - top) < height * 0.5
            if same_line and 0 <= seg[0] - x1 < gap:
                merged[-1] = (x0, seg[1], min(top, seg[2]), max(bottom, seg[3]), f"{text} {seg[4]}")
                continue
        merged.append(seg)
    return merged


# --- PDF --------------------------------------------------------------------------------------


def _pages_to_read(count: int) -> list[int]:
    wanted = set(range(min(HEAD_PAGES, count))) | set(range(max(0, count - TAIL_PAGES), count))
    return sorted(wanted)


def read_pdf(path: Path, *, ocr: bool = True) -> DocumentText:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise ReadError(
                "Tệp PDF có mật khẩu (đã mã hoá): không đọc được. Hãy xin đơn vị "
                "gửi bản không đặt mật khẩu, hoặc nhập tay."
            ) from None
        raise ReadError(
            "Tệp PDF bị hỏng hoặc không phải PDF: không đọc được. Hãy xin đơn vị "
            "gửi lại tệp, hoặc nhập tay."
        ) from None
    try:
        count = len(document)
        if count == 0:
            raise ReadError("Tệp PDF không có trang nào: không đọc được.")
        pages = _pages_to_read(count)
        lines: list[TextLine] = []
        empty_pages = []
        for index in pages:
            page_lines = _pdf_page_lines(document, index)
            if sum(len(line.text) for line in page_lines) < 20:
                empty_pages.append(index)
            lines.extend(page_lines)
        if len(empty_pages) == len(pages) or (0 in empty_pages):
            if not ocr:
                raise ReadError(f"Tệp không có lớp chữ ({SCAN_NOTE}).")
            return _ocr_pdf(document, pages, count)
        return DocumentText("pdf", tuple(lines), count, tuple(pages))
    finally:
        document.close()


def _pdf_page_lines(document: object, index: int) -> list[TextLine]:
    import pypdfium2 as pdfium

    assert isinstance(document, pdfium.PdfDocument)
    try:
        page = document[index]
        width, height = page.get_size()
        textpage = page.get_textpage()
    except pdfium.PdfiumError:
        raise ReadError(f"Trang {index + 1} của tệp PDF bị hỏng: không đọc được.") from None
    try:
        segments = []
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            # A tall accent of the next line (Ể) reaches into this line's box: keep the
            # longest piece, the line itself.
            pieces = textpage.get_text_bounded(left, bottom, right, top).split("\r\n")
            text = clean(max(pieces, key=len))
            if text:
                segments.append((left, right, height - top, height - bottom, text))
    finally:
        textpage.close()
        page.close()
    lines = []
    for x0, x1, top, _bottom, text in _merge_segments(segments, gap=width * 0.015):
        lines.append(
            TextLine(
                text, _column(x0 / width, x1 / width), index, top / height, x0 / width, x1 / width
            )
        )
    return lines


def _ocr_pdf(document: object, pages: list[int], count: int) -> DocumentText:
    import time

    import pypdfium2 as pdfium

    assert isinstance(document, pdfium.PdfDocument)
    if not ocr_available():
        raise ReadError(
            f"Tệp không có lớp chữ và máy chưa cài Tesseract ({SCAN_NOTE}). Tệp vẫn "
            "được đính kèm khi ghi nhận.",
            code="scan",
        )
    started = time.perf_counter()
    lines: list[TextLine] = []
    # A scan: the first page and the last (the signer) only, to keep to a few seconds.
    for index in sorted({pages[0], pages[-1]}):
        page = document[index]
        try:
            width, height = page.get_size()
            # A4 at OCR_DPI; a poster-sized page is not rendered at 88 megapixels.
            scale = min(OCR_DPI / 72, MAX_OCR_PIXELS / max(width, height, 1.0))
            image = page.render(scale=scale, grayscale=True).to_pil()
        finally:
            page.close()
        lines.extend(ocr_image(image, index))
    return DocumentText(
        "ocr",
        tuple(lines),
        count,
        tuple(sorted({pages[0], pages[-1]})),
        time.perf_counter() - started,
    )


# --- OCR --------------------------------------------------------------------------------------


def ocr_image(image: object, page: int = 0) -> list[TextLine]:
    """Lines of one page image (a PIL image) by Tesseract (Vietnamese), with positions and the
    lowest word confidence of each line."""
    exe = tesseract_path()
    if exe is None:
        raise ReadError(f"Máy chưa cài Tesseract ({SCAN_NOTE}).", code="scan")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")  # type: ignore[attr-defined]
    width, height = image.size  # type: ignore[attr-defined]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(
            [exe, "stdin", "stdout", "-l", "vie", "--psm", "3", "--dpi", str(OCR_DPI), "tsv"],
            input=buffer.getvalue(),
            capture_output=True,
            timeout=OCR_TIMEOUT_S,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ReadError("Nhận dạng chữ (OCR) quá lâu: hãy nhập tay.", code="scan") from None
    except OSError as exc:
        raise ReadError(f"Không chạy được Tesseract ({exc}): hãy nhập tay.", code="scan") from None
    if done.returncode != 0:
        raise ReadError("Tesseract không đọc được trang ảnh: hãy nhập tay.", code="scan")
    words: dict[tuple[int, int, int], list[tuple[int, int, int, int, float, str]]] = {}
    for row in done.stdout.decode("utf-8", "replace").splitlines()[1:]:
        parts = row.split("\t")
        if len(parts) < 12 or parts[0] != "5" or not parts[11].strip():
            continue
        key = (int(parts[2]), int(parts[3]), int(parts[4]))
        left, top, w, h = (int(p) for p in parts[6:10])
        words.setdefault(key, []).append((left, top, w, h, float(parts[10]) / 100, parts[11]))
    segments: list[tuple[float, float, float, float, str, float]] = []
    for items in words.values():
        items.sort()
        heights = sorted(i[3] for i in items)
        gap = max(heights[len(heights) // 2] * 3.5, width * 0.05)
        current: list[tuple[int, int, int, int, float, str]] = []
        for item in [*items, None]:
            if current and (item is None or item[0] - (current[-1][0] + current[-1][2]) > gap):
                x0 = current[0][0]
                x1 = current[-1][0] + current[-1][2]
                top = min(i[1] for i in current)
                bottom = max(i[1] + i[3] for i in current)
                segments.append(
                    (
                        x0,
                        x1,
                        top,
                        bottom,
                        " ".join(i[5] for i in current),
                        min(i[4] for i in current),
                    )
                )
                current = []
            if item is not None:
                current.append(item)
    segments.sort(key=lambda s: (s[2], s[0]))
    return [
        TextLine(
            clean(text),
            _column(x0 / width, x1 / width),
            page,
            top / height,
            x0 / width,
            x1 / width,
            confidence=max(0.0, conf),
        )
        for x0, x1, top, _b, text, conf in segments
        if sum(c.isalnum() for c in text) >= 2
    ]  # specks read as "¬", "Š", ":"


def read_image(path: Path) -> DocumentText:
    import time

    from PIL import Image, UnidentifiedImageError

    if not ocr_available():
        raise ReadError(f"Ảnh chụp/quét và máy chưa cài Tesseract ({SCAN_NOTE}).", code="scan")
    started = time.perf_counter()
    try:
        with Image.open(path) as image:
            image.load()
            gray = image.convert("L")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ReadError("Tệp ảnh bị hỏng hoặc quá lớn: không đọc được.") from None
    lines = ocr_image(gray, 0)
    return DocumentText("ocr", tuple(lines), 1, (0,), time.perf_counter() - started)


# --- Word -------------------------------------------------------------------------------------


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if "word/document.xml" not in {m.filename for m in members}:
                raise ReadError(
                    "Tệp .docx không có nội dung văn bản Word: có thể đã hỏng hoặc "
                    "đổi đuôi. Hãy mở thử bằng Word, hoặc nhập tay."
                )
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(1, member.compress_size)
                if total > MAX_DOCX_UNPACKED or (
                    member.file_size > 5_000_000 and ratio > MAX_DOCX_RATIO
                ):
                    raise ReadError(
                        "Tệp .docx bất thường (nội dung nén quá mức, có thể là tệp "
                        "độc hại): không mở. Hãy xin đơn vị gửi bản PDF."
                    )
    except zipfile.BadZipFile:
        raise ReadError(
            "Tệp .docx bị hỏng (không phải tệp Word hợp lệ): không đọc được. Hãy "
            "xin đơn vị gửi lại, hoặc nhập tay."
        ) from None


def read_docx(path: Path) -> DocumentText:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    _check_zip(path)
    try:
        document = Document(str(path))
    except Exception:  # python-docx raises many kinds on a damaged part
        raise ReadError(
            "Tệp .docx bị hỏng: không đọc được. Hãy xin đơn vị gửi lại, hoặc nhập tay."
        ) from None
    lines: list[TextLine] = []
    position = 0

    def add(paragraph: Paragraph, column: str) -> None:
        nonlocal position
        runs = [r for r in paragraph.runs if r.text.strip()]
        bold = bool(runs) and all(r.bold for r in runs)
        if column == "C" and paragraph.alignment == WD_ALIGN_PARAGRAPH.RIGHT:
            column = "R"
        for piece in paragraph.text.split("\n"):
            text = clean(piece)
            if text:
                position += 1
                x0, x1 = {"L": (0.05, 0.45), "R": (0.55, 0.95), "C": (0.1, 0.9)}[column]
                lines.append(TextLine(text, column, 0, position / 1000, x0, x1, bold=bold))

    def walk(container: Any, parent: Any) -> None:
        for child in container.iterchildren():
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "p":
                add(Paragraph(child, parent), "C")
            elif tag == "tbl":
                table_lines(Table(child, parent))

    def table_lines(table: Any) -> None:
        for row in table.rows:
            cells = row.cells
            for n, cell in enumerate(cells):
                if len(cells) >= 2 and n == 0:
                    column = "L"
                elif len(cells) >= 2 and n == len(cells) - 1:
                    column = "R"
                else:
                    column = "C"
                for paragraph in cell.paragraphs:
                    add(paragraph, column)

    # Some offices put the agency/motto table in the first page's header (Word "Header").
    if document.sections:
        section = document.sections[0]
        page_header = (
            section.first_page_header
            if section.different_first_page_header_footer
            else section.header
        )
        if not page_header.is_linked_to_previous:
            walk(page_header._element, page_header)
    walk(document.element.body, document)
    return DocumentText("docx", tuple(lines), 0, (0,))


# --- any file ---------------------------------------------------------------------------------


def read_text(path: Path | str, *, ocr: bool = True) -> DocumentText:
    """The positioned text of one received file. Raises ``ReadError`` saying what is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError:
        raise ReadError(f"Không tìm thấy tệp {path.name}.") from None
    if not path.is_file():
        raise ReadError(f"{path.name} không phải một tệp.")
    if size == 0:
        raise ReadError("Tệp rỗng (0 byte): không có nội dung. Hãy xin đơn vị gửi lại.")
    if size > MAX_FILE_BYTES:
        raise ReadError(
            f"Tệp quá lớn ({size // (1024 * 1024)} MB; tối đa "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB)."
        )
    suffix = path.suffix.lower()
    if suffix in PDF_SUFFIXES:
        return read_pdf(path, ocr=ocr)
    if suffix in WORD_SUFFIXES:
        return read_docx(path)
    if suffix in IMAGE_SUFFIXES:
        if not ocr:
            raise ReadError(f"Ảnh chụp/quét ({SCAN_NOTE}).", code="scan")
        return read_image(path)
    if suffix == ".doc":
        raise ReadError(
            "Tệp Word cũ (.doc): chưa đọc được. Hãy mở bằng Word và lưu thành .docx "
            "hoặc PDF, hoặc nhập tay."
        )
    raise ReadError(
        f"Không đọc được loại tệp {suffix or '(không có đuôi)'}: chỉ đọc PDF, Word "
        "(.docx) và ảnh quét."
    )
