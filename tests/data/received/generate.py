"""Build the corpus of received documents the intake reader is measured on.

    python tests/data/received/generate.py OUT_DIR [--no-scans] [--no-signed]

Each document is written with its truth in ``<name>.json`` next to it. The documents imitate
what the units of the sample (``sotheodoi sample``: letter 2116/UBND-NC of 18/4/2018) send back:
the 14 district coordination plans, 6-month and year reports of departments and districts, in
the layouts real offices produce (two-column header table or stacked lines, Liberation Serif or
DejaVu, 12-14 pt, number and date on one line or two, signer blocks with TM./KT./Q. or none,
1-3 pages), as text-layer PDF (ReportLab), .docx (python-docx), scans (a PDF page rasterised at
200-300 dpi with slight skew and noise, as an image-only PDF) and PDFs signed with a test
certificate (pyHanko). Deterministic: the same seed gives the same documents.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
FONT_DIRS = [
    ROOT / "resources" / "fonts",
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation2"),
]
DIRECTIVE = "2116/UBND-NC"

# (unit name in the sample, header lines of the issuing body, its parent, symbol of the agency,
#  place name, head title, deputy title)
DISTRICTS = [
    ("UBND thành phố Quảng Ngãi", "THÀNH PHỐ QUẢNG NGÃI", "Quảng Ngãi"),
    ("UBND huyện Bình Sơn", "HUYỆN BÌNH SƠN", "Bình Sơn"),
    ("UBND huyện Sơn Tịnh", "HUYỆN SƠN TỊNH", "Sơn Tịnh"),
    ("UBND huyện Tư Nghĩa", "HUYỆN TƯ NGHĨA", "Tư Nghĩa"),
    ("UBND huyện Nghĩa Hành", "HUYỆN NGHĨA HÀNH", "Nghĩa Hành"),
    ("UBND huyện Mộ Đức", "HUYỆN MỘ ĐỨC", "Mộ Đức"),
    ("UBND huyện Đức Phổ", "HUYỆN ĐỨC PHỔ", "Đức Phổ"),
    ("UBND huyện Ba Tơ", "HUYỆN BA TƠ", "Ba Tơ"),
    ("UBND huyện Minh Long", "HUYỆN MINH LONG", "Minh Long"),
    ("UBND huyện Sơn Hà", "HUYỆN SƠN HÀ", "Sơn Hà"),
    ("UBND huyện Sơn Tây", "HUYỆN SƠN TÂY", "Sơn Tây"),
    ("UBND huyện Trà Bồng", "HUYỆN TRÀ BỒNG", "Trà Bồng"),
    ("UBND huyện Tây Trà", "HUYỆN TÂY TRÀ", "Tây Trà"),
    ("UBND huyện Lý Sơn", "HUYỆN LÝ SƠN", "Lý Sơn"),
]
DEPARTMENTS = [
    ("Văn phòng UBND tỉnh", "VĂN PHÒNG UBND TỈNH", "VP", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"),
    ("Sở Nội vụ", "SỞ NỘI VỤ", "SNV", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Tư pháp", "SỞ TƯ PHÁP", "STP", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Kế hoạch và Đầu tư", "SỞ KẾ HOẠCH VÀ ĐẦU TƯ", "SKHĐT", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Tài chính", "SỞ TÀI CHÍNH", "STC", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Công Thương", "SỞ CÔNG THƯƠNG", "SCT", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    (
        "Sở Nông nghiệp và Phát triển nông thôn",
        "SỞ NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN",
        "SNN&PTNT",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ),
    ("Sở Giao thông vận tải", "SỞ GIAO THÔNG VẬN TẢI", "SGTVT", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Xây dựng", "SỞ XÂY DỰNG", "SXD", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    (
        "Sở Tài nguyên và Môi trường",
        "SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG",
        "STNMT",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ),
    (
        "Sở Thông tin và Truyền thông",
        "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "STTTT",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ),
    (
        "Sở Lao động - Thương binh và Xã hội",
        "SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI",
        "SLĐTBXH",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ),
    (
        "Sở Văn hóa, Thể thao và Du lịch",
        "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH",
        "SVHTTDL",
        "GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    ),
    ("Sở Khoa học và Công nghệ", "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "SKHCN", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Giáo dục và Đào tạo", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Y tế", "SỞ Y TẾ", "SYT", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Sở Ngoại vụ", "SỞ NGOẠI VỤ", "SNgV", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
    ("Thanh tra tỉnh", "THANH TRA TỈNH", "TTr", "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA"),
    ("Ban Dân tộc tỉnh", "BAN DÂN TỘC", "BDT", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN"),
    (
        "Ban Quản lý Khu kinh tế Dung Quất và các Khu công nghiệp Quảng Ngãi",
        "BAN QUẢN LÝ KHU KINH TẾ DUNG QUẤT VÀ CÁC KHU CÔNG NGHIỆP QUẢNG NGÃI",
        "BQL",
        "TRƯỞNG BAN",
        "PHÓ TRƯỞNG BAN",
    ),
]
FAMILY = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Huỳnh",
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
]
MIDDLE = ["Văn", "Thị", "Minh", "Ngọc", "Đức", "Thanh", "Quốc", "Hữu", "Xuân", "Tấn", "Đình"]
GIVEN = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Mai",
    "Nam",
    "Phúc",
    "Quang",
    "Sơn",
    "Tâm",
    "Thảo",
    "Trung",
    "Tuấn",
    "Việt",
    "Yến",
    "Lành",
    "Nhân",
    "Hoà",
]
FILLER = [
    "Tiếp tục quán triệt, triển khai thực hiện nghiêm túc các chủ trương của Đảng, chính sách, "
    "pháp luật của Nhà nước về công tác dân vận; nâng cao nhận thức, trách nhiệm của cán bộ, "
    "công chức, viên chức trong thực hiện công tác dân vận chính quyền.",
    "Đẩy mạnh cải cách hành chính, trọng tâm là cải cách thủ tục hành chính; thực hiện có hiệu "
    "quả cơ chế một cửa, một cửa liên thông; công khai, minh bạch các thủ tục hành chính tại bộ "
    "phận tiếp nhận và trả kết quả.",
    "Thực hiện tốt Quy chế dân chủ ở cơ sở; tăng cường đối thoại giữa người đứng đầu cơ quan, "
    "đơn vị với nhân dân; giải quyết kịp thời, đúng pháp luật các khiếu nại, tố cáo, kiến nghị "
    "của công dân ngay từ cơ sở.",
    "Phối hợp chặt chẽ với Ban Dân vận, Ủy ban Mặt trận Tổ quốc Việt Nam và các đoàn thể chính "
    "trị - xã hội cùng cấp trong việc vận động nhân dân tham gia các phong trào thi đua yêu nước.",
    "Tăng cường kiểm tra, giám sát việc thực hiện nhiệm vụ công vụ; chấn chỉnh kịp thời những "
    "biểu hiện quan liêu, sách nhiễu, gây phiền hà cho tổ chức và công dân.",
    "Kết quả cụ thể: đã tổ chức 12 hội nghị quán triệt với 1.250 lượt cán bộ tham dự; tiếp "
    "nhận và giải quyết 342 hồ sơ thủ tục hành chính, trong đó 98,5% đúng hạn.",
    "Khó khăn, vướng mắc: kinh phí bố trí cho công tác dân vận còn hạn chế; một số cán bộ, "
    "công chức chưa nhận thức đầy đủ về vị trí, vai trò của công tác dân vận chính quyền.",
]
SECTIONS_PLAN = ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG PHỐI HỢP", "III. TỔ CHỨC THỰC HIỆN"]
SECTIONS_REPORT = [
    "I. KẾT QUẢ THỰC HIỆN",
    "II. KHÓ KHĂN, VƯỚNG MẮC",
    "III. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI",
    "IV. KIẾN NGHỊ, ĐỀ XUẤT",
]


@dataclass
class Doc:
    """One document: what is written on it (the truth) and how it is laid out."""

    name: str
    unit: str  # the unit's name in the sample data
    body_lines: list[str]  # the issuing body as printed (one or more header lines)
    parent_lines: list[str]
    number_symbol: str  # as it should be read (normalised)
    number_printed: str  # as printed after "Số"
    signed_date: dt.date
    place: str
    doc_type: str  # KẾ HOẠCH / BÁO CÁO
    summary: str
    signer_title_lines: list[str]
    signer_name: str
    task: str  # plan / report
    period: str  # "" for a plan; "6 tháng đầu năm 2018", "Năm 2018"
    directive: str = DIRECTIVE
    fmt: str = "pdf"  # pdf, docx, scan, signed
    layout: str = "table"  # table, stacked, centred
    font: str = "LiberationSerif"
    size: float = 13
    pages: int = 1
    date_style: str = "words"  # words, slashes
    number_prefix: str = "Số: "
    signed_by_cert: bool = False
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def signer_title(self) -> str:
        return " / ".join(self.signer_title_lines)

    def date_text(self) -> str:
        d = self.signed_date
        if self.date_style == "slashes":
            return f"{self.place}, ngày {d.day:02d}/{d.month}/{d.year}"
        day = f"{d.day:02d}" if d.day < 10 else str(d.day)
        month = f"{d.month:02d}" if d.month < 3 else str(d.month)
        return f"{self.place}, ngày {day} tháng {month} năm {d.year}"

    def truth(self) -> dict[str, object]:
        return {
            "file": self.file_name,
            "format": self.fmt,
            "layout": self.layout,
            "number_symbol": self.number_symbol,
            "signed_date": self.signed_date.isoformat(),
            "unit": self.unit,
            "issuing_body": " ".join(self.body_lines),
            "doc_type": self.doc_type,
            "summary": self.summary,
            "signer_name": self.signer_name,
            "signer_title": self.signer_title,
            "directive": self.directive,
            "task": self.task,
            "period": self.period,
            "pages": self.pages,
            "signed_by_certificate": self.signed_by_cert,
        }

    @property
    def file_name(self) -> str:
        return f"{self.name}.{'docx' if self.fmt == 'docx' else 'pdf'}"


def _name(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _number_printed(rng: random.Random, number: int, kind: str, agency: str) -> str:
    styles = [
        f"{number}/{kind}-{agency}",
        f"{number:02d}/{kind}-{agency}",
        f"{number} /{kind}-{agency}",
        f"{number}/{kind} - {agency}",
        f"{number}/{kind}–{agency}",
    ]
    return rng.choice(styles)


def _body(doc: Doc, rng: random.Random) -> list[tuple[str, str]]:
    """(style, text) paragraphs of the body: the citation first, other documents cited with
    their own dates (never the date to read), sections of filler."""
    cites = [
        f"Thực hiện Công văn số {doc.directive} ngày 18/4/2018 của Ủy ban nhân dân tỉnh Quảng "
        "Ngãi về việc triển khai Kế hoạch phối hợp thực hiện công tác dân vận năm 2018 - “Năm "
        "dân vận chính quyền”;",
        "Căn cứ Kế hoạch số 72-KH/BDVTU-BCSĐUBND ngày 04/4/2018 của Ban Dân vận Tỉnh ủy và Ban "
        "Cán sự đảng Ủy ban nhân dân tỉnh;",
    ]
    if rng.random() < 0.5:
        cites.reverse()
    if doc.task == "plan":
        first, _, rest = doc.unit.removeprefix("UBND ").partition(" ")
        who = f"{first} {rest}"
        lead = (
            f"Ủy ban nhân dân {who} xây dựng Kế hoạch phối hợp thực hiện công tác "
            "dân vận năm 2018 như sau:"
        )
    else:
        lead = f"{doc.unit} báo cáo kết quả thực hiện {doc.period.lower()} như sau:"
    paragraphs = [("body", c) for c in cites] + [("body", lead)]
    sections = SECTIONS_PLAN if doc.task == "plan" else SECTIONS_REPORT
    per_page = {1: 1, 2: 5, 3: 10}[doc.pages]
    if doc.fmt == "scan":  # a one-page scan: the header, a short body, the signer
        sections = sections[:1]
    for i, title in enumerate(sections):
        paragraphs.append(("heading", title))
        for _ in range(per_page if i < 2 else 1):
            paragraphs.append(("body", rng.choice(FILLER)))
    paragraphs[-1] = ("body", paragraphs[-1][1] + "./.")
    return paragraphs


RECIPIENTS = ["- UBND tỉnh (b/c);", "- Sở Nội vụ;", "- Ban Dân vận Tỉnh ủy;", "- Lưu: VT."]


def plan_corpus(seed: int = 2018) -> list[Doc]:
    """The documents, deterministic for ``seed``."""
    rng = random.Random(seed)
    docs: list[Doc] = []
    layouts = ["table", "stacked", "centred"]
    fonts = ["LiberationSerif", "LiberationSerif", "DejaVuSerif", "LiberationSans"]

    def district_signer(deputy: bool) -> list[str]:
        if deputy:
            return rng.choice(
                [
                    ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                    ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"],
                ]
            )
        return rng.choice([["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"], ["CHỦ TỊCH"]])

    def district_doc(i: int, name: str, task: str, period: str, fmt: str, date: dt.date) -> Doc:
        unit, place_line, place = DISTRICTS[i]
        if rng.random() < 0.5:
            body_lines = ["ỦY BAN NHÂN DÂN", place_line]
        else:
            body_lines = [f"UBND {place_line}"]
        kind = "KH" if task == "plan" else "BC"
        number = rng.randint(12, 240)
        if task == "plan":
            summary = rng.choice(
                [
                    "Phối hợp thực hiện công tác dân vận năm 2018 - “Năm dân vận chính quyền”",
                    "Phối hợp thực hiện công tác dân vận năm 2018",
                    "Phối hợp giữa Ủy ban nhân dân và Ban Dân vận thực hiện công tác dân vận "
                    "chính quyền năm 2018",
                ]
            )
        else:
            summary = f"Kết quả thực hiện công tác dân vận chính quyền {period.lower()}"
        return Doc(
            name=name,
            unit=unit,
            body_lines=body_lines,
            parent_lines=[],
            number_symbol=f"{number}/{kind}-UBND",
            number_printed=_number_printed(rng, number, kind, "UBND"),
            signed_date=date,
            place=place,
            doc_type="KẾ HOẠCH" if task == "plan" else "BÁO CÁO",
            summary=summary,
            signer_title_lines=district_signer(rng.random() < 0.6),
            signer_name=_name(rng),
            task=task,
            period=period,
            fmt=fmt,
            layout=rng.choice(layouts),
            font=rng.choice(fonts),
            size=rng.choice([12, 13, 14]),
            pages=rng.choice([1, 1, 2, 3]),
            date_style=rng.choice(["words"] * 3 + ["slashes"]),
            number_prefix=rng.choice(["Số: ", "Số: ", "Số:", "Số "]),
        )

    def department_doc(i: int, name: str, period: str, fmt: str, date: dt.date) -> Doc:
        unit, body, agency, head, deputy = DEPARTMENTS[i]
        number = rng.randint(5, 400)
        roll = rng.random()
        if roll < 0.45:
            title = [f"KT. {head}", deputy]
        elif roll < 0.6:
            title = [f"Q. {head}"]
        else:
            title = [head]
        parent = rng.choice([["UBND TỈNH QUẢNG NGÃI"], ["ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI"]])
        if body.startswith("VĂN PHÒNG"):
            parent = []
            body = rng.choice(["VĂN PHÒNG UBND TỈNH", "VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH"])
        return Doc(
            name=name,
            unit=unit,
            body_lines=[body],
            parent_lines=parent,
            number_symbol=f"{number}/BC-{agency}",
            number_printed=_number_printed(rng, number, "BC", agency),
            signed_date=date,
            place="Quảng Ngãi",
            doc_type="BÁO CÁO",
            summary=rng.choice(
                [
                    f"Kết quả thực hiện công tác dân vận chính quyền {period.lower()}",
                    f"Tình hình thực hiện Kế hoạch phối hợp công tác dân vận {period.lower()}",
                ]
            ),
            signer_title_lines=title,
            signer_name=_name(rng),
            task="report",
            period=period,
            fmt=fmt,
            layout=rng.choice(layouts),
            font=rng.choice(fonts),
            size=rng.choice([12, 13, 14]),
            pages=rng.choice([1, 2, 2, 3]),
            date_style=rng.choice(["words"] * 3 + ["slashes"]),
            number_prefix=rng.choice(["Số: ", "Số:", "Số "]),
        )

    # 14 district plans (the drop test), text-layer PDF, dated 20-30/4/2018.
    for i in range(14):
        date = dt.date(2018, 4, rng.randint(20, 30))
        docs.append(district_doc(i, f"ke-hoach-{i + 1:02d}", "plan", "", "pdf", date))
    # Department 6-month reports: PDF and .docx.
    for i in range(20):
        date = dt.date(2018, 6, rng.randint(10, 20))
        fmt = "docx" if i % 2 else "pdf"
        docs.append(
            department_doc(i, f"bao-cao-6t-so-{i + 1:02d}", "6 tháng đầu năm 2018", fmt, date)
        )
    # District 6-month reports: .docx and PDF.
    for i in range(14):
        date = dt.date(2018, 6, rng.randint(8, 20))
        fmt = "pdf" if i % 2 else "docx"
        docs.append(
            district_doc(
                i, f"bao-cao-6t-huyen-{i + 1:02d}", "report", "6 tháng đầu năm 2018", fmt, date
            )
        )
    # Year reports.
    for j, i in enumerate(range(0, 20, 2)):
        date = dt.date(2018, 12, rng.randint(5, 20))
        docs.append(
            department_doc(
                i, f"bao-cao-nam-so-{j + 1:02d}", "Năm 2018", "docx" if j % 3 == 0 else "pdf", date
            )
        )
    # Scans of plans and reports (one page each; the OCR test reads them).
    for j in range(12):
        if j % 2 == 0:
            d = district_doc(
                j, f"quet-{j + 1:02d}", "plan", "", "scan", dt.date(2018, 4, rng.randint(20, 30))
            )
        else:
            d = department_doc(
                j + 4,
                f"quet-{j + 1:02d}",
                "6 tháng đầu năm 2018",
                "scan",
                dt.date(2018, 6, rng.randint(10, 20)),
            )
        d.pages = 1
        d.extra["dpi"] = rng.choice([200, 250, 300])
        d.extra["skew"] = round(rng.uniform(-1.2, 1.2), 2)
        docs.append(d)
    # Digitally signed PDFs.
    for j in range(4):
        d = department_doc(
            10 + j,
            f"ky-so-{j + 1:02d}",
            "6 tháng đầu năm 2018",
            "signed",
            dt.date(2018, 6, rng.randint(10, 20)),
        )
        d.signed_by_cert = True
        docs.append(d)
    return docs


# --- PDF (ReportLab canvas: full control over where each line goes) --------------------------

_registered: set[str] = set()


def _font(name: str, bold: bool = False, italic: bool = False) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    style = {
        (False, False): "Regular",
        (True, False): "Bold",
        (False, True): "Italic",
        (True, True): "BoldItalic",
    }[(bold, italic)]
    if name.startswith("DejaVu"):
        dv = {"Regular": "", "Bold": "-Bold", "Italic": "-Italic", "BoldItalic": "-BoldItalic"}
        file = f"{name}{dv[style]}.ttf"
    else:
        file = f"{name}-{style}.ttf"
    key = f"{name}-{style}"
    if key not in _registered:
        for folder in FONT_DIRS:
            if (folder / file).is_file():
                pdfmetrics.registerFont(TTFont(key, str(folder / file)))
                _registered.add(key)
                break
        else:
            raise FileNotFoundError(file)
    return key


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if stringWidth(trial, font, size) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def write_pdf(doc: Doc, path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    rng = random.Random(doc.name)
    width, height = A4
    left, right, top = 30 * mm, width - 15 * mm, height - 20 * mm
    text_w = right - left
    size = doc.size
    regular, bold = _font(doc.font), _font(doc.font, bold=True)
    italic = _font(doc.font, italic=True)
    c = canvas.Canvas(str(path), pagesize=A4)
    c.setTitle(doc.summary)
    lead = size * 1.3
    y = top

    def centre(text: str, x: float, font: str, sz: float) -> None:
        c.setFont(font, sz)
        c.drawCentredString(x, y, text)

    def rule(x: float, w: float) -> None:
        c.setLineWidth(0.6)
        c.line(x - w / 2, y - 3, x + w / 2, y - 3)

    number_line = f"{doc.number_prefix}{doc.number_printed}"
    left_col_x, right_col_x = left + text_w * 0.2, left + text_w * 0.7
    agency_size = min(size, 12.5)
    if doc.layout == "table":
        col_w = text_w * 0.42
        ly = ry = y
        left_lines = [
            (line, regular)
            for p in doc.parent_lines
            for line in _wrap(p, regular, agency_size, col_w)
        ]
        left_lines += [
            (line, bold) for b in doc.body_lines for line in _wrap(b, bold, agency_size, col_w)
        ]
        for text, font in left_lines:
            c.setFont(font, agency_size)
            c.drawCentredString(left_col_x, ly, text)
            ly -= agency_size * 1.25
        c.line(
            left_col_x - 15 * mm,
            ly + agency_size * 0.8,
            left_col_x + 15 * mm,
            ly + agency_size * 0.8,
        )
        ly -= 4
        for text, font, sz in (
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, 12),
            ("Độc lập - Tự do - Hạnh phúc", bold, 13),
        ):
            c.setFont(font, sz)
            c.drawCentredString(right_col_x, ry, text)
            ry -= sz * 1.25
        tw = stringWidth("Độc lập - Tự do - Hạnh phúc", bold, 13)
        c.line(right_col_x - tw / 2, ry + 13 * 0.8, right_col_x + tw / 2, ry + 13 * 0.8)
        ry -= 4
        y = min(ly, ry) - 4
        c.setFont(regular, 13)
        c.drawCentredString(left_col_x, y, number_line)
        c.setFont(italic, 13)
        c.drawCentredString(right_col_x, y, doc.date_text())
        y -= lead * 2
    else:
        for text, font, sz in (
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold, 12),
            ("Độc lập - Tự do - Hạnh phúc", bold, 13),
        ):
            centre(text, width / 2 if doc.layout == "centred" else right_col_x, font, sz)
            y -= sz * 1.3
        y -= lead
        for p in doc.parent_lines:
            centre(p, width / 2 if doc.layout == "centred" else left_col_x, regular, agency_size)
            y -= agency_size * 1.3
        for b in doc.body_lines:
            for line in _wrap(
                b, bold, agency_size, text_w * (0.9 if doc.layout == "centred" else 0.42)
            ):
                centre(
                    line, width / 2 if doc.layout == "centred" else left_col_x, bold, agency_size
                )
                y -= agency_size * 1.3
        y -= 4
        if doc.layout == "centred":
            centre(number_line, width / 2, regular, 13)
            y -= lead
            centre(doc.date_text(), width / 2, italic, 13)
        else:  # number on the left, date on the right, one line
            c.setFont(regular, 13)
            c.drawString(left, y, number_line)
            c.setFont(italic, 13)
            c.drawRightString(right, y, doc.date_text())
        y -= lead * 2
    centre(doc.doc_type, width / 2, bold, size + 1)
    y -= lead
    for line in _wrap(doc.summary, bold, size, text_w * 0.8):
        centre(line, width / 2, bold, size)
        y -= lead
    y += lead * 0.55
    rule(width / 2, text_w * 0.3)
    y -= lead * 1.5

    pages = 1
    for style, text in _body(doc, rng):
        font = bold if style == "heading" else regular
        for k, line in enumerate(_wrap(text, font, size, text_w - (10 * mm))):
            if y < 25 * mm:
                c.showPage()
                pages += 1
                y = top
                c.setFont(regular, 13)
                c.drawCentredString(width / 2, height - 12 * mm, str(pages))
            c.setFont(font, size)
            c.drawString(left + (10 * mm if k == 0 else 0), y, line)
            y -= lead
        y -= 4
    if y < 75 * mm:
        c.showPage()
        pages += 1
        y = top
        c.setFont(regular, 13)
        c.drawCentredString(width / 2, height - 12 * mm, str(pages))
    y -= lead * 0.5
    fy = y
    c.setFont(_font(doc.font, bold=True, italic=True), 12)
    c.drawString(left, fy, "Nơi nhận:")
    fy -= 14
    c.setFont(regular, 11)
    for r in RECIPIENTS:
        c.drawString(left, fy, r)
        fy -= 13
    for line in doc.signer_title_lines:
        centre(line, right_col_x, bold, size)
        y -= lead
    y -= lead * 3.2
    centre(doc.signer_name, right_col_x, bold, size)
    c.showPage()
    c.save()
    doc.pages = pages


# --- Word -------------------------------------------------------------------------------------


def write_docx(doc: Doc, path: Path) -> None:
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    rng = random.Random(doc.name)
    d = Document()
    family = {
        "LiberationSerif": "Times New Roman",
        "DejaVuSerif": "Times New Roman",
        "LiberationSans": "Arial",
    }[doc.font]
    style = d.styles["Normal"]
    style.font.name = family
    style.font.size = Pt(doc.size)

    def para(
        cell_or_doc,
        text: str,
        *,
        bold: bool = False,
        italic: bool = False,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        size: float | None = None,
    ):
        p = cell_or_doc.add_paragraph()
        p.alignment = align
        run = p.add_run(text)
        run.bold = bold
        run.italic = italic
        if size:
            run.font.size = Pt(size)
        return p

    number_line = f"{doc.number_prefix}{doc.number_printed}"
    if doc.layout == "table" or doc.layout == "stacked":
        table = d.add_table(rows=1, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        left_cell, right_cell = table.rows[0].cells
        left_cell.paragraphs[0].text = ""
        for p in doc.parent_lines:
            para(left_cell, p, size=12)
        for b in doc.body_lines:
            para(left_cell, b, bold=True, size=12)
        if doc.layout == "table":
            para(left_cell, number_line, size=13)
        para(right_cell, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
        para(right_cell, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
        if doc.layout == "table":
            para(right_cell, doc.date_text(), italic=True, size=13)
        else:
            row = d.add_table(rows=1, cols=2).rows[0].cells
            para(row[0], number_line, size=13)
            para(row[1], doc.date_text(), italic=True, size=13)
    else:
        para(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12)
        para(d, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13)
        for p in doc.parent_lines:
            para(d, p, size=12)
        for b in doc.body_lines:
            para(d, b, bold=True, size=12)
        para(d, number_line)
        para(d, doc.date_text(), italic=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(d, doc.doc_type, bold=True, size=doc.size + 1)
    para(d, doc.summary, bold=True)
    for kind, text in _body(doc, rng):
        para(d, text, bold=kind == "heading", align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    footer = d.add_table(rows=1, cols=2).rows[0].cells
    footer[0].paragraphs[0].text = ""
    para(footer[0], "Nơi nhận:", bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, size=12)
    for r in RECIPIENTS:
        para(footer[0], r, align=WD_ALIGN_PARAGRAPH.LEFT, size=11)
    for line in doc.signer_title_lines:
        para(footer[1], line, bold=True)
    for _ in range(3):
        para(footer[1], "")
    para(footer[1], doc.signer_name, bold=True)
    d.save(str(path))


# --- scans and signatures ---------------------------------------------------------------------


def rasterise(pdf: Path, target: Path, dpi: int, skew: float, seed: str) -> None:
    """An image-only PDF that looks scanned: grey, slightly rotated, speckled."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageFilter

    rng = random.Random(seed)
    document = pdfium.PdfDocument(str(pdf))
    images = []
    for index in range(len(document)):
        page = document[index]
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(skew, resample=Image.Resampling.BILINEAR, expand=False, fillcolor=255)
        pixels = image.load()
        w, h = image.size
        for _ in range(w * h // 400):  # salt-and-pepper specks
            x, y = rng.randrange(w), rng.randrange(h)
            pixels[x, y] = rng.choice((0, 90, 200))
        image = image.filter(ImageFilter.GaussianBlur(0.4)).point(
            lambda v: min(255, int(v * 0.93 + 12))
        )
        images.append(image)
    document.close()
    images[0].save(str(target), "PDF", resolution=dpi, save_all=True, append_images=images[1:])


def test_certificate(folder: Path) -> tuple[Path, Path, Path]:
    """A CA and a signer certificate (key) for the corpus' signed files."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_path, cert_path, key_path = (
        folder / "ca-thu-nghiem.pem",
        folder / "nguoi-ky.pem",
        folder / "nguoi-ky.key",
    )
    if ca_path.exists() and cert_path.exists() and key_path.exists():
        return ca_path, cert_path, key_path
    folder.mkdir(parents=True, exist_ok=True)
    start = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "CA thử nghiệm"),
            x509.NameAttribute(NameOID.COMMON_NAME, "CA thử nghiệm Sổ theo dõi"),
        ]
    )
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Sở Tài nguyên và Môi trường"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Sở Tài nguyên và Môi trường"),
        ]
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_path.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return ca_path, cert_path, key_path


def sign_pdf(source: Path, target: Path, cert_folder: Path, when: dt.datetime) -> None:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    ca_path, cert_path, key_path = test_certificate(cert_folder)
    signer = signers.SimpleSigner.load(
        str(key_path), str(cert_path), ca_chain_files=(str(ca_path),)
    )
    assert signer is not None
    with source.open("rb") as inp, target.open("wb") as out:
        writer = IncrementalPdfFileWriter(inp)
        meta = signers.PdfSignatureMetadata(
            field_name="ChuKySo", reason="Ký ban hành", location="Quảng Ngãi"
        )
        pdf_signer = signers.PdfSigner(meta, signer=signer)
        pdf_signer.sign_pdf(writer, output=out)
    del when


def print_with_libreoffice(docs: list[Doc], out: Path) -> list[Doc]:
    """The .docx files printed to PDF by LibreOffice (another PDF producer: its own line
    breaks, a date line wrapped in a narrow column, a footer table broken across pages), as
    ``<name>-libreoffice.pdf`` with the same truth. Nothing when LibreOffice is missing."""
    import shutil
    import subprocess
    import tempfile

    soffice = shutil.which("soffice")
    words = [d for d in docs if d.fmt == "docx"]
    if soffice is None or not words:
        return []
    printed = []
    wanted = [d for d in words if not (out / f"{d.name}-libreoffice.pdf").exists()]
    if wanted:
        with tempfile.TemporaryDirectory() as tmp:
            # A profile of its own: another LibreOffice running on the machine does not block it.
            profile = Path(tmp, "profile").as_uri()
            subprocess.run(
                [
                    soffice,
                    f"-env:UserInstallation={profile}",
                    "--headless",
                    "--convert-to",
                    "pdf",
                    "--outdir",
                    tmp,
                    *(str(out / d.file_name) for d in wanted),
                ],
                capture_output=True,
                timeout=600,
                check=False,
            )
            for d in wanted:
                made = Path(tmp) / f"{d.name}.pdf"
                if made.exists():
                    shutil.move(str(made), out / f"{d.name}-libreoffice.pdf")
    for d in words:
        target = out / f"{d.name}-libreoffice.pdf"
        if target.exists():
            truth = dict(d.truth(), file=target.name, format="word-pdf")
            (out / f"{d.name}-libreoffice.json").write_text(
                json.dumps(truth, ensure_ascii=False, indent=1), encoding="utf-8"
            )
            printed.append(d)
    return printed


def build(
    out: Path,
    *,
    scans: bool = True,
    signed: bool = True,
    seed: int = 2018,
    libreoffice: bool = False,
) -> list[Doc]:
    """Write the corpus into ``out`` (skipping files already there); return the documents."""
    out.mkdir(parents=True, exist_ok=True)
    docs = plan_corpus(seed)
    written = []
    for doc in docs:
        if (doc.fmt == "scan" and not scans) or (doc.fmt == "signed" and not signed):
            continue
        target = out / doc.file_name
        truth = out / f"{doc.name}.json"
        if not (target.exists() and truth.exists()):
            if doc.fmt == "docx":
                write_docx(doc, target)
            elif doc.fmt == "pdf":
                write_pdf(doc, target)
            elif doc.fmt == "scan":
                plain = out / f".{doc.name}-text.pdf"
                write_pdf(doc, plain)
                rasterise(
                    plain,
                    target,
                    int(doc.extra["dpi"]),  # type: ignore[call-overload]
                    float(doc.extra["skew"]),
                    doc.name,
                )  # type: ignore[arg-type]
                plain.unlink()
            else:
                plain = out / f".{doc.name}-text.pdf"
                write_pdf(doc, plain)
                sign_pdf(
                    plain,
                    target,
                    out / "chung-thu",
                    dt.datetime.combine(doc.signed_date, dt.time(9, 0)),
                )
                plain.unlink()
            truth.write_text(
                json.dumps(doc.truth(), ensure_ascii=False, indent=1), encoding="utf-8"
            )
        written.append(doc)
    if libreoffice:
        print_with_libreoffice(written, out)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--no-scans", action="store_true")
    parser.add_argument("--no-signed", action="store_true")
    parser.add_argument(
        "--libreoffice",
        action="store_true",
        help="also print the .docx files to PDF with LibreOffice",
    )
    args = parser.parse_args(argv)
    docs = build(
        args.out, scans=not args.no_scans, signed=not args.no_signed, libreoffice=args.libreoffice
    )
    print(f"{len(docs)} documents in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())


__all__ = ["Doc", "asdict", "build", "plan_corpus"]
