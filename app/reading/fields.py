"""The fields written on a Vietnamese administrative document (Nghị định 30/2020 layout), read
from its positioned text lines. Pure functions: lines in, fields out.

Every field comes with a confidence. The rule (docs/intake-accuracy.md): a value that could be
wrong is *unsure* (below ``SURE``) and shown highlighted for the user to check; a value is sure
only when it was found where the format puts it and checks out (a date from the place-and-date
line of the header, a number from the "Số:" line whose type matches the document's type, an OCR
line the engine itself is sure of). The date of a document cited in the body is never taken
for the signing date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from app.dates import fmt
from app.errors import AppError
from app.reading.text import DocumentText, TextLine
from app.schedule import Period, PeriodKind, make_period
from app.text import clean, search_key

SURE = 0.9
OCR_SURE = 0.88  # Tesseract's own word confidence (0-1) above which an OCR line is trusted


@dataclass(frozen=True)
class Found:
    """One value read from the document: ``None`` when not found."""

    value: Any
    confidence: float = 0.0
    note: str = ""

    @property
    def sure(self) -> bool:
        return self.value not in (None, "") and self.confidence >= SURE

    @property
    def text(self) -> str:
        if self.value is None:
            return ""
        if isinstance(self.value, dt.date):
            return f"{fmt(self.value)}"
        return str(self.value)


NOTHING = Found(None, 0.0)


@dataclass(frozen=True)
class Citation:
    symbol: str  # as written, upper case ("2116/UBND-NC")
    date: dt.date | None
    kind: str  # "công văn", "kế hoạch"…


@dataclass(frozen=True)
class Fields:
    number_symbol: Found
    signed_date: Found
    place: Found
    issuing_body: Found
    parent_body: Found
    body_candidates: tuple[str, ...]  # texts to match against the units, best first
    doc_type: Found
    summary: Found
    signer_name: Found
    signer_title: Found
    citations: tuple[Citation, ...]  # documents cited in the body, in order
    task: Found  # "plan" (kế hoạch) or "report" (báo cáo)
    period: Found  # period key ("2018-H1"); its label in ``note``… see period_label
    period_label: str
    period_kind: PeriodKind | None


# --- vocabulary -------------------------------------------------------------------------------

DOC_TYPES = {
    "ke hoach": "KẾ HOẠCH",
    "bao cao": "BÁO CÁO",
    "cong van": "CÔNG VĂN",
    "to trinh": "TỜ TRÌNH",
    "thong bao": "THÔNG BÁO",
    "chuong trinh": "CHƯƠNG TRÌNH",
    "quyet dinh": "QUYẾT ĐỊNH",
    "huong dan": "HƯỚNG DẪN",
    "chi thi": "CHỈ THỊ",
}
TYPE_SYMBOLS = {
    "KẾ HOẠCH": "KH",
    "BÁO CÁO": "BC",
    "TỜ TRÌNH": "TTR",
    "THÔNG BÁO": "TB",
    "CHƯƠNG TRÌNH": "CTR",
    "QUYẾT ĐỊNH": "QĐ",
    "HƯỚNG DẪN": "HD",
    "CHỈ THỊ": "CT",
}
TASK_OF_TYPE = {"KẾ HOẠCH": "plan", "CHƯƠNG TRÌNH": "plan", "BÁO CÁO": "report"}
ORG_PREFIXES = (
    "uy ban nhan dan",
    "ubnd",
    "so ",
    "ban ",
    "thanh tra",
    "van phong",
    "hoi dong",
    "bo ",
    "tong cuc",
    "cuc ",
    "chi cuc",
    "trung tam",
    "tinh uy",
    "huyen uy",
    "thanh uy",
    "dang uy",
    "mat tran",
    "kho bac",
    "cong an",
    "bo chi huy",
    "toa an",
    "vien kiem sat",
    "truong ",
    "benh vien",
    "lien doan",
    "hoi ",
    "doan ",
    "dai ",
    "phong ",
)
TITLES = [
    "ỦY BAN NHÂN DÂN",
    "CHỦ TỊCH",
    "PHÓ CHỦ TỊCH",
    "GIÁM ĐỐC",
    "PHÓ GIÁM ĐỐC",
    "CHÁNH VĂN PHÒNG",
    "PHÓ CHÁNH VĂN PHÒNG",
    "CHÁNH THANH TRA",
    "PHÓ CHÁNH THANH TRA",
    "TRƯỞNG BAN",
    "PHÓ TRƯỞNG BAN",
    "TRƯỞNG PHÒNG",
    "PHÓ TRƯỞNG PHÒNG",
    "CỤC TRƯỞNG",
    "PHÓ CỤC TRƯỞNG",
    "CHI CỤC TRƯỞNG",
    "BỘ TRƯỞNG",
    "THỨ TRƯỞNG",
    "HIỆU TRƯỞNG",
    "HỘI ĐỒNG NHÂN DÂN",
    "SỞ",
    "BAN",
    "THANH TRA",
]
_TITLE_KEYS = {search_key(t): t for t in TITLES}
AUTHORITIES = {"tm": "TM.", "kt": "KT.", "q": "Q.", "tl": "TL.", "tuq": "TUQ."}
BODY_STARTS = (
    "can cu",
    "thuc hien",
    "kinh gui",
    "trien khai",
    "de ",
    "nham ",
    "theo ",
    "i.",
    "1.",
    "phan ",
    "ngay ",
    "qua ",
    "tren co so",
    "sau khi",
    "trong ",
)
_DASHES = "-–—‐‑−"
_DASH_RE = re.compile(rf"\s*[{_DASHES}]\s*")
_SYMBOL_RE = re.compile(r"(\d{1,5})/([A-Za-zĐđ0-9&.]+(?:-[A-Za-zĐđ0-9&.]+)*)")
# Party bodies number "72-KH/BDVTU" (the type before the slash).
_PARTY_SYMBOL_RE = re.compile(r"(\d{1,5})-([A-Za-zĐđ]+)/([A-Za-zĐđ0-9&.]+(?:-[A-Za-zĐđ0-9&.]+)*)")
_NUMBER_LINE = re.compile(r"^s[oô6ố]\s*[:.;]?\s*(?P<rest>.*)$", re.IGNORECASE)
# The place-and-date line is a line of its own: "Sơn Tịnh, ngày 25 tháng 4 năm 2018" and nothing
# after the year. A date inside a sentence ("Công văn số 2116/UBND-NC ngày 18/4/2018 của…") is a
# cited document's, never the signing date.
_DATE_WORDS = re.compile(
    r"^(?:(?P<place>[^,]{2,40}?)\s*,\s*)?ngay\s*(?P<d>\d{1,2})\s*thang\s*(?P<m>\d{1,2})\s*"
    r"nam\s*(?P<y>\d{4})[^\w]*$"
)
_DATE_SLASH = re.compile(
    r"^(?:(?P<place>[^,]{2,40}?)\s*,\s*)?ngay\s*(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*"
    r"[/.\-]\s*(?P<y>\d{4})[^\w]*$"
)
_CITE = re.compile(
    r"(?:thuc hien|can cu|trien khai|theo|thuc hien noi dung)\s+(?:\S+\s+){0,3}?"
    r"(?P<kind>cong van|ke hoach|quyet dinh|chi thi|van ban|thong bao|huong dan)\s+"
    r"(?:so\s*)?(?P<symbol>\d+[a-z0-9&.\-–—/]*)"
    r"(?:\s*ngay\s*(?:(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s*thang\s*(?P<m2>\d{1,2})\s*nam\s*(?P<y2>\d{4})))?"
)
_NAME_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][a-zđà-ỹ]*$")  # "Nguyễn Văn A"
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _date(y: str | None, m: str | None, d: str | None) -> dt.date | None:
    try:
        return dt.date(int(y or 0), int(m or 0), int(d or 0))
    except ValueError:
        return None


OCR_FREE_TEXT = 0.85  # a scanned subject or name: one lost tone mark is enough to be wrong


def _conf(base: float, *lines: TextLine, free_text: bool = False) -> float:
    """A field's confidence: the rule's own, lowered to the OCR's on scanned lines. Free text
    read by OCR (subject, name: no rule to check it against) is never sure."""
    worst = min((line.confidence for line in lines), default=1.0)
    if worst >= 1.0:
        return base
    if free_text:
        return min(base, worst, OCR_FREE_TEXT)
    # An OCR line is only as good as its worst word; below OCR_SURE it is not sure.
    return min(base, worst if worst < OCR_SURE else base)


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) >= 0.85 * len(letters)


def normalise_symbol(text: str) -> str:
    """ "45 / KH – UBND" → "45/KH-UBND" (dashes and spaces as the clerk meant them)."""
    text = _DASH_RE.sub("-", clean(text))
    return re.sub(r"\s*/\s*", "/", text)


# --- the parts of the page --------------------------------------------------------------------


def _find_type(lines: list[TextLine]) -> int | None:
    for i, line in enumerate(lines):
        if line.page != 0:
            break
        key = search_key(line.text).strip(" .:")
        if key in DOC_TYPES and (_is_upper(line.text) or line.bold):
            return i
    return None


def _is_motto(key: str) -> bool:
    return any(
        w in key for w in ("cong hoa xa hoi", "chu nghia viet nam", "doc lap", "hanh phuc", "tu do")
    )


def _number(header: list[TextLine], doc_type: str | None) -> Found:
    for line in header:
        match = _NUMBER_LINE.match(line.text.strip())
        if not match:
            continue
        rest = normalise_symbol(match.group("rest"))
        party = _PARTY_SYMBOL_RE.match(rest)
        found = _SYMBOL_RE.search(rest)
        if party:
            number, first = party.group(1), party.group(2)
            value, symbol = f"{number}-{first}/{party.group(3)}", f"{first}-{party.group(3)}"
        elif found:
            number, symbol = found.group(1), found.group(2)
            value, first = f"{number}/{symbol}", symbol.split("-")[0]
        else:
            continue
        confidence = 0.97
        note = ""
        expected = TYPE_SYMBOLS.get(doc_type or "")
        if expected and search_key(first).upper() != search_key(expected).upper():
            confidence, note = (
                0.7,
                (f"Ký hiệu {first} không khớp loại văn bản {(doc_type or '').lower()}"),
            )
        if "-" not in symbol:
            confidence, note = min(confidence, 0.75), "Ký hiệu thiếu tên cơ quan"
        return Found(value, _conf(confidence, line), note)
    return NOTHING


def _date_lines(header: list[TextLine]) -> list[tuple[TextLine, str]]:
    """Each header line, then each line joined with the next one of its column: a narrow
    column wraps "Quảng Ngãi, ngày 19 tháng 6 năm" / "2018"."""
    single = [(line, line.text) for line in header]
    joined = []
    for i, line in enumerate(header):
        following = next((o for o in header[i + 1 :] if o.column == line.column), None)
        if following is not None and following.top - line.top < 0.05:
            joined.append((line, f"{line.text} {following.text}"))
    return single + joined


def _signed_date(header: list[TextLine], today: dt.date | None) -> tuple[Found, Found]:
    for line, text in _date_lines(header):
        key = search_key(text)
        match = _DATE_WORDS.search(key) or _DATE_SLASH.search(key)
        if not match:
            continue
        value = _date(match.group("y"), match.group("m"), match.group("d"))
        if value is None:
            return Found(None, 0.0, f"Ngày không hợp lệ: {line.text}"), NOTHING
        place = ""
        if match.group("place"):
            place = clean(line.text.split(",", 1)[0])
        confidence, note = (0.97, "") if place else (0.8, "Dòng ngày không có địa danh")
        if today is not None and value > today:
            confidence, note = 0.5, "Ngày ký ở tương lai: kiểm tra lại"
        elif value.year < 1990:
            confidence, note = 0.5, "Năm ký bất thường: kiểm tra lại"
        return (
            Found(value, _conf(confidence, line), note),
            Found(place, _conf(0.95, line)) if place else NOTHING,
        )
    return NOTHING, NOTHING


def _bodies(header: list[TextLine]) -> tuple[Found, Found, tuple[str, ...]]:
    """Issuing body and its parent: the upper-case lines of the header's left column (or of a
    stacked header), each body starting with an organisation word, a wrapped line
    continuing the body above it."""
    candidates = [line for line in header if line.column in ("L", "C")]
    if any(line.column == "L" for line in header):
        candidates = [line for line in header if line.column == "L"]
    groups: list[list[TextLine]] = []
    for line in candidates:
        key = search_key(line.text)
        if (
            not key
            or _is_motto(key)
            or _NUMBER_LINE.match(line.text.strip())
            or "ngay" in key.split()
            or not _is_upper(line.text)
        ):
            continue
        if not re.search(r"[a-z]", key):
            continue
        if key.startswith(ORG_PREFIXES) or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    if not groups:
        return NOTHING, NOTHING, ()
    texts = [clean(" ".join(line.text for line in g)) for g in groups]
    issuing_lines = groups[-1]
    issuing = Found(texts[-1], _conf(0.95, *issuing_lines))
    parent = Found(texts[-2], _conf(0.95, *groups[-2])) if len(groups) > 1 else NOTHING
    options = [texts[-1]]
    if len(texts) > 1:
        options.append(f"{texts[-2]} {texts[-1]}")
        options.append(" ".join(texts))
    return issuing, parent, tuple(dict.fromkeys(options))


def _summary(lines: list[TextLine], type_index: int) -> Found:
    type_line = lines[type_index]
    taken: list[TextLine] = []
    first_gap: float | None = None
    previous = type_line
    clear_end = False
    for line in lines[type_index + 1 : type_index + 6]:
        if line.page != type_line.page:
            break
        key = search_key(line.text)
        gap = line.top - previous.top
        if taken and key.startswith(BODY_STARTS):
            clear_end = True
            break
        if first_gap is None:
            first_gap = gap
        elif gap > first_gap * 1.45 and line.confidence >= 1.0 and type_line.bold is None:
            clear_end = True
            break
        if type_line.bold is not None and taken and not line.bold:  # Word: the bold title ends
            clear_end = True
            break
        if line.column != "C" and not taken:
            break
        taken.append(line)
        previous = line
        if len(taken) >= 4:
            break
    if not taken:
        return NOTHING
    text = clean(" ".join(line.text for line in taken))
    text = re.sub(r"^(?:V/v|v/v|Về việc)\s*", "", text).strip()
    return Found(
        text,
        _conf(0.93 if clear_end else 0.6, *taken, free_text=True),
        "" if clear_end else "Không rõ trích yếu dừng ở đâu",
    )


def _letter_subject(header: list[TextLine]) -> Found:
    """A công văn's subject: "V/v …" under the number (and its wrapped lines)."""
    for i, line in enumerate(header):
        if not search_key(line.text).startswith(("v/v", "ve viec")):
            continue
        taken = [line]
        for other in header[i + 1 :]:
            if (
                other.column != line.column
                or _is_upper(other.text)
                or other.top - taken[-1].top > 0.03
            ):
                break
            taken.append(other)
        text = re.sub(r"^(?:V/v|v/v|Về việc)\s*", "", clean(" ".join(t.text for t in taken)))
        return Found(text, _conf(0.9, *taken, free_text=True))
    return NOTHING


