"""The Excel columns of the lists that go out and come back in — units and received documents —
in one place, so that an exported file imports without a change (a round trip cannot drift):
:data:`UNIT_FIELDS` and :data:`SUBMISSION_FIELDS` are what the import reads (header, accepted
aliases, required, date, hint for the template); :data:`UNIT_EXPORT_HEADERS` and
:data:`SUBMISSION_EXPORT_HEADERS` are the export's columns, made of the same headers plus the
read-only ones (:data:`IGNORED_HEADERS`) the import recognises and leaves alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    header: str  # the header written in exports and templates
    aliases: tuple[str, ...] = ()
    required: bool = False
    is_date: bool = False
    hint: str = ""


UNIT_FIELDS: tuple[Field, ...] = (
    Field(
        "name",
        "Tên đơn vị",
        ("Đơn vị", "Tên"),
        required=True,
        hint="Tên đầy đủ, ví dụ UBND huyện Bình Sơn",
    ),
    Field("short_name", "Tên viết tắt", ("Viết tắt", "Tên ngắn")),
    Field(
        "kind",
        "Loại đơn vị",
        ("Loại", "Cấp"),
        required=True,
        hint="Sở, ban, ngành tỉnh / UBND cấp huyện / UBND cấp xã / Khác",
    ),
    Field("sort_order", "Thứ tự", ("Thứ tự sắp xếp",), hint="Số nguyên"),
    Field("head_title", "Chức danh thủ trưởng", ("Chức danh",)),
    Field("address", "Địa chỉ"),
    Field("phone", "Điện thoại", ("Số điện thoại", "SĐT")),
    Field("email", "Thư điện tử", ("Email", "E-mail", "Địa chỉ thư điện tử")),
    Field("contact_person", "Người liên hệ", ("Đầu mối",)),
    Field("note", "Ghi chú"),
    Field("active", "Đang theo dõi", ("Theo dõi",), hint="Có / Không"),
    Field("valid_from", "Hiệu lực từ ngày", ("Hiệu lực từ", "Từ ngày"), is_date=True),
    Field("valid_to", "Hiệu lực đến ngày", ("Hiệu lực đến", "Đến ngày"), is_date=True),
)
SUBMISSION_FIELDS: tuple[Field, ...] = (
    Field("unit", "Đơn vị", ("Tên đơn vị", "Đơn vị gửi"), required=True),
    Field(
        "directive",
        "Văn bản chỉ đạo",
        ("Số, ký hiệu văn bản chỉ đạo", "Văn bản"),
        required=True,
        hint="Số, ký hiệu, ví dụ 2116/UBND-NC",
    ),
    Field("task", "Nhiệm vụ", ("Tên nhiệm vụ", "Yêu cầu")),
    Field("period", "Kỳ báo cáo", ("Kỳ",), hint="Với báo cáo định kỳ, ví dụ 6 tháng đầu năm 2018"),
    Field(
        "number_symbol",
        "Số, ký hiệu văn bản",
        ("Số ký hiệu", "Số, ký hiệu", "Số văn bản"),
        required=True,
    ),
    Field("signed_date", "Ngày ký", ("Ngày văn bản", "Ngày ban hành"), required=True, is_date=True),
    Field(
        "received_date", "Ngày nhận", ("Ngày đến", "Ngày tiếp nhận"), required=True, is_date=True
    ),
    Field("signer", "Người ký"),
    Field(
        "channel",
        "Hình thức nhận",
        ("Hình thức",),
        hint="Giấy / Thư điện tử / Hệ thống quản lý văn bản",
    ),
    Field("summary", "Trích yếu", ("Nội dung",)),
    Field("assessment", "Đánh giá", ("Nhận xét",)),
)
# Columns of the program's own exports that are read-only: recognised, not imported.
IGNORED_HEADERS = (
    "STT",
    "Số TT",
    "TT",
    "Mã",
    "Sáp nhập vào",
    "Hạn",
    "Trạng thái",
    "Quá hạn (ngày)",
    "Còn lại (ngày)",
    "Hạn theo văn bản",
    "Đã đôn đốc",
)

# The columns of a received document that name its obligation, and those of the document itself.
OBLIGATION_KEYS = ("unit", "directive", "task", "period")
DOCUMENT_KEYS = tuple(f.key for f in SUBMISSION_FIELDS if f.key not in OBLIGATION_KEYS)

UNIT_EXPORT_HEADERS: tuple[str, ...] = ("STT", *(f.header for f in UNIT_FIELDS), "Sáp nhập vào")
_SUBMISSION_HEADERS = {f.key: f.header for f in SUBMISSION_FIELDS}
SUBMISSION_EXPORT_HEADERS: tuple[str, ...] = (
    "STT",
    *(_SUBMISSION_HEADERS[k] for k in OBLIGATION_KEYS),
    "Hạn",
    *(_SUBMISSION_HEADERS[k] for k in DOCUMENT_KEYS),
    "Trạng thái",
)
# The warnings list ("Cảnh báo hạn"), in the window's export and the command line's alike;
# "Hạn theo văn bản" only when a due date of the list was shifted off a day off.
WARNING_EXPORT_HEADERS: tuple[str, ...] = (
    "STT",
    _SUBMISSION_HEADERS["unit"],
    "Loại đơn vị",
    *(_SUBMISSION_HEADERS[k] for k in ("directive", "task", "period")),
    "Hạn",
    "Hạn theo văn bản",
    "Quá hạn (ngày)",
    "Còn lại (ngày)",
    "Trạng thái",
    "Đã đôn đốc",
)
