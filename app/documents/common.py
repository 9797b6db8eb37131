"""What the three documents share: the options chosen in the dialog or on the command line, the
sender (the agency in :class:`app.settings.Settings`), the signature block and Nơi nhận."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from app.dates import fmt
from app.db import Database
from app.documents.layout import DocumentHeader, Footer, PageSettings
from app.errors import ValidationError
from app.kinds import AUTHORITY_CODES
from app.settings import Settings, load_settings
from app.text import clean, search_key

Target = str | os.PathLike[str] | IO[bytes]


class DocumentKind(StrEnum):
    SUMMARY = "summary"
    REMINDER = "reminder"
    UNIT_SHEET = "unit-sheet"
    UNIT_REMINDER = "unit-reminder"
    ESCALATION = "escalation"  # the follow-up's last round (app/documents/escalation_letter.py)

    @property
    def label(self) -> str:
        return {
            DocumentKind.SUMMARY: "Báo cáo tổng hợp",
            DocumentKind.REMINDER: "Công văn đôn đốc",
            DocumentKind.UNIT_SHEET: "Phiếu theo dõi đơn vị",
            DocumentKind.UNIT_REMINDER: "Công văn đôn đốc (theo đơn vị)",
            DocumentKind.ESCALATION: "Dự thảo công văn UBND tỉnh đôn đốc",
        }[self]

    @property
    def file_stem(self) -> str:
        return {
            DocumentKind.SUMMARY: "bao-cao-tong-hop",
            DocumentKind.REMINDER: "cong-van-don-doc",
            DocumentKind.UNIT_SHEET: "phieu-theo-doi",
            DocumentKind.UNIT_REMINDER: "cong-van-don-doc-don-vi",
            DocumentKind.ESCALATION: "du-thao-ubnd-tinh-don-doc",
        }[self]

    @property
    def per_unit(self) -> bool:
        """About one unit (chosen in the dialog), not one directive."""
        return self in (DocumentKind.UNIT_SHEET, DocumentKind.UNIT_REMINDER)


@dataclass(frozen=True)
class Signer:
    """Who signs: authority prefix ("", KT., TM., TL., TUQ., Q.), the head's title the authority
    is exercised for ("Giám đốc"), the signer's own title ("Phó Giám đốc") and name."""

    authority: str = "KT."
    head_title: str = "Giám đốc"
    title: str = "Phó Giám đốc"
    name: str = ""

    @staticmethod
    def from_settings(s: Settings) -> Signer:
        return Signer(s.signer_authority, s.signer_head_title, s.signer_title, s.signer_name)

    def authority_lines(self) -> tuple[str, ...]:
        """("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), ("GIÁM ĐỐC",), ("Q. GIÁM ĐỐC",) …"""
        prefix = self.authority.strip().upper()
        if prefix and not prefix.endswith("."):
            prefix += "."
        head = self.head_title.strip()
        title = self.title.strip()
        if not prefix:
            return ((title or head).upper(),)
        if prefix == "Q.":
            return (f"Q. {(head or title).upper()}",)
        # "KT. GIÁM ĐỐC" / "PHÓ GIÁM ĐỐC"; "TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH"; "TL. …" / "…".
        first = f"{prefix} {head.upper()}"
        return (first, title.upper()) if title else (first,)

    def validate(self) -> None:
        errors: dict[str, str] = {}
        prefix = self.authority.strip().upper()
        if prefix and prefix.rstrip(".") + "." not in AUTHORITY_CODES:
            errors["signer_authority"] = (
                "Thẩm quyền ký phải là TM., KT., TL., TUQ., Q. hoặc để trống."
            )
        if prefix and prefix != "Q." and not self.head_title.strip():
            errors["signer_head_title"] = (
                f"Ký {prefix} thì phải ghi chức vụ người đứng đầu (ví dụ Giám đốc)."
            )
        if not (self.title.strip() or self.head_title.strip()):
            errors["signer_title"] = "Chưa có chức vụ của người ký (ví dụ Phó Giám đốc)."
        if not self.name.strip():
            errors["signer_name"] = "Chưa có họ tên người ký."
        if errors:
            raise ValidationError(next(iter(errors.values())), errors=errors)