def _title_case(line: str) -> str:
    key = search_key(line)
    prefix = ""
    head, _, tail = key.partition(" ")
    head = head.rstrip(".")
    text = line
    if head in AUTHORITIES and tail:
        prefix = AUTHORITIES[head] + " "
        key = tail
        text = line.split(" ", 1)[1] if " " in line else line
    canonical = _TITLE_KEYS.get(key)
    if canonical is None:  # a scan's misread letters ("GLAM ĐOÓC"): the nearest known title
        from difflib import SequenceMatcher

        scored = sorted(
            ((SequenceMatcher(None, key, k).ratio(), t) for k, t in _TITLE_KEYS.items()),
            reverse=True,
        )
        if scored and scored[0][0] >= 0.75:
            canonical = scored[0][1]
        else:
            canonical = _strip_noise(text).upper()
    return prefix + canonical


# The family names nine Vietnamese in ten carry: a scan that lost a tone mark on one of them
# ("Trân", "Đỉnh") gets it back. Other words of a name are left as read (and unsure).
FAMILY_NAMES = (
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Trương",
    "Lương",
    "Mai",
    "Cao",
    "Tạ",
    "Hà",
    "Lâm",
    "Đoàn",
    "Châu",
    "Trịnh",
    "Tô",
    "Thái",
    "Văn",
)
_FAMILY_KEYS = {search_key(n): n for n in FAMILY_NAMES}


