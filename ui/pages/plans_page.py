"""Đăng ký kế hoạch: one-off deliverables (e.g. each district's coordination plan)."""

from __future__ import annotations

from app.models import TaskKind
from ui.pages.intake_page import IntakePage


class PlansPage(IntakePage):
    task_kind = TaskKind.ONE_OFF
    state_key = "plans"
    register_label = "Đăng ký kế hoạch"
    empty_text = (
        'Chưa có nhiệm vụ một lần nào (ví dụ xây dựng kế hoạch). Thêm ở thẻ "Văn bản chỉ đạo".'
    )
