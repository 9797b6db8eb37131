"""Two demonstration documents built on :mod:`app.documents.layout` (a báo cáo with a long
appendix and a công văn). Used by the layout tests and ``tools/render_demo_documents.py``."""

from __future__ import annotations

import datetime as dt
import os
from typing import IO

from reportlab.platypus import Flowable

from app.dates import fmt
from app.documents.layout import (
    Appendix,
    DocumentHeader,
    Footer,
    PageSettings,
    TitleBlock,
    appendix_reference,
    appendix_table,
    body_paragraph,
    build_document,
    heading,
    make_styles,
)

Target = str | os.PathLike[str] | IO[bytes]

_UNIT_KINDS = ("Sở", "UBND huyện", "UBND thị xã", "Ban Quản lý")
_UNIT_NAMES = (
    "Tư pháp",
    "Tài chính",
    "Xây dựng",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Nông nghiệp và Môi trường",
    "Bình Sơn",
    "Sơn Tịnh",
    "Tư Nghĩa",
    "Nghĩa Hành",
    "Mộ Đức",
    "Đức Phổ",
    "Ba Tơ",
    "Lý Sơn",
)
_STATUSES = ("Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Chưa đến hạn", "Sắp đến hạn", "Quá hạn")


def demo_report_rows(count: int = 130) -> list[list[str]]:
    """Deterministic appendix rows: STT, unit, task, deadline, status, note."""
    rows: list[list[str]] = []
    for i in range(count):
        kind = _UNIT_KINDS[i % len(_UNIT_KINDS)]
        name = _UNIT_NAMES[i % len(_UNIT_NAMES)]
        due = dt.date(2026, 1 + i % 12, 20)
        rows.append(
            [
                str(i + 1),
                f"{kind} {name}",
                f"Báo cáo kết quả thực hiện nhiệm vụ số {i + 1:03d} về cải cách hành chính",
                fmt(due),
                _STATUSES[i % len(_STATUSES)],
                "Đã đôn đốc" if i % 7 == 0 else "",
            ]
        )
    return rows


APPENDIX_HEADER = ("STT", "Tên đơn vị", "Nhiệm vụ", "Hạn báo cáo", "Tình trạng", "Ghi chú")


