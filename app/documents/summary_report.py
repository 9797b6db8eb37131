"""Báo cáo tổng hợp (Mẫu 1.4): the result of following one directive as of a day, sent upward.

Body: the basis (the directive and the document it implements); I. the statistics by task, period
and unit kind with the names of late and missing units; II.–IV. the specialist's assessment,
difficulties and proposals (saved with the directive); then a Phụ lục with one row per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from reportlab.lib.units import mm

from app.db import Database
from app.documents import layout
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    Target,
    default_recipients,
    layout_error,
    load,
    make_footer,
    make_header,
    page_settings,
    upward_recipient,
)
from app.documents.content import (
    AppendixContent,
    Block,
    DocumentContent,
    NoteBlock,
    Section,
    TableBlock,
    TextBlock,
)
from app.documents.data import (
    KindStats,
    PeriodStats,
    SummaryData,
    deliverable,
    directive_about,
    directive_reference,
    short_date,
    summary_data,
)
from app.documents.layout import TitleBlock, appendix_reference, fits_portrait
from app.documents.render_pdf import write_pdf
from app.models import UnitKind
from app.settings import Settings
from app.status import StatusCounts

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

#: How unit kinds are named in running text ("các sở, ban, ngành tỉnh").
KIND_PLURAL: dict[UnitKind, str] = {
    UnitKind.DEPARTMENT: "sở, ban, ngành tỉnh",
    UnitKind.DISTRICT: "UBND cấp huyện",
    UnitKind.COMMUNE: "UBND cấp xã",
    UnitKind.OTHER: "cơ quan, đơn vị khác",
}
KIND_HEADING: dict[UnitKind, str] = {
    UnitKind.DEPARTMENT: "Các sở, ban, ngành tỉnh",
    UnitKind.DISTRICT: "UBND cấp huyện",
    UnitKind.COMMUNE: "UBND cấp xã",
    UnitKind.OTHER: "Cơ quan, đơn vị khác",
}


def report_subject(data: SummaryData) -> str:
    d = data.directive
    return (f"Kết quả theo dõi việc triển khai thực hiện {directive_reference(d)} "
            f"(tính đến ngày {short_date(data.as_of)})")


#: Longer lists of unit names are left to the appendix.
NAMES_IN_BODY_MAX = 20


def _names(names: Sequence[str]) -> str:
    if len(names) > NAMES_IN_BODY_MAX:
        return "danh sách tại Phụ lục"
    return ", ".join(names)


def _kind_sentence(k: KindStats, p: PeriodStats) -> str:
    c = k.counts
    verb = f"gửi {deliverable(p.task_title, p.task_kind)}"
    parts = [f"- {KIND_HEADING[k.kind]}: {c.done}/{c.bound} đơn vị đã {verb}"]
    if c.done:
        parts[0] += (f" (hoàn thành đúng hạn: {c.on_time}; hoàn thành quá hạn: {c.late}"
                     + (f" – {_names(k.late_units)}" if k.late_units else "") + ")")
    tail: list[str] = []
    if c.overdue:
        tail.append(f"{c.overdue} đơn vị quá hạn chưa gửi: {_names(k.overdue_units)}")
    if c.due_soon + c.not_due:
        tail.append(f"{c.due_soon + c.not_due} đơn vị chưa gửi (chưa đến hạn)")
    if c.exempt:
        tail.append(f"{c.exempt} đơn vị không áp dụng")
    return "; ".join(parts + tail) + ";"


def _para(text: str) -> TextBlock:
    return TextBlock("paragraph", text)


def period_blocks(p: PeriodStats, as_of: str, *, label: str | None) -> list[Block]:
    """The statistics of one task/period: totals, then one line per unit kind with names."""
    out: list[Block] = []
    c: StatusCounts = p.counts
    if label:
        out.append(TextBlock("heading3", label))
    what = deliverable(p.task_title, p.task_kind)
    kinds = " và ".join(f"các {KIND_PLURAL[k.kind]}" if k.kind is UnitKind.DEPARTMENT
                        else KIND_PLURAL[k.kind] for k in p.by_kind)
    lead = (f"Hạn gửi {what}: ngày {short_date(p.due_date)}; số đơn vị phải thực hiện: "
            f"{c.bound} ({kinds}). Tính đến ngày {as_of}")
    if c.done == 0 and c.overdue == 0:
        out.append(_para(
            f"{lead}, chưa đến hạn gửi {what}; chưa nhận được {what} của đơn vị nào."))
        return out
    out.append(_para(
        f"{lead}, đã nhận {c.done}/{c.bound} {what} (hoàn thành đúng hạn: {c.on_time}; hoàn "
        f"thành quá hạn: {c.late}); chưa nhận {c.open} (quá hạn: {c.overdue}). Cụ thể:"))
    sentences = [_kind_sentence(k, p) for k in p.by_kind]
    if sentences:
        sentences[-1] = sentences[-1].rstrip(";") + "."
    out += [TextBlock("item", s) for s in sentences]
    return out


def _free_text(text: str) -> list[Block]:
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    return [_para(t) for t in paragraphs if t]


def body_sections(data: SummaryData, s: Settings) -> list[Section]:
    d = data.directive
    agency = s.agency_name.strip()
    as_of = short_date(data.as_of)
    about = directive_about(d)
    basis = " ".join(d.basis.split())
    reference = directive_reference(d)
    if about:
        reference += f" {about}"
    opening = f"Thực hiện {basis}; {reference}" if basis else f"Thực hiện {reference}"
    opening += (f", {agency} báo cáo kết quả theo dõi việc triển khai thực hiện của các cơ quan, "
                f"đơn vị tính đến ngày {as_of} như sau:")
    sections: list[Section] = [Section("opening", "Mở đầu", (_para(opening),))]

    def numbered(title: str) -> TextBlock:
        return TextBlock("heading1", f"{ROMAN[len(sections) - 1]}. {title}")

    results: list[Block] = [numbered("Kết quả theo dõi, đôn đốc")]
    for n, task in enumerate(data.tasks, start=1):
        results.append(TextBlock("heading2", f"{n}. {task.title}"))
        shown = [p for p in task.periods if p in data.columns] or list(task.periods[:1])
        if not shown:
            results.append(_para("Chưa có đơn vị nào phải thực hiện nhiệm vụ này."))
            continue
        several = len(shown) > 1
        for i, p in enumerate(shown):
            label = f"{'abcdefghiklmnopqrstuvxy'[i % 23]}) Kỳ {p.period_label}" if several else None
            if not several and p.period_label:
                results.append(TextBlock("heading3", f"Kỳ báo cáo: {p.period_label}"))
            results += period_blocks(p, as_of, label=label)
    sections.append(Section("results", "Kết quả theo dõi, đôn đốc", tuple(results)))
    texts = (
        ("assessment", "Đánh giá chung", d.report_assessment),
        ("difficulties", "Khó khăn, vướng mắc", d.report_difficulties),
        ("proposals", "Đề xuất, kiến nghị", d.report_proposals),
    )
    for key, title, text in texts:
        if text.strip():
            sections.append(Section(key, title, (numbered(title), *_free_text(text))))
    sections.append(Section("closing", "Kết thúc", (_para(
        f"Trên đây là báo cáo kết quả theo dõi việc triển khai thực hiện "
        f"{directive_reference(d, with_issuer=False)} tính đến ngày {as_of} (chi tiết tại Phụ lục "
        f"kèm theo), {agency} kính báo cáo {_upward_short(s)} xem xét, chỉ đạo."),)))
    return sections


def _upward_short(s: Settings) -> str:
    parent = " ".join(s.parent_agency.split())
    return parent[0].upper() + parent[1:] if parent else "cấp trên"


APPENDIX_STT_MM = 11.0
APPENDIX_UNIT_MM = 45.0
APPENDIX_COLUMN_MIN_MM = 33.0
APPENDIX_COLUMN_MAX_MM = 45.0


def appendix_widths(columns: int, settings: layout.PageSettings) -> tuple[list[float], bool]:
    """Column widths (mm) and whether the table needs a landscape page."""
    portrait_mm = settings.text_width / mm
    landscape_mm = settings.landscape_text_width / mm
    fixed = APPENDIX_STT_MM + APPENDIX_UNIT_MM
    for avail, wide in ((portrait_mm, False), (landscape_mm, True)):
        each = min(APPENDIX_COLUMN_MAX_MM, (avail - fixed) / max(columns, 1))
        widths = [APPENDIX_STT_MM, APPENDIX_UNIT_MM] + [each] * columns
        if each >= APPENDIX_COLUMN_MIN_MM or wide:
            if not wide and not fits_portrait(widths, settings):
                continue
            # Give what is left to the unit column so the table spans the text width.
            widths[1] += max(0.0, avail - sum(widths) - 0.1)
            return widths, wide
    raise AssertionError("unreachable")


def appendix_content(data: SummaryData, header: layout.DocumentHeader, s: Settings,
                     page: layout.PageSettings) -> AppendixContent:
    columns = list(data.columns)
    widths, wide = appendix_widths(len(columns), page)
    head = ["STT", "Tên đơn vị",
            *[f"{c.column_title}\nHạn {short_date(c.due_date)}" for c in columns]]
    rows: list[list[str]] = []
    for number, row in enumerate(data.rows, start=1):
        rows.append([str(number), row.unit_name, *[cell.text for cell in row.cells]])
    align: list[Literal["left", "center", "right"]] = ["center", "left"]
    align += ["center"] * len(columns)
    table = TableBlock(tuple(head), tuple(tuple(r) for r in rows), tuple(widths), tuple(align))
    title = (f"Tình hình các cơ quan, đơn vị thực hiện {directive_reference(data.directive)} "
             f"(tính đến ngày {short_date(data.as_of)})")
    reference = appendix_reference("Báo cáo", header, s.agency_name.strip())
    note = ("Ghi chú: mỗi ô ghi số, ký hiệu và ngày nhận văn bản của đơn vị cùng tình trạng "
            "thực hiện; “—”: đơn vị không phải thực hiện nhiệm vụ, kỳ báo cáo này.")
    if data.dropped_columns:
        note += (f" Phụ lục không liệt kê {data.dropped_columns} kỳ báo cáo trước đó "
                 "(xem Phiếu theo dõi từng đơn vị).")
    return AppendixContent(label="Phụ lục", title=title, reference=reference,
                           blocks=(table, NoteBlock(note)), landscape=wide)


def summary_content(db: Database, options: DocumentOptions
                    ) -> tuple[DocumentContent, SummaryData]:
    """The synthesis report for ``options.directive_id`` as of ``options.as_of``, as generated
    (``options.edits`` not applied)."""
    options.validate()
    assert options.directive_id is not None
    s = load(db)
    data = summary_data(db, options.directive_id, options.as_of)
    settings = page_settings(s)
    header = make_header(s, options, f"BC-{s.agency_abbreviation.strip()}")
    recipients = options.recipients
    if recipients is None:
        recipients = default_recipients(DocumentKind.SUMMARY, s)
    footer = make_footer(s, options, recipients)
    content = DocumentContent(
        kind=DocumentKind.SUMMARY.value, header=header,
        title=TitleBlock("Báo cáo", report_subject(data)), kinh_gui=(upward_recipient(s),),
        sections=tuple(body_sections(data, s)), footer=footer,
        appendices=(appendix_content(data, header, s, settings),), page=settings)
    return content, data


def build_summary_report(db: Database, options: DocumentOptions, target: Target) -> SummaryData:
    """Write the synthesis report for ``options.directive_id`` as of ``options.as_of``."""
    content, data = summary_content(db, options)
    try:
        write_pdf(content.edited(options.edit_map), target)
    except ValueError as exc:
        raise layout_error(exc) from None
    return data