@dataclass(frozen=True)
class DocumentOptions:
    """One document to print. ``number``/``date`` None: blank for the clerk.
    ``recipients`` None: the defaults for the kind (see :func:`default_recipients`)."""

    kind: DocumentKind
    as_of: dt.date
    directive_id: int | None = None
    unit_id: int | None = None
    number: str | None = None
    date: dt.date | None = None
    signer: Signer | None = None  # None: from the settings
    recipients: tuple[str, ...] | None = None
    year: int | None = None  # the year printed when the date is blank (default: today's)
    #: The day the document is made (the caller's today): its year is printed in a blank date
    #: line ("ngày … tháng … năm 2026"), whatever day the figures are taken on.
    today: dt.date | None = None
    #: The user's changes to the generated text: (field key, text) pairs, see
    #: :meth:`app.documents.content.DocumentContent.fields`.
    edits: tuple[tuple[str, str], ...] = ()
    #: A reminder's addressees: the overdue units chosen (None: every overdue unit).
    unit_ids: tuple[int, ...] | None = None
    #: A reminder's new deadline ("… gửi về Sở Nội vụ trước ngày …"); None: none printed.
    reply_by: dt.date | None = None

    @property
    def edit_map(self) -> dict[str, str]:
        return dict(self.edits)

    def validate(self) -> None:
        errors: dict[str, str] = {}
        if (
            self.kind in (DocumentKind.SUMMARY, DocumentKind.REMINDER, DocumentKind.ESCALATION)
            and self.directive_id is None
        ):
            errors["directive"] = "Hãy chọn văn bản chỉ đạo cần báo cáo."
        if self.kind is DocumentKind.UNIT_SHEET and self.unit_id is None:
            errors["unit"] = "Phiếu theo dõi: hãy chọn một đơn vị."
        if self.kind is DocumentKind.UNIT_REMINDER and self.unit_id is None:
            errors["unit"] = "Công văn đôn đốc theo đơn vị: hãy chọn một đơn vị."
        if self.unit_ids is not None and not self.unit_ids:
            errors["units"] = (
                "Hãy chọn ít nhất một đơn vị nhận công văn đôn đốc (đánh dấu "
                "trong danh sách đơn vị quá hạn)."
            )
        if self.reply_by is not None and self.reply_by <= self.as_of:
            errors["reply_by"] = (
                f"Hạn gửi mới ({fmt(self.reply_by)}) phải sau ngày tính "
                f"số liệu ({fmt(self.as_of)})."
            )
        number = (self.number or "").strip()
        if number and not (number.isdigit() and 0 < int(number) < 100000):
            errors["number"] = (
                "Số văn bản là một số nguyên dương (ví dụ 15), hoặc để trống để "
                "văn thư ghi khi phát hành."
            )
        if errors:
            raise ValidationError(next(iter(errors.values())), errors=errors)


# --- the sender ------------------------------------------------------------------------------


def page_settings(s: Settings) -> PageSettings:
    try:
        return PageSettings(
            margin_top_mm=s.margin_top_mm,
            margin_bottom_mm=s.margin_bottom_mm,
            margin_left_mm=s.margin_left_mm,
            margin_right_mm=s.margin_right_mm,
        )
    except ValueError as exc:
        raise ValidationError(f"Cài đặt lề trang: {exc}", field="margins") from None


def load(db: Database) -> Settings:
    with db.read() as session:
        return load_settings(session)


def check_sender(s: Settings) -> None:
    errors: dict[str, str] = {}
    if not s.agency_name.strip():
        errors["agency_name"] = "Chưa cài đặt tên cơ quan theo dõi (ví dụ Sở Nội vụ)."
    if not s.agency_abbreviation.strip():
        errors["agency_abbreviation"] = "Chưa cài đặt chữ viết tắt của cơ quan (ví dụ SNV)."
    if not s.place_name.strip():
        errors["place_name"] = "Chưa cài đặt địa danh ghi ở dòng ngày tháng (ví dụ Quảng Ngãi)."
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)


_PLACE_WORDS = {"tỉnh", "huyện", "thành", "thị", "quận", "xã", "phường", "thị trấn"}


