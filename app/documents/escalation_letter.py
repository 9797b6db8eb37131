"""Dự thảo công văn của Văn phòng UBND tỉnh đôn đốc (the follow-up rhythm's last round): a
draft the specialist prepares for the Provincial People's Committee, sent by "Văn phòng UBND
tỉnh" conveying the Chairman's instruction to the units still overdue after two reminders.

Same frame as the reminder letter (Nghị định 30/2020/NĐ-CP): the sender is Văn phòng UBND
tỉnh under the directive's issuer, the symbol ``VP-<drafting division of the directive>``
(2116/UBND-NC → VP-NC), signed "TL. CHỦ TỊCH / CHÁNH VĂN PHÒNG" with the name left blank for
their signature (a signer chosen in the print dialog, other than our own, is printed instead).
"""

from __future__ import annotations

from app.dates import fmt
from app.db import Database
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    Signer,
    balanced_lines,
    load,
)
from app.documents.content import DocumentContent, Section, TextBlock
from app.documents.data import (
    ReminderData,
    directive_about,
    directive_reference,
    reminder_data,
)
from app.documents.layout import DocumentHeader, Footer
from app.documents.reminder_letter import (
    kinh_gui,
    letter_sections,
    letter_subject,
    owed_groups,
    owed_paragraphs,
)
from app.settings import Settings

SENDER = "Văn phòng UBND tỉnh"
AUTHORITY: tuple[str, ...] = ("TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG")
UNSIGNED = "(họ và tên người ký)"  # a draft: the name is theirs to write


def escalation_symbol(number_symbol: str) -> str:
    """ "VP-NC" from "2116/UBND-NC" (the division that drafted the directive), else "VP"."""
    tail = number_symbol.rsplit("/", 1)[-1]
    division = tail.rsplit("-", 1)[-1].strip().upper() if "-" in tail else ""
    return f"VP-{division}" if division else "VP"


def body_sections(data: ReminderData, s: Settings, reminders: str) -> list[Section]:
    d = data.directive
    agency = s.agency_name.strip()
    reference = directive_reference(d)
    about = directive_about(d)
    if about:
        reference += f" {about}"
    opening = TextBlock(
        "paragraph",
        f"Thực hiện {reference}; theo báo cáo của {agency}, tính đến ngày "
        f"{fmt(data.as_of)} các cơ quan, đơn vị sau chưa thực hiện"
        f"{reminders}:",
    )
    owed = owed_paragraphs(owed_groups(data), d)
    instruction = TextBlock(
        "paragraph",
        "Chủ tịch UBND tỉnh yêu cầu Thủ trưởng các cơ quan, đơn vị nêu trên khẩn trương thực "
        f"hiện, gửi văn bản về {agency} để tổng hợp, báo cáo UBND tỉnh; chịu trách nhiệm trước "
        "Chủ tịch UBND tỉnh nếu tiếp tục chậm trễ.",
    )
    closing = TextBlock(
        "paragraph",
        f"{SENDER} truyền đạt ý kiến chỉ đạo của Chủ tịch UBND tỉnh để các cơ quan, đơn vị "
        "biết, thực hiện.",
    )
    instructed = ("instruction", "Ý kiến chỉ đạo")
    return letter_sections(opening, owed, instruction, closing, request_part=instructed)


def escalation_content(
    db: Database, options: DocumentOptions, *, reminders: str | None = None
) -> tuple[DocumentContent, ReminderData]:
    """The draft for ``options.directive_id`` as of ``options.as_of`` (``reminders``: e.g.
    " dù đã được Sở Nội vụ đôn đốc 2 lần"; None: said from the reminders recorded)."""
    options.validate()
    assert options.directive_id is not None
    s = load(db)
    data = reminder_data(db, options.directive_id, options.as_of, exclude_name=s.agency_name)
    if reminders is None:
        reminders = reminders_said(db, options.directive_id, options.as_of, s.agency_name)
    issuer = data.directive.issuer.strip() or s.parent_agency
    header = DocumentHeader(
        agency=balanced_lines(SENDER, bold=True),
        parent_agency=balanced_lines(issuer),
        symbol=escalation_symbol(data.directive.number_symbol),
        place=s.place_name.strip(),
        number=(options.number or "").strip() or None,
        date=options.date,
        year=options.year or (options.date or options.today or options.as_of).year,
        letter_subject=letter_subject(data),
    )
    division = escalation_symbol(data.directive.number_symbol).removeprefix("VP").strip("-")
    recipients = options.recipients or (
        "Như trên",
        "Chủ tịch, các PCT UBND tỉnh",
        s.agency_name.strip(),
        f"Lưu: VT, {division}" if division else "Lưu: VT",
    )
    authority, name = AUTHORITY, UNSIGNED
    ours = Signer.from_settings(s)
    if options.signer is not None and options.signer != ours:  # chosen in the dialog
        authority, name = options.signer.authority_lines(), options.signer.name or UNSIGNED
    footer = Footer(
        authority=authority, signer_name=name, recipients=tuple(recipients), archive=division
    )
    from app.documents.common import page_settings

    content = DocumentContent(
        kind="escalation",
        header=header,
        title=None,
        kinh_gui=tuple(kinh_gui(data)),
        sections=tuple(body_sections(data, s, reminders)),
        footer=footer,
        page=page_settings(s),
    )
    return content, data


def reminders_said(db: Database, directive_id: int, as_of: object, agency: str) -> str:
    """ " dù đã được Sở Nội vụ đôn đốc 2 lần (ngày 02/05/2018, 09/05/2018)" from the reminders
    issued for the directive by ``as_of`` (the issued-documents record); "" when none."""
    import datetime as dt

    from app.services.issued_documents import list_issued

    assert isinstance(as_of, dt.date)
    days = sorted(
        {
            d.day
            for d in list_issued(db, directive_id=directive_id)
            if d.kind == DocumentKind.REMINDER.value and d.day <= as_of
        }
    )
    if not days:
        return ""
    listed = ", ".join(f"{fmt(d)}" for d in days)
    return f" dù đã được {agency} đôn đốc {len(days)} lần (ngày {listed})"
