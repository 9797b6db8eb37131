"""Vietnamese labels of record fields and readable values, for the history view."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.dates import fmt, fmt_time

FIELD_LABELS: dict[str, str] = {
    # unit
    "name": "Tên đơn vị",
    "short_name": "Tên viết tắt",
    "kind": "Loại",
    "sort_order": "Thứ tự",
    "head_title": "Chức danh thủ trưởng",
    "address": "Địa chỉ",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "contact_person": "Người liên hệ",
    "note": "Ghi chú",
    "active": "Đang theo dõi",
    "valid_from": "Hiệu lực từ ngày",
    "valid_to": "Hiệu lực đến ngày",
    "successor_id": "Sáp nhập vào đơn vị",
    # directive
    "number_symbol": "Số, ký hiệu",
    "signed_date": "Ngày ký",
    "issuer": "Cơ quan ban hành",
    "signer": "Người ký",
    "subject": "Trích yếu",
    "basis": "Căn cứ",
    "attachment_path": "Tệp đính kèm",
    "report_assessment": "Đánh giá (báo cáo)",
    "report_difficulties": "Khó khăn (báo cáo)",
    "report_proposals": "Kiến nghị (báo cáo)",
    # task
    "directive_id": "Văn bản chỉ đạo",
    "title": "Tên nhiệm vụ",
    "description": "Mô tả",
    "due_date": "Hạn hoàn thành",
    "period_kind": "Loại kỳ báo cáo",
    "start_date": "Theo dõi từ ngày",
    "end_date": "Theo dõi đến ngày",
    "due_day": "Ngày hạn nộp",
    "due_month_offset": "Lùi hạn (tháng)",
    "unit_kinds": "Giao cho loại đơn vị",
    "unit_ids": "Giao cho đơn vị (chọn riêng)",
    # submission
    "obligation_id": "Nghĩa vụ",
    "unit_id": "Đơn vị",
    "year": "Năm",
    "received_date": "Ngày nhận",
    "channel": "Hình thức nhận",
    "summary": "Tóm tắt nội dung",
    "assessment": "Nhận xét",
    "created_at": "Thời điểm nhập",
    # obligation
    "waived": "Được miễn",
    "reason": "Lý do",
    "exempt_reason": "Lý do không áp dụng",
    # working days (holiday table, due rules)
    "shift_due": "Hạn trùng ngày nghỉ dời sang ngày làm việc kế tiếp",
    "due_working_days": "Hạn: số ngày làm việc sau ngày chốt số liệu",
    "nominal_due_date": "Hạn theo văn bản",
    "due_history_until": "Hạn thực tế đổi theo lịch nghỉ đến ngày",
    "day": "Ngày",
    "working": "Ngày làm bù",
    "known_from": "Áp dụng từ ngày",
    "removed_on": "Bỏ từ ngày",
    "order": "Thứ tự",
    # issued document
    "as_of": "Số liệu tính đến ngày",
    "number": "Số văn bản",
    "issued_date": "Ngày ban hành",
    "recipients": "Nơi nhận",
    "edits": "Nội dung đã sửa",
    "options": "Lựa chọn khi in",
    "follow_up_round": "Lần đôn đốc",
    "updated_at": "Thời điểm sửa",
}

HIDDEN_FIELDS = frozenset({"id"})


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key)


def _enum_label(key: str, value: str) -> str | None:
    from app.models import Channel, TaskKind, UnitKind
    from app.schedule import PeriodKind

    enums: dict[str, Any] = {"channel": Channel, "period_kind": PeriodKind}
    if key == "kind":
        for kind_enum in (UnitKind, TaskKind):
            try:
                return str(kind_enum(value).label)
            except ValueError:
                continue
        return None
    found = enums.get(key)
    if found is None:
        return None
    try:
        return str(found(value).label)
    except ValueError:
        return None


def value_text(key: str, value: Any) -> str:
    """A readable rendering of a stored value: dates dd/mm/yyyy, yes/no, labels of codes."""
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        if key == "unit_kinds":
            return "; ".join(_enum_label("kind", str(v)) or str(v) for v in value) or "(trống)"
        return ", ".join(str(v) for v in value) or "(trống)"
    if isinstance(value, str):
        label = _enum_label(key, value)
        if label is not None:
            return label
        try:
            if len(value) == 10:
                return fmt(dt.date.fromisoformat(value))
            if len(value) >= 19 and value[10] == "T":
                return fmt_time(dt.datetime.fromisoformat(value))
        except ValueError:
            pass
        return value
    return str(value)
