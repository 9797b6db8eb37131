"""The template to fill in: the list's headers (required ones marked *), drop-down lists, and a
sheet of instructions with an example row (docs/excel-va-sao-luu.md)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from app.errors import ValidationError
from app.exchange.xlsx_import.parse import CLEAR_MARKER
from app.exchange.xlsx_import.read import FIELDS, GUIDE_SHEET
from app.fileio import atomic_path
from app.models import CHANNEL_LABELS, UNIT_KIND_LABELS

TEMPLATE_TITLES = {
    "units": "MẪU NHẬP DANH SÁCH ĐƠN VỊ",
    "submissions": "MẪU NHẬP VĂN BẢN NHẬN ĐƯỢC (ĐĂNG KÝ KẾ HOẠCH, BÁO CÁO)",
}
TEMPLATE_EXAMPLES: dict[str, dict[str, str]] = {
    "units": {
        "name": "UBND huyện Bình Sơn",
        "short_name": "Bình Sơn",
        "kind": "UBND cấp huyện",
        "sort_order": "1",
        "head_title": "Chủ tịch",
        "email": "ubndbinhson@example.gov.vn",
        "active": "Có",
        "valid_from": "01/01/2018",
    },
    "submissions": {
        "unit": "UBND huyện Bình Sơn",
        "directive": "2116/UBND-NC",
        "task": "Xây dựng kế hoạch phối hợp",
        "period": "",
        "number_symbol": "45/KH-UBND",
        "signed_date": "25/04/2018",
        "received_date": "27/04/2018",
        "signer": "Nguyễn Văn A",
        "channel": "Giấy (bưu chính, văn thư)",
        "summary": "Kế hoạch phối hợp 2018",
    },
}


def write_template(kind: str, path: Path | str) -> Path:
    """An empty sheet with the right headers (required ones marked *), drop-down lists, and a
    sheet of instructions with an example row."""
    if kind not in FIELDS:
        raise ValidationError(f"Không có mẫu {kind!r}; chọn units hoặc submissions.")
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")
    fields = FIELDS[kind]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Nhập liệu"
    ws.cell(1, 1, TEMPLATE_TITLES[kind]).font = Font(bold=True, size=14)
    ws.cell(
        2,
        1,
        "Điền từ dòng 4; cột có dấu * là bắt buộc; ngày ghi dd/mm/yyyy. Khi cập nhật, "
        f"ô trống giữ nguyên giá trị đang có; ghi {CLEAR_MARKER} để xoá một giá trị. "
        'Xem trang "Hướng dẫn".',
    ).font = Font(italic=True)
    fill = PatternFill("solid", start_color="FFD9E2F3", end_color="FFD9E2F3")
    for c, f in enumerate(fields, start=1):
        cell = ws.cell(3, c, f.header + (" *" if f.required else ""))
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = max(14, len(f.header) + 4)
        if f.is_date:
            for r in range(4, 1004):
                ws.cell(r, c).number_format = "DD/MM/YYYY"
        choices = None
        if f.key == "kind":
            choices = list(UNIT_KIND_LABELS.values())
        elif f.key == "channel":
            choices = list(CHANNEL_LABELS.values())
        elif f.key == "active":
            choices = ["Có", "Không"]
        if choices:
            dv = DataValidation(
                type="list",
                formula1='"' + ",".join(c.replace(",", "") for c in choices) + '"',
                allow_blank=True,
            )
            dv.error = "Hãy chọn trong danh sách."
            ws.add_data_validation(dv)
            dv.add(f"{letter}4:{letter}1003")
    ws.freeze_panes = "A4"
    guide = wb.create_sheet(GUIDE_SHEET)
    guide.cell(1, 1, "Hướng dẫn nhập").font = Font(bold=True, size=14)
    guide.append([])
    guide.append(["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for cell in guide[3]:
        cell.font = Font(bold=True)
    examples = TEMPLATE_EXAMPLES[kind]
    for f in fields:
        guide.append(
            [
                f.header,
                "Có" if f.required else "",
                f.hint or ("dd/mm/yyyy" if f.is_date else ""),
                examples.get(f.key, ""),
            ]
        )
    guide.append([])
    guide.append(
        [
            "Tên cột không phân biệt hoa thường, có dấu hay không dấu. Dòng trống được bỏ "
            'qua. Không gộp ô trong vùng dữ liệu. Chỉ trang "Nhập liệu" được đọc.'
        ]
    )
    if kind == "submissions":
        guide.append(
            [
                "Văn bản được ghép với nghĩa vụ theo Đơn vị + Văn bản chỉ đạo + Nhiệm vụ + "
                "Kỳ báo cáo. Văn bản đã có (cùng đơn vị, cùng năm, cùng số) sẽ được cập "
                "nhật."
            ]
        )
        guide.append(
            [
                "Ngày ký, ngày nhận không được trước ngày của văn bản chỉ đạo; ngày nhận "
                "không trước ngày ký, không sau hôm nay."
            ]
        )
    else:
        guide.append(["Đơn vị đã có (cùng tên) sẽ được cập nhật."])
    guide.append(
        [
            f"Khi cập nhật: ô để trống GIỮ NGUYÊN giá trị đang có (cột không có trong tệp "
            f"cũng vậy). Muốn xoá một giá trị, ghi {CLEAR_MARKER} vào ô đó (cột bắt buộc "
            "không xoá được)."
        ]
    )
    guide.append(
        [
            "Ô công thức phải có kết quả: hãy lưu tệp trong Excel trước khi nhập (tệp do "
            "chương trình khác tạo có thể chưa tính công thức)."
        ]
    )
    guide.append(["Mỗi lần nhập có thể hoàn tác cả lần: Tệp → Các lần nhập Excel (hoàn tác)…"])
    for letter, width in zip("ABCD", (26, 10, 50, 40), strict=True):
        guide.column_dimensions[letter].width = width
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