def _strip_noise(text: str) -> str:
    """A line as OCR gives it, without the specks read as punctuation at its ends."""
    return re.sub(r"^[^\w(]+|[^\w).]+$", "", clean(text))


def _family_name(name: str) -> str:
    first, _, rest = name.partition(" ")
    canonical = _FAMILY_KEYS.get(search_key(first))
    return f"{canonical} {rest}" if canonical and rest else name


def _before_appendix(lines: list[TextLine], start: int) -> list[TextLine]:
    """The document without its appendices: a "Phụ lục" title line starts them, after the
    signature."""
    for i in range(start, len(lines)):
        line = lines[i]
        if (
            line.column == "C"
            and search_key(line.text).startswith("phu luc")
            and len(line.text) < 40
            and line.top < 0.3
        ):
            return lines[:i]
    return lines


def _signer(lines: list[TextLine], type_index: int | None) -> tuple[Found, Found]:
    start = (type_index or 0) + 1
    lines = _before_appendix(lines, start)
    last_page = max((line.page for line in lines), default=0)
    # The last two pages: a footer table may break across the page (title on one, name on
    # the next).
    footer = [
        line
        for line in lines[start:]
        if line.column == "R" and line.page >= last_page - 1 and len(line.text) <= 70
    ]
    # The signer block: from the last authority line (TM./KT./Q./TL./TUQ.) and the upper-case
    # lines right above it ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"), else from the
    # last upper-case run of the right column, down to the name.
    auth_positions = [
        i
        for i, line in enumerate(footer)
        if search_key(line.text).split(" ", 1)[0].rstrip(".") in AUTHORITIES
        and "." in line.text.split(" ", 1)[0]
    ]
    begin = None
    if auth_positions:
        begin = auth_positions[-1]
        while (
            begin > 0
            and _is_upper(footer[begin - 1].text)
            and footer[begin - 1].page == footer[begin].page
            and footer[begin].top - footer[begin - 1].top < 0.05
        ):
            begin -= 1
    else:
        for i in range(len(footer) - 1, -1, -1):
            if _is_upper(footer[i].text) and i + 1 < len(footer):
                begin = i
                while (
                    begin > 0
                    and _is_upper(footer[begin - 1].text)
                    and footer[i].top - footer[begin - 1].top < 0.08
                ):
                    begin -= 1
                break
    if begin is None:
        return NOTHING, NOTHING
    title_lines: list[TextLine] = []
    name_line: TextLine | None = None
    for line in footer[begin:]:
        key = search_key(line.text)
        if key.startswith(("(da ky", "da ky", "ky boi", "(ky", "ngay ky")):
            continue
        if _is_upper(line.text) and name_line is None and len(title_lines) < 4:
            title_lines.append(line)
            continue
        words = _strip_noise(line.text).split()
        if 2 <= len(words) <= 6 and all(_NAME_WORD.match(w) for w in words):
            name_line = line
            break
    title = (
        Found(
            " / ".join(_title_case(line.text) for line in title_lines),
            _conf(0.95 if auth_positions else 0.9, *title_lines),
        )
        if title_lines
        else NOTHING
    )
    if name_line is None:
        return NOTHING, title
    name = Found(
        _family_name(_strip_noise(name_line.text)),
        _conf(0.95 if title_lines else 0.6, name_line, free_text=True),
        "" if title_lines else "Không thấy chức vụ người ký",
    )
    return name, title


