"""The Excel headers of export and import come from one place (app.exchange.xlsx_columns): the
export's columns are the import's fields plus the read-only columns the import leaves alone."""

from __future__ import annotations

from app.exchange.xlsx_columns import (
    IGNORED_HEADERS,
    SUBMISSION_EXPORT_HEADERS,
    SUBMISSION_FIELDS,
    UNIT_EXPORT_HEADERS,
    UNIT_FIELDS,
    WARNING_EXPORT_HEADERS,
)


def test_export_headers_are_the_import_fields_and_known_read_only_columns() -> None:
    assert UNIT_EXPORT_HEADERS == (
        "STT",
        "Tên đơn vị",
        "Tên viết tắt",
        "Loại đơn vị",
        "Thứ tự",
        "Chức danh thủ trưởng",
        "Địa chỉ",
        "Điện thoại",
        "Thư điện tử",
        "Người liên hệ",
        "Ghi chú",
        "Đang theo dõi",
        "Hiệu lực từ ngày",
        "Hiệu lực đến ngày",
        "Sáp nhập vào",
    )
    assert SUBMISSION_EXPORT_HEADERS == (
        "STT",
        "Đơn vị",
        "Văn bản chỉ đạo",
        "Nhiệm vụ",
        "Kỳ báo cáo",
        "Hạn",
        "Số, ký hiệu văn bản",
        "Ngày ký",
        "Ngày nhận",
        "Người ký",
        "Hình thức nhận",
        "Trích yếu",
        "Đánh giá",
        "Trạng thái",
    )
    for headers, fields in (
        (UNIT_EXPORT_HEADERS, UNIT_FIELDS),
        (SUBMISSION_EXPORT_HEADERS, SUBMISSION_FIELDS),
    ):
        imported = {f.header for f in fields}
        assert imported <= set(headers)  # every field goes out, so it can come back
        assert set(headers) - imported <= set(IGNORED_HEADERS)  # the rest is read-only
    # the warnings list, filled in and imported as documents received, reads like the register
    unit_kind = next(f.header for f in UNIT_FIELDS if f.key == "kind")
    submission = {f.header for f in SUBMISSION_FIELDS}
    assert set(WARNING_EXPORT_HEADERS) - submission - {unit_kind} <= set(IGNORED_HEADERS)