def build_demo_report(
    target: Target, settings: PageSettings | None = None, rows: int = 130
) -> None:
    """Báo cáo (Mẫu 1.4) of the Sở Nội vụ with a 130-row appendix; number and date blank."""
    settings = settings or PageSettings()
    styles = make_styles(settings)
    header = DocumentHeader(
        parent_agency="UBND TỈNH QUẢNG NGÃI",
        agency="SỞ NỘI VỤ",
        number=None,
        symbol="BC-SNV",
        place="Quảng Ngãi",
        date=None,
        year=2026,
    )
    body: list[Flowable] = [
        body_paragraph(
            "Thực hiện Công văn số 2116/UBND-NC ngày 18/4/2018 của Ủy ban nhân dân tỉnh về việc "
            "triển khai Kế hoạch phối hợp thực hiện công tác dân vận, Sở Nội vụ báo cáo kết quả "
            "theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo quý I năm 2026 như sau:",
            styles,
        ),
        heading("I. Kết quả thực hiện", 1, styles),
        heading("1. Tình hình triển khai", 2, styles),
        body_paragraph(
            "Trong kỳ báo cáo, 130 nhiệm vụ được giao cho các sở, ban, ngành và Ủy ban nhân dân "
            "các huyện, thị xã; trong đó 52 nhiệm vụ hoàn thành đúng hạn, 26 nhiệm vụ hoàn thành "
            "quá hạn, 26 nhiệm vụ chưa đến hạn, 13 nhiệm vụ sắp đến hạn và 13 nhiệm vụ quá hạn "
            "(chi tiết tại Phụ lục kèm theo).",
            styles,
        ),
        heading("a) Những việc đã làm được", 3, styles),
        body_paragraph(
            "Các cơ quan, đơn vị đã chủ động xây dựng kế hoạch, phân công rõ người, rõ việc, rõ "
            "thời hạn; chất lượng báo cáo được nâng lên, số liệu đầy đủ, kịp thời; việc ứng dụng "
            "công nghệ thông tin trong theo dõi, đôn đốc ngày càng hiệu quả.",
            styles,
        ),
        heading("b) Tồn tại, hạn chế", 3, styles),
        body_paragraph(
            "Một số đơn vị còn chậm gửi báo cáo, nội dung chưa bám sát yêu cầu; việc phối hợp "
            "giữa các cơ quan có lúc chưa chặt chẽ, ảnh hưởng đến tiến độ chung của tỉnh.",
            styles,
        ),
        heading("II. Nhiệm vụ trọng tâm thời gian tới", 1, styles),
        body_paragraph(
            "Tiếp tục theo dõi, đôn đốc các cơ quan, đơn vị thực hiện nghiêm các nhiệm vụ được "
            "giao; kịp thời tham mưu Ủy ban nhân dân tỉnh xử lý các trường hợp chậm trễ, bảo đảm "
            "hoàn thành đúng thời hạn theo quy định.",
            styles,
        ),
        body_paragraph(
            "Trên đây là báo cáo kết quả theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo quý I "
            "năm 2026 của Sở Nội vụ.",
            styles,
            closing=True,
        ),
    ]
    footer = Footer(
        authority=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"),
        signer_name="Nguyễn Văn Ánh",
        recipients=("UBND tỉnh (báo cáo)", "Giám đốc, các Phó Giám đốc Sở", "Các phòng thuộc Sở"),
        archive="VP",
    )
    widths = (12.0, 38.0, 50.0, 22.0, 25.0, 18.0)
    appendix = Appendix(
        label="Phụ lục",
        title="Tình hình thực hiện nhiệm vụ của các cơ quan, đơn vị quý I năm 2026",
        reference=appendix_reference("Báo cáo", header, "Sở Nội vụ"),
        body=(
            appendix_table(
                APPENDIX_HEADER,
                demo_report_rows(rows),
                widths,
                styles,
                align=("center", "left", "left", "center", "left", "left"),
            ),
        ),
    )
    build_document(
        target,
        header,
        TitleBlock(
            "Báo cáo", "Kết quả theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo quý I năm 2026"
        ),
        None,
        body,
        footer,
        appendices=[appendix],
        settings=settings,
    )


def build_demo_letter(target: Target, settings: PageSettings | None = None) -> None:
    """Công văn (Mẫu 1.5) đôn đốc; number 7 (printed 07) and date 05/01/2026."""
    settings = settings or PageSettings()
    styles = make_styles(settings)
    header = DocumentHeader(
        parent_agency="UBND TỈNH QUẢNG NGÃI",
        agency="SỞ NỘI VỤ",
        number="7",
        symbol="SNV-VP",
        place="Quảng Ngãi",
        date=dt.date(2026, 1, 5),
        letter_subject="V/v đôn đốc gửi báo cáo kết quả thực hiện văn bản chỉ đạo quý IV năm 2025",
    )
    body: list[Flowable] = [
        body_paragraph(
            "Theo dõi việc thực hiện Công văn số 2116/UBND-NC ngày 18/4/2018 của Ủy ban nhân dân "
            "tỉnh, đến nay một số cơ quan, đơn vị chưa gửi báo cáo kết quả thực hiện quý IV năm "
            "2025 về Sở Nội vụ theo quy định.",
            styles,
        ),
        body_paragraph(
            "Để kịp thời tổng hợp, tham mưu Ủy ban nhân dân tỉnh báo cáo cơ quan cấp trên, Sở Nội "
            "vụ đề nghị Thủ trưởng các cơ quan, đơn vị khẩn trương gửi báo cáo trước ngày "
            "10/01/2026 (bản điện tử gửi qua hệ thống quản lý văn bản và điều hành).",
            styles,
        ),
        body_paragraph(
            "Sở Nội vụ đề nghị các cơ quan, đơn vị quan tâm, thực hiện.", styles, closing=True
        ),
    ]
    footer = Footer(
        authority=("GIÁM ĐỐC",),
        signer_name="Trần Thị Bích Hằng",
        recipients=("Như trên", "UBND tỉnh (báo cáo)", "Giám đốc Sở"),
        archive="VP",
    )
    build_document(
        target,
        header,
        None,
        ["Sở Tư pháp", "Sở Tài chính", "Ủy ban nhân dân các huyện, thị xã, thành phố"],
        body,
        footer,
        settings=settings,
    )