def balanced_lines(text: str, *, bold: bool = False, size: float = 12) -> str:
    """An agency name printed UPPER in the header's left column: when it needs two lines, break
    it where both lines are closest in length ("ỦY BAN NHÂN DÂN\nTỈNH GIA LAI"), never leaving
    one word alone."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from app.documents import fonts
    from app.documents.layout import PageSettings

    text = " ".join(text.split())
    if not text or "\n" in text:
        return text
    fonts.register_fonts()
    font = fonts.BOLD if bold else fonts.REGULAR
    column = PageSettings().text_width * 0.4 - 4
    upper = text.upper()
    if stringWidth(upper, font, size) <= column:
        return text
    words = text.split(" ")
    # Prefer a break before the place ("… | TỈNH GIA LAI"), as agencies are written; then the
    # most even pair of lines.
    best: tuple[int, float, int] | None = None
    for i in range(1, len(words)):
        first, second = " ".join(words[:i]).upper(), " ".join(words[i:]).upper()
        widest = max(stringWidth(first, font, size), stringWidth(second, font, size))
        if widest > column:
            continue
        key = (0 if words[i].lower() in _PLACE_WORDS else 1, widest, i)
        if best is None or key < best:
            best = key
    if best is None:
        return text
    return " ".join(words[: best[2]]) + "\n" + " ".join(words[best[2] :])


def make_header(
    s: Settings, options: DocumentOptions, symbol: str, letter_subject: str | None = None
) -> DocumentHeader:
    check_sender(s)
    number = (options.number or "").strip() or None
    return DocumentHeader(
        agency=balanced_lines(s.agency_name, bold=True),
        parent_agency=balanced_lines(s.parent_agency),
        symbol=symbol,
        place=s.place_name.strip(),
        number=number,
        date=options.date,
        year=options.year or (options.date or options.today or options.as_of).year,
        letter_subject=letter_subject,
    )


def make_footer(s: Settings, options: DocumentOptions, recipients: Sequence[str]) -> Footer:
    signer = options.signer or Signer.from_settings(s)
    signer.validate()
    return Footer(
        authority=signer.authority_lines(),
        signer_name=clean(signer.name),
        recipients=tuple(recipients),
        archive=s.drafting_unit,
    )


def upward_name(s: Settings) -> str:
    """The agency above ours as named in running text ("Ủy ban nhân dân tỉnh …"), or "cấp
    trên" when the setting is empty (the text still reads; Kính gửi needs the name)."""
    parent = clean(s.parent_agency)
    return parent[0].upper() + parent[1:] if parent else "cấp trên"


def upward_recipient(s: Settings) -> str:
    """The agency above ours, as written after "Kính gửi:" (e.g. "Ủy ban nhân dân tỉnh …")."""
    parent = clean(s.parent_agency)
    if not parent:
        raise ValidationError(
            "Chưa cài đặt cơ quan cấp trên (ví dụ Ủy ban nhân dân tỉnh "
            "Quảng Ngãi) để ghi “Kính gửi”.",
            field="parent_agency",
        )
    return parent[0].upper() + parent[1:]


def _is_upward(item: str, s: Settings) -> bool:
    key = search_key(item)
    parent = search_key(s.parent_agency)
    return (
        (bool(parent) and key.startswith(parent))
        or key.startswith("ubnd tinh")
        or key.startswith("uy ban nhan dan tinh")
    )


def default_recipients(kind: DocumentKind, s: Settings) -> tuple[str, ...]:
    """Nơi nhận by default: "Như trên" first when the document has a Kính gửi; then the
    recipients in the settings; the archive line ("Lưu: VT, <drafting unit>") last."""
    if kind is DocumentKind.ESCALATION:  # sent by Văn phòng UBND tỉnh, not by us
        return ("Như trên", "Chủ tịch, các PCT UBND tỉnh", clean(s.agency_name), "Lưu: VT")
    items = [clean(r) for r in s.recipients if clean(r)]
    archive = [r for r in items if search_key(r).startswith("luu")]
    others = [r for r in items if r not in archive]
    if kind is DocumentKind.SUMMARY:
        # Kính gửi is the agency above: it is "Như trên", not listed again.
        others = ["Như trên", *[r for r in others if not _is_upward(r, s)]]
    elif kind in (DocumentKind.REMINDER, DocumentKind.UNIT_REMINDER):
        others = ["Như trên", *others]
    else:
        others = [r for r in others if not _is_upward(r, s)]
    if not archive:
        unit = clean(s.drafting_unit)
        archive = [f"Lưu: VT, {unit}" if unit else "Lưu: VT"]
    return tuple(others + archive[-1:])


def layout_error(exc: ValueError) -> ValidationError:
    """A layout check (ValueError, Vietnamese) as an error the user sees."""
    return ValidationError(str(exc))


def copy_file_atomically(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    """Copy ``source`` to ``target`` through a temporary file in the target's folder, so a
    half-written file never appears under the chosen name."""
    import shutil
    import tempfile
    from pathlib import Path

    from app.errors import AppError

    dest = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.stem}-", suffix=".tmp", dir=dest.parent)
    except OSError as exc:
        raise AppError(
            f"Không ghi được vào thư mục {dest.parent}: {exc.strerror or exc}. Hãy "
            "chọn thư mục khác."
        ) from None
    from app.fileio import normal_permissions

    normal_permissions(fd)
    os.close(fd)
    try:
        shutil.copyfile(source, tmp)
        os.replace(tmp, dest)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise AppError(
            f"Không ghi được tệp {dest}: {exc.strerror or exc}. Nếu tệp đang mở trong "
            "chương trình khác, hãy đóng lại rồi thử lại, hoặc chọn tên khác."
        ) from None
