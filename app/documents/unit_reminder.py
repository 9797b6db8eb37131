"""Công văn đôn đốc theo đơn vị (Mẫu 1.5): one letter to one unit listing everything it still
owes, across every directive followed, as of a day. Never an empty letter: a unit that owes
nothing overdue is refused with a clear message."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.dates import fmt
from app.db import Database
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    load,
    upward_name,
)
from app.documents.content import Block, DocumentContent, Section, TextBlock
from app.documents.data import directive_reference, overdue_for, period_phrase
from app.documents.reminder_letter import deadline_clause, letter_content, letter_sections
from app.errors import AppError
from app.services.directives import DirectiveInfo, directives_brief
from app.services.obligations import list_obligations
from app.services.units import UnitInfo, get_unit
from app.settings import Settings
from app.status import Status
from app.text import search_key


@dataclass(frozen=True)
class UnitOwedItem:
    task_title: str
    period_label: str
    due_date: dt.date
    days_overdue: int


@dataclass(frozen=True)
class DirectiveOwed:
    directive: DirectiveInfo
    items: tuple[UnitOwedItem, ...]


@dataclass(frozen=True)
class UnitReminderData:
    unit: UnitInfo
    as_of: dt.date
    directives: tuple[DirectiveOwed, ...]

    @property
    def item_count(self) -> int:
        return sum(len(d.items) for d in self.directives)


def unit_reminder_data(
    db: Database, unit_id: int, as_of: dt.date, *, own_agency: str = ""
) -> UnitReminderData:
    """What ``unit_id`` owes overdue on ``as_of``, by directive (oldest directive first, then
    task order and due date). Refuses a unit that owes nothing, the agency itself, and a unit
    no longer followed on that day."""
    unit = get_unit(db, unit_id)
    if own_agency.strip() and search_key(unit.name) == search_key(own_agency):
        raise AppError(f"{unit.name} là cơ quan gửi công văn; không tự đôn đốc chính mình.")
    ended = unit.valid_to is not None and unit.valid_to < as_of
    if ended or (not unit.active and unit.valid_to is None):
        # docs/domain.md: a unit no longer there is never reminded, and its successor does not
        # take over what it owed.
        raise AppError(
            f"{unit.name} không còn được theo dõi tại ngày {fmt(as_of)}; "
            "không gửi công văn đôn đốc cho đơn vị này."
        )
    rows = list_obligations(db, as_of, unit_id=unit_id, statuses=[Status.OVERDUE])
    by_directive: dict[int, list[UnitOwedItem]] = {}
    for r in sorted(rows, key=lambda r: (r.due_date, r.task_id, r.period_key)):
        by_directive.setdefault(r.directive_id, []).append(
            UnitOwedItem(r.task_title, r.period_label, r.due_date, r.days_past_due)
        )
    if not by_directive:
        raise AppError(
            f"Tính đến ngày {fmt(as_of)}, {unit.name} không còn nhiệm vụ nào quá hạn; "
            "không cần công văn đôn đốc."
        )
    cited = directives_brief(db, by_directive)
    directives = [DirectiveOwed(cited[d], tuple(items)) for d, items in by_directive.items()]
    directives.sort(key=lambda d: (d.directive.signed_date, d.directive.number_symbol))
    return UnitReminderData(unit=unit, as_of=as_of, directives=tuple(directives))


def letter_subject(data: UnitReminderData) -> str:
    if len(data.directives) == 1:
        return f"V/v đôn đốc thực hiện {directive_reference(data.directives[0].directive)}"
    return "V/v đôn đốc thực hiện các văn bản chỉ đạo còn quá hạn"


def _item_text(item: UnitOwedItem) -> str:
    """ "- Báo cáo quý, kỳ quý III/2025 (hạn ngày 25/09/2025, quá hạn 20 ngày)" — worded as
    the reminder letter words it."""
    what = item.task_title + (f", {period_phrase(item.period_label)}" if item.period_label else "")
    return f"- {what} (hạn ngày {fmt(item.due_date)}, {overdue_for(item.days_overdue)})"


def body_sections(
    data: UnitReminderData, s: Settings, reply_by: dt.date | None = None
) -> list[Section]:
    agency = s.agency_name.strip()
    as_of = fmt(data.as_of)
    unit = data.unit.name
    count = data.item_count
    opening = TextBlock(
        "paragraph",
        f"{agency} được giao theo dõi, tổng hợp việc triển khai thực hiện các văn bản chỉ đạo "
        f"của {upward_name(s)}. Tính đến ngày {as_of}, {agency} chưa nhận được văn bản của {unit} "
        f"đối với {count} nhiệm vụ đã quá thời hạn quy định, cụ thể như sau:",
    )
    owed: list[Block] = []
    several = len(data.directives) > 1
    for n, group in enumerate(data.directives, start=1):
        reference = directive_reference(group.directive)
        if several:
            owed.append(TextBlock("heading2", f"{n}. {reference}"))
        else:
            owed.append(TextBlock("paragraph", f"Thực hiện {reference}:"))
        lines = [_item_text(i) for i in group.items]
        lines = [f"{line};" for line in lines[:-1]] + [f"{lines[-1]}."]
        owed += [TextBlock("item", line) for line in lines]
    request = TextBlock(
        "paragraph",
        f"Để kịp thời tổng hợp, tham mưu {upward_name(s)} báo cáo theo quy định, {agency} đề nghị "
        f"{unit} khẩn trương thực hiện và {deadline_clause(agency, reply_by)}.",
    )
    closing = TextBlock(
        "paragraph",
        f"Trong quá trình thực hiện, nếu có khó khăn, vướng mắc, {unit} kịp thời phản ánh về "
        f"{agency} để được hướng dẫn.",
    )
    return letter_sections(opening, owed, request, closing)


def unit_reminder_content(
    db: Database, options: DocumentOptions
) -> tuple[DocumentContent, UnitReminderData]:
    """The consolidated reminder to ``options.unit_id`` as of ``options.as_of``, as generated
    (``options.edits`` not applied)."""
    options.validate()
    assert options.unit_id is not None
    s = load(db)
    data = unit_reminder_data(db, options.unit_id, options.as_of, own_agency=s.agency_name)
    content = letter_content(
        DocumentKind.UNIT_REMINDER,
        s,
        options,
        letter_subject(data),
        [data.unit.name],
        body_sections(data, s, options.reply_by),
    )
    return content, data