def _citations(lines: list[TextLine], type_index: int | None) -> tuple[Citation, ...]:
    body = [line for line in lines[(type_index or 0) + 1 :] if line.page == 0][:40]
    text = search_key(" ".join(line.text for line in body))
    found = []
    for match in _CITE.finditer(text):
        symbol = normalise_symbol(match.group("symbol")).rstrip(".;,-").upper()
        date = _date(match.group("y"), match.group("m"), match.group("d")) or _date(
            match.group("y2"), match.group("m2"), match.group("d2")
        )
        found.append(Citation(symbol, date, match.group("kind")))
    return tuple(found)


_PERIODS: list[tuple[re.Pattern[str], PeriodKind]] = [
    (re.compile(r"6 thang dau nam (\d{4})"), PeriodKind.HALF_YEAR),
    (re.compile(r"6 thang cuoi nam (\d{4})"), PeriodKind.HALF_YEAR),
    (re.compile(r"9 thang (?:dau )?nam (\d{4})"), PeriodKind.NINE_MONTHS),
    (re.compile(r"quy (i{1,3}|iv|[1-4])\s*(?:nam\s*|/\s*)(\d{4})"), PeriodKind.QUARTER),
    (re.compile(r"thang (\d{1,2})\s*(?:nam\s*|/\s*)(\d{4})"), PeriodKind.MONTH),
    (re.compile(r"(?:nam|ca nam) (\d{4})"), PeriodKind.YEAR),
]


