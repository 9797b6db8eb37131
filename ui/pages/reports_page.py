"""Tiếp nhận báo cáo: periodic reports, one period at a time."""

from __future__ import annotations

from app.models import TaskKind
from ui.pages.intake_page import IntakePage


class ReportsPage(IntakePage):
    task_kind = TaskKind.PERIODIC
    state_key = "reports"
    page_title = "Tiếp nhận báo cáo"
    register_label = "Tiếp nhận báo cáo"
    empty_text = 'Chưa có nhiệm vụ báo cáo định kỳ nào. Thêm ở thẻ "Văn bản chỉ đạo".'
