"""Công văn đôn đốc (Mẫu 1.5): to the units overdue on a day, what each still owes and by when."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from app.dates import fmt
from app.db import Database
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    default_recipients,
    load,
    make_footer,
    make_header,
    page_settings,
    upward_name,
)
from app.documents.content import Block, DocumentContent, Section, TextBlock
from app.documents.data import (
    OwedItem,
    ReminderData,
    directive_about,
    directive_reference,
    reminder_data,
    task_names,
)
from app.errors import ValidationError
from app.models import UnitKind
from app.services.directives import DirectiveInfo
from app.settings import Settings


def letter_subject(data: ReminderData) -> str:
    """ "V/v đôn đốc thực hiện Công văn số 2116/UBND-NC ngày 18/04/2018 của UBND tỉnh …"."""
    return f"V/v đôn đốc thực hiện {directive_reference(data.directive)}"


def letter_symbol(s: Settings) -> str:
    """Công văn has no type: ``<agency>-<drafting unit>`` (SNV-XDCQ)."""
    abbr = s.agency_abbreviation.strip().upper()
    unit = s.drafting_unit.strip().upper()
    if not unit:
        raise ValidationError(
            f"Chưa cài đặt đơn vị soạn thảo (ví dụ XDCQ) để ghi ký hiệu công văn ({abbr}-XDCQ).",
            field="drafting_unit",
        )
    return f"{abbr}-{unit}"


#: Who is addressed when several units of a kind are overdue (as in the directives themselves).
KIND_ADDRESS: dict[UnitKind, str] = {
    UnitKind.DEPARTMENT: "Thủ trưởng các sở, ban, ngành tỉnh",
    UnitKind.DISTRICT: "Chủ tịch UBND các huyện, thị xã, thành phố",
    UnitKind.COMMUNE: "Chủ tịch UBND các xã, phường, thị trấn",
    UnitKind.OTHER: "Thủ trưởng các cơ quan, đơn vị",
}
#: Up to this many overdue units are addressed one by one; more are addressed by kind.
ADDRESS_EACH_MAX = 6


def kinh_gui(data: ReminderData) -> list[str]:
    """The overdue units, one per line; by kind ("… có tên dưới đây") when there are many."""
    if len(data.units) <= ADDRESS_EACH_MAX:
        return [u.unit_name for u in data.units]
    out: list[str] = []
    for kind in UnitKind:
        mine = [u for u in data.units if u.unit_kind is kind]
        if len(mine) > 1:
            out.append(f"{KIND_ADDRESS[kind]} có tên dưới đây")
        elif mine:
            out.append(mine[0].unit_name)
    return out


@dataclass(frozen=True)
class OwedGroup:
    """One thing owed (a task's period) and the units that owe it, each named once."""

    item: OwedItem
    names: tuple[str, ...]


def owed_paragraphs(groups: list[OwedGroup], directive: DirectiveInfo) -> list[Block]:
    """One paragraph per thing owed: "1. <task, period, due date>: <the units>." ("-" when
    there is only one)."""
    tasks = task_names(directive)
    out: list[Block] = []
    for n, group in enumerate(groups, start=1):
        item = group.item
        mark = f"{n}." if len(groups) > 1 else "-"
        text = item.text_as(tasks.get(item.task_id, item.task_title))
        out.append(TextBlock("paragraph", f"{mark} {text}: {', '.join(group.names)}."))
    return out


def owed_groups(data: ReminderData) -> list[OwedGroup]:
    """What is owed (task, period: never merged across tasks) and the units that owe it."""
    groups: dict[tuple[int, str], tuple[OwedItem, list[str]]] = {}
    for unit in data.units:
        for item in unit.items:
            key = (item.task_id, item.period_key)
            groups.setdefault(key, (item, []))[1].append(unit.unit_name)
    order = {t.id: (t.sort_order, t.id) for t in data.directive.tasks}
    ordered = sorted(
        groups.values(), key=lambda g: (order.get(g[0].task_id, (0, 0)), g[0].due_date)
    )
    return [OwedGroup(item, tuple(names)) for item, names in ordered]


def deadline_clause(agency: str, reply_by: dt.date | None) -> str:
    """ "gửi văn bản về Sở Nội vụ trước ngày 30/06/2018" (no day: "… về Sở Nội vụ")."""
    clause = f"gửi văn bản về {agency}"
    return clause + (f" trước ngày {fmt(reply_by)}" if reply_by else "")


def chosen_units(data: ReminderData, unit_ids: tuple[int, ...] | None) -> ReminderData:
    """Only the overdue units the user chose to address (None: all of them)."""
    if unit_ids is None:
        return data
    wanted = set(unit_ids)
    units = tuple(u for u in data.units if u.unit_id in wanted)
    if not units:
        raise ValidationError(
            f"Không đơn vị nào được chọn còn quá hạn tính đến ngày {fmt(data.as_of)}. "
            "Hãy đánh dấu ít nhất một đơn vị trong danh sách đơn vị quá hạn.",
            field="units",
        )
    return replace(data, units=units)


def body_sections(
    data: ReminderData, s: Settings, reply_by: dt.date | None = None
) -> list[Section]:
    d = data.directive
    agency = s.agency_name.strip()
    as_of = fmt(data.as_of)
    reference = directive_reference(d)
    about = directive_about(d)
    if about:
        reference += f" {about}"
    groups = owed_groups(data)
    what = "các văn bản sau" if len(groups) > 1 else "văn bản sau"
    opening = TextBlock(
        "paragraph",
        f"Thực hiện {reference}, {agency} được giao theo dõi, tổng hợp việc triển khai thực "
        f"hiện của các cơ quan, đơn vị. Tính đến ngày {as_of}, {agency} chưa nhận được {what} "
        "dù đã quá thời hạn quy định:",
    )
    owed = owed_paragraphs(groups, d)
    request = TextBlock(
        "paragraph",
        f"Để kịp thời tổng hợp, tham mưu {upward_name(s)} báo cáo theo quy định, {agency} đề nghị "
        "các cơ quan, đơn vị nêu trên khẩn trương thực hiện và "
        f"{deadline_clause(agency, reply_by)}.",
    )
    closing = TextBlock(
        "paragraph", "Rất mong nhận được sự quan tâm, phối hợp của các cơ quan, đơn vị."
    )
    return letter_sections(opening, owed, request, closing)


def letter_sections(
    opening: TextBlock,
    owed: list[Block],
    request: TextBlock,
    closing: TextBlock,
    *,
    request_part: tuple[str, str] = ("request", "Đề nghị"),
) -> list[Section]:
    """The four parts of a reminder letter, under the keys the print dialog edits; the third
    is ``request_part`` (key, label): what the sender asks."""
    return [
        Section("opening", "Mở đầu", (opening,)),
        Section("owed", "Những việc còn nợ", tuple(owed)),
        Section(*request_part, (request,)),
        Section("closing", "Kết thúc", (closing,)),
    ]


def letter_content(
    kind: DocumentKind,
    s: Settings,
    options: DocumentOptions,
    subject: str,
    addressed: list[str],
    sections: list[Section],
) -> DocumentContent:
    """A công văn of ours (Mẫu 1.5): our header with its "V/v", Kính gửi, the sections, Nơi nhận
    (the defaults of ``kind`` unless the user chose them) and the signature."""
    header = make_header(s, options, letter_symbol(s), letter_subject=subject)
    recipients = options.recipients
    if recipients is None:
        recipients = default_recipients(kind, s)
    return DocumentContent(
        kind=kind.value,
        header=header,
        title=None,
        kinh_gui=tuple(addressed),
        sections=tuple(sections),
        footer=make_footer(s, options, recipients),
        page=page_settings(s),
    )


def reminder_content(
    db: Database, options: DocumentOptions
) -> tuple[DocumentContent, ReminderData]:
    """The reminder letter for ``options.directive_id`` as of ``options.as_of``, as generated
    (``options.edits`` not applied)."""
    options.validate()
    assert options.directive_id is not None
    s = load(db)
    data = reminder_data(db, options.directive_id, options.as_of, exclude_name=s.agency_name)
    data = chosen_units(data, options.unit_ids)
    content = letter_content(
        DocumentKind.REMINDER,
        s,
        options,
        letter_subject(data),
        kinh_gui(data),
        body_sections(data, s, options.reply_by),
    )
    return content, data