def _make(kind: PeriodKind, match: re.Match[str]) -> Period | None:
    if kind is PeriodKind.HALF_YEAR:
        return make_period(kind, int(match.group(1)), 1 if "dau" in match.group(0) else 2)
    if kind is PeriodKind.QUARTER:
        return make_period(kind, int(match.group(2)), ROMAN[match.group(1)])
    if kind is PeriodKind.MONTH:
        month = int(match.group(1))
        return make_period(kind, int(match.group(2)), month) if 1 <= month <= 12 else None
    return make_period(kind, int(match.group(1)))


def _period(texts: list[tuple[str, float]]) -> tuple[Found, str, PeriodKind | None]:
    """The reporting period from the subject (sure) or the first lines of the body (less)."""
    for text, base in texts:
        key = search_key(text)
        for pattern, kind in _PERIODS:
            match = pattern.search(key)
            if not match:
                continue
            try:
                period = _make(kind, match)
            except (ValueError, AppError):  # "năm 0000", "quý V": not a period
                continue
            if period is None or not 1990 <= period.year <= 2100:
                continue
            return Found(period.key, base), period.label, kind
    return NOTHING, "", None


# --- the whole document -----------------------------------------------------------------------


def read_fields(document: DocumentText, *, today: dt.date | None = None) -> Fields:
    """The fields of one document. ``today`` bounds the signing date (a future one is unsure)."""
    lines = list(document.lines)
    type_index = _find_type(lines)
    if type_index is not None:
        header = lines[:type_index]
        doc_type_text = DOC_TYPES[search_key(lines[type_index].text).strip(" .:")]
        doc_type = Found(doc_type_text, _conf(0.98, lines[type_index]))
    else:  # a công văn has no type line: its header ends at "Kính gửi"
        end = next(
            (
                line.top
                for line in lines
                if line.page == 0 and search_key(line.text).startswith("kinh gui")
            ),
            0.3,
        )
        header = [line for line in lines if line.page == 0 and line.top < end]
        doc_type_text = None
        doc_type = NOTHING
    header.sort(key=lambda line: (line.top, line.x0))
    number = _number(header, doc_type_text)
    signed, place = _signed_date(header, today)
    issuing, parent, options = _bodies(header)
    summary = _summary(lines, type_index) if type_index is not None else NOTHING
    if type_index is None:
        subject = _letter_subject(header)
        if subject.value:
            summary = subject
            doc_type_text = "CÔNG VĂN"
            doc_type = Found(doc_type_text, subject.confidence)
    name, title = _signer(lines, type_index)
    citations = _citations(lines, type_index)
    task_value = TASK_OF_TYPE.get(doc_type_text or "")
    task = Found(task_value, doc_type.confidence) if task_value else NOTHING
    if task_value == "plan":
        period, period_label, period_kind = NOTHING, "", None
    else:
        body = [line.text for line in lines[(type_index or 0) + 1 :] if line.page == 0][:12]
        period, period_label, period_kind = _period(
            [
                (str(summary.value or ""), min(0.95, summary.confidence + 0.05)),
                (" ".join(body), 0.75),
            ]
        )
    if signed.value is not None and citations:
        cited = [c.date for c in citations if c.date is not None]
        if cited and all(signed.value < d for d in cited):
            signed = Found(
                signed.value,
                min(signed.confidence, 0.6),
                "Ngày ký trước ngày văn bản được trích dẫn: kiểm tra lại",
            )
    return Fields(
        number_symbol=number,
        signed_date=signed,
        place=place,
        issuing_body=issuing,
        parent_body=parent,
        body_candidates=options,
        doc_type=doc_type,
        summary=summary,
        signer_name=name,
        signer_title=title,
        citations=citations,
        task=task,
        period=period,
        period_label=period_label,
        period_kind=period_kind,
    )
