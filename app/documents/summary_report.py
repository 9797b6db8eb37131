"""Báo cáo tổng hợp (Mẫu 1.4): the result of following one directive as of a day, sent upward.

Body: the basis (the directive and the document it implements); I. the statistics by task, period
and unit kind with the names of late and missing units; II.–IV. the specialist's assessment,
difficulties and proposals (saved with the directive); then a Phụ lục with one row per unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from reportlab.lib.units import mm

from app.dates import as_of_caption, fmt
from app.db import Database
from app.documents import layout
from app.documents.common import (
    DocumentKind,
    DocumentOptions,
    default_recipients,
    load,
    make_footer,
    make_header,
    page_settings,
    upward_name,
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
    CELL_NOTE,
    KindStats,
    PeriodStats,
    SummaryData,
    TaskStats,
    UnitRef,
    deliverable,
    directive_about,
    directive_reference,
    period_phrase,
    summary_data,
)
from app.documents.layout import TitleBlock, appendix_reference, fits_portrait
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
    return (
        f"Kết quả theo dõi việc triển khai thực hiện {directive_reference(d)} "
        f"({as_of_caption(data.as_of)})"
    )


#: Longer lists of unit names are left to the list of overdue obligations (an appendix).
NAMES_IN_BODY_MAX = 20
#: Where the list of overdue obligations is (the label of its appendix, set per document).
OVERDUE_LIST = "danh sách tại Phụ lục"


def _para(text: str) -> TextBlock:
    return TextBlock("paragraph", text)


def _kinds_phrase(kinds: Sequence[KindStats]) -> str:
    """ "các sở, ban, ngành tỉnh và UBND cấp xã" (only kinds with a unit that must answer)."""
    names = [
        f"các {KIND_PLURAL[k.kind]}" if k.kind is UnitKind.DEPARTMENT else KIND_PLURAL[k.kind]
        for k in kinds
    ]
    return ", ".join(names[:-1]) + (" và " if len(names) > 1 else "") + names[-1] if names else ""


def _deferred(names: Sequence[object]) -> bool:
    return len(names) > NAMES_IN_BODY_MAX


def _missing_clauses(
    overdue: Sequence[str], gone: Sequence[UnitRef], where: str, *, counted: bool = True
) -> list[str]:
    """ "2 đơn vị quá hạn chưa gửi: A, B" and, apart, the units that no longer exist."""
    out: list[str] = []
    if overdue:
        if _deferred(overdue):  # too many to name here: counted, listed in the appendix
            out.append(f"{len(overdue)} đơn vị quá hạn chưa gửi ({where})")
        else:
            lead = f"{len(overdue)} đơn vị quá hạn chưa gửi" if counted else "quá hạn chưa gửi"
            out.append(f"{lead}: {', '.join(overdue)}")
    if gone:
        lead = "đơn vị đã giải thể, sáp nhập chưa gửi"
        out.append(
            f"{len(gone)} {lead} ({where})"
            if _deferred(gone)
            else f"{lead}: {', '.join(u.label for u in gone)}"
        )
    return out


def _done_phrase(c: StatusCounts, what: str, *, of_bound: bool = True) -> str:
    """ "đã nhận 15/20 báo cáo (12 đúng hạn, 3 quá hạn)"."""
    got = f"{c.done}/{c.bound}" if of_bound else str(c.done)
    text = f"đã nhận {got} {what}"
    if c.done and c.late and c.on_time:
        text += f" ({c.on_time} đúng hạn, {c.late} quá hạn)"
    elif c.done and c.late:
        text += " (đều quá hạn)" if c.done > 1 else " (quá hạn)"
    elif c.done:
        text += " (đều đúng hạn)" if c.done > 1 else " (đúng hạn)"
    return text


def _open_phrase(c: StatusCounts) -> str:
    """What is still missing, said once: "còn 5 đơn vị chưa gửi, đều đã quá hạn"."""
    waiting = c.due_soon + c.not_due
    if not c.open:
        return ""
    if c.overdue == c.open:
        return (
            f"còn {c.open} đơn vị chưa gửi, đều đã quá hạn"
            if c.open > 1
            else "còn 1 đơn vị chưa gửi, đã quá hạn"
        )
    if c.overdue:
        return f"còn {c.open} đơn vị chưa gửi, trong đó {c.overdue} đơn vị đã quá hạn"
    return f"còn {waiting} đơn vị chưa gửi (chưa quá hạn)"


def period_marker(p: PeriodStats) -> str:
    """ "Kỳ quý III/2025 (hạn ngày 20/09/2025)": how a period is introduced in the body."""
    text = period_phrase(p.period_label)
    return f"{text[:1].upper()}{text[1:]} (hạn ngày {fmt(p.due_date)})"


def _kind_item(k: KindStats, what: str, where: str) -> str:
    c = k.counts
    text = f"- {KIND_HEADING[k.kind]}: đã gửi {c.done}/{c.bound} {what}"
    if c.done and c.late:
        late = ", ".join(k.late_units) if not _deferred(k.late_units) else ""
        text += f" ({c.on_time} đúng hạn, {c.late} quá hạn" + (f": {late}" if late else "") + ")"
    clauses = [text, *_missing_clauses(k.overdue_units, k.gone_units, where)]
    waiting = c.due_soon + c.not_due
    if waiting:
        clauses.append(f"{waiting} đơn vị chưa gửi (chưa quá hạn)")
    if c.exempt:
        clauses.append(f"{c.exempt} đơn vị không phải thực hiện")
    return "; ".join(clauses)


def current_blocks(p: PeriodStats, as_of: str, where: str, *, heading: str | None) -> list[Block]:
    """The current round of a task: who had to answer, what came in, who is missing."""
    out: list[Block] = []
    if heading:
        out.append(TextBlock("heading3", heading))
    what = deliverable(p.task_title, p.task_kind)
    c = p.counts
    kinds = p.bound_kinds
    lead = f"Số đơn vị phải gửi {what}: {c.bound} ({_kinds_phrase(kinds)})."
    if not p.period_label:
        lead = f"Hạn gửi {what}: ngày {fmt(p.due_date)}. " + lead
    state = f"Tính đến ngày {as_of}, {_done_phrase(c, what)}"
    rest = _open_phrase(c)
    if len(kinds) == 1:
        k = kinds[0]
        clauses = [state]
        if k.late_units and not _deferred(k.late_units):
            clauses.append(f"đơn vị gửi quá hạn: {', '.join(k.late_units)}")
        missing = _missing_clauses(k.overdue_units, k.gone_units, where)
        if missing:
            clauses += missing
            waiting = c.due_soon + c.not_due
            if waiting:
                clauses.append(f"{waiting} đơn vị chưa gửi (chưa quá hạn)")
        elif rest:
            clauses.append(rest)
        out.append(_para(f"{lead} {'; '.join(clauses)}."))
        return out
    out.append(_para(f"{lead} {state}" + (f"; {rest}" if rest else "") + ". Cụ thể:"))
    items = [_kind_item(k, what, where) for k in kinds]
    out += [
        TextBlock("item", t + (";" if i < len(items) - 1 else ".")) for i, t in enumerate(items)
    ]
    return out


def _closed_item(periods: Sequence[PeriodStats], what: str) -> str:
    total = sum((p.counts for p in periods), StatusCounts())
    if len(periods) == 1:
        span = period_marker(periods[0])
    else:
        first, last = periods[0], periods[-1]
        span = (
            f"{len(periods)} kỳ, từ {period_phrase(first.period_label)} đến "
            f"{period_phrase(last.period_label)}"
        )
        span = f"Các kỳ đã nhận đủ {what} ({span})"
    detail = (
        f"{total.on_time} đúng hạn, {total.late} quá hạn"
        if total.late and total.on_time
        else ("đều quá hạn" if total.late else "đều đúng hạn")
    )
    if len(periods) == 1:
        return f"- {span}: đã nhận đủ {total.done} {what} ({detail})"
    return f"- {span}: tổng cộng {total.done} {what} ({detail})"


def _earlier_item(p: PeriodStats, what: str, where: str) -> str:
    c = p.counts
    overdue = [u.name for u in p.overdue if u.exists]
    gone = [u for u in p.overdue if not u.exists]
    clauses = [
        f"- {period_marker(p)}: {_done_phrase(c, what)}",
        *_missing_clauses(overdue, gone, where, counted=False),
    ]
    return "; ".join(clauses)


def task_blocks(task: TaskStats, n: int, as_of: str, where: str) -> list[Block]:
    """One task: its current round, then the earlier periods (closed ones summed up, the ones
    with a unit still overdue one by one); a period with nothing to say is not written."""
    out: list[Block] = [TextBlock("heading2", f"{n}. {task.title}")]
    what = deliverable(task.title, task.kind)
    current = task.current
    if current is None:
        upcoming = task.upcoming
        if upcoming is None:
            out.append(_para("Nhiệm vụ này không có đơn vị nào phải thực hiện."))
            return out
        c = upcoming.counts
        when = (
            f"{period_phrase(upcoming.period_label)}, hạn ngày {fmt(upcoming.due_date)}"
            if upcoming.period_label
            else f"hạn ngày {fmt(upcoming.due_date)}"
        )
        text = (
            f"Chưa đến hạn gửi {what} ({when}); số đơn vị phải thực hiện: {c.bound} "
            f"({_kinds_phrase(upcoming.bound_kinds)})"
        )
        text += f"; đến ngày {as_of} đã nhận {c.done} {what}." if c.done else "."
        out.append(_para(text))
        return out
    earlier = task.earlier_overdue
    closed = task.earlier_closed
    several = bool(earlier or closed)
    heading = None
    if current.period_label:
        heading = f"a) {period_marker(current)}" if several else period_marker(current)
    elif several:
        heading = "a) Lần gửi gần nhất"
    out += current_blocks(current, as_of, where, heading=heading)
    if not several:
        return out
    out.append(TextBlock("heading3", "b) Các kỳ trước"))
    items: list[str] = []
    if closed:
        items.append(_closed_item(closed, what))
    items += [_earlier_item(p, what, where) for p in earlier]
    out += [
        TextBlock("item", t + (";" if i < len(items) - 1 else ".")) for i, t in enumerate(items)
    ]
    return out


def _free_text(text: str) -> list[Block]:
    paragraphs = [" ".join(line.split()) for line in text.splitlines()]
    return [_para(t) for t in paragraphs if t]


def needs_overdue_list(data: SummaryData) -> bool:
    """Some list of overdue units is too long for the body: it goes to an appendix."""
    for task in data.tasks:
        current = task.current
        for p in task.periods:
            if p is current:
                if any(_deferred(k.overdue_units) or _deferred(k.gone_units) for k in p.by_kind):
                    return True
            elif p.counts.overdue:
                overdue = [u for u in p.overdue if u.exists]
                if _deferred(overdue) or _deferred([u for u in p.overdue if not u.exists]):
                    return True
    return False


def appendix_labels(data: SummaryData) -> tuple[str | None, str | None]:
    """The labels of the grid of the current round and of the list of overdue obligations
    ("Phụ lục", or "Phụ lục I" and "Phụ lục II" when both are there)."""
    grid = bool(data.columns)
    listing = needs_overdue_list(data)
    if grid and listing:
        return "Phụ lục I", "Phụ lục II"
    return ("Phụ lục" if grid else None), ("Phụ lục" if listing else None)


def body_sections(data: SummaryData, s: Settings) -> list[Section]:
    d = data.directive
    agency = s.agency_name.strip()
    as_of = fmt(data.as_of)
    about = directive_about(d)
    basis = " ".join(d.basis.split())
    reference = directive_reference(d)
    if about:
        reference += f" {about}"
    opening = f"Thực hiện {basis}; {reference}" if basis else f"Thực hiện {reference}"
    opening += (
        f", {agency} báo cáo kết quả theo dõi việc triển khai thực hiện của các cơ quan, "
        f"đơn vị tính đến ngày {as_of} như sau:"
    )
    sections: list[Section] = [Section("opening", "Mở đầu", (_para(opening),))]
    grid_label, list_label = appendix_labels(data)
    where = f"danh sách tại {list_label}" if list_label else OVERDUE_LIST
    texts = [
        ("assessment", "Đánh giá chung", d.report_assessment),
        ("difficulties", "Khó khăn, vướng mắc", d.report_difficulties),
        ("proposals", "Đề xuất, kiến nghị", d.report_proposals),
    ]
    texts = [t for t in texts if t[2].strip()]
    # A lone "I." is no numbering: the parts are numbered only when there are several.
    numbered_parts = bool(texts)

    def numbered(title: str) -> list[TextBlock]:
        if not numbered_parts:
            return []
        return [TextBlock("heading1", f"{ROMAN[len(sections) - 1]}. {title}")]

    results: list[Block] = [*numbered("Kết quả theo dõi, đôn đốc")]
    for n, task in enumerate(data.tasks, start=1):
        results += task_blocks(task, n, as_of, where)
    if not data.tasks:
        results.append(_para("Văn bản chưa có nhiệm vụ nào giao cho các cơ quan, đơn vị."))
    sections.append(Section("results", "Kết quả theo dõi, đôn đốc", tuple(results)))
    for key, title, text in texts:
        sections.append(Section(key, title, (*numbered(title), *_free_text(text))))
    labels = [label for label in (grid_label, list_label) if label]
    detail = ""
    if len(labels) == 2:
        detail = " (chi tiết tại các Phụ lục kèm theo)"
    elif labels:
        detail = " (chi tiết tại Phụ lục kèm theo)"
    sections.append(
        Section(
            "closing",
            "Kết thúc",
            (
                _para(
                    f"Trên đây là báo cáo kết quả theo dõi việc triển khai thực hiện "
                    f"{directive_reference(d, with_issuer=False)} tính đến ngày {as_of}{detail}, "
                    f"{agency} "
                    f"kính báo cáo {upward_name(s)} xem xét, chỉ đạo."
                ),
            ),
        )
    )
    return sections


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


def max_grid_columns(settings: layout.PageSettings) -> int:
    """How many task columns one grid table holds on a landscape page."""
    avail = settings.landscape_text_width / mm - APPENDIX_STT_MM - APPENDIX_UNIT_MM
    return max(1, int(avail // APPENDIX_COLUMN_MIN_MM))


def grid_appendix(
    data: SummaryData,
    header: layout.DocumentHeader,
    s: Settings,
    page: layout.PageSettings,
    label: str,
) -> AppendixContent:
    """One row per unit, one column per task (its current round); more tasks than a page
    holds are split into several tables, each with the units its tasks bind."""
    columns = list(data.columns)
    numbers = {t.task_id: n for n, t in enumerate(data.tasks, start=1)}
    per_table = max_grid_columns(page)
    chunks = [
        list(range(i, min(i + per_table, len(columns)))) for i in range(0, len(columns), per_table)
    ]
    blocks: list[Block] = []
    wide_any = False
    for n, chunk in enumerate(chunks, start=1):
        widths, wide = appendix_widths(len(chunk), page)
        wide_any = wide_any or wide
        head = [
            "STT",
            "Tên đơn vị",
            *[f"{columns[i].column_title}\nHạn {fmt(columns[i].due_date)}" for i in chunk],
        ]
        rows: list[tuple[str, ...]] = []
        for row in data.rows:
            cells = [row.cells[i] for i in chunk]
            if all(c.status is None for c in cells):
                continue
            rows.append((str(len(rows) + 1), row.unit_name, *[c.text for c in cells]))
        align: list[Literal["left", "center", "right"]] = ["center", "left"]
        align += ["center"] * len(chunk)
        first, last = numbers[columns[chunk[0]].task_id], numbers[columns[chunk[-1]].task_id]
        caption = f"Bảng {n}: nhiệm vụ {first}–{last}" if len(chunks) > 1 else ""
        blocks.append(
            TableBlock(tuple(head), tuple(rows), tuple(widths), tuple(align), caption=caption)
        )
    if len(chunks) > 1:  # every table at the same width: all landscape
        blocks = [
            replace(b, widths_mm=tuple(appendix_widths(len(b.header) - 2, page)[0]))
            if isinstance(b, TableBlock)
            else b
            for b in blocks
        ]
    title = (
        f"Tình hình các cơ quan, đơn vị thực hiện {directive_reference(data.directive)} "
        f"({as_of_caption(data.as_of)})"
    )
    reference = appendix_reference("Báo cáo", header, s.agency_name.strip())
    note = (
        CELL_NOTE + " Mỗi cột là kỳ gần nhất đã đến hạn của một nhiệm vụ (hoặc kỳ sắp "
        "tới, nếu chưa có kỳ nào đến hạn)."
    )
    return AppendixContent(
        label=label,
        title=title,
        reference=reference,
        blocks=(*blocks, NoteBlock(note)),
        landscape=wide_any,
    )


OVERDUE_HEADER = ("STT", "Tên đơn vị", "Kỳ báo cáo", "Hạn gửi", "Ghi chú")
OVERDUE_WIDTHS_MM = (11.0, 62.0, 38.0, 24.0, 30.0)


def overdue_appendix(
    data: SummaryData, header: layout.DocumentHeader, s: Settings, label: str
) -> AppendixContent:
    """Every obligation still overdue on the as-of day: one table per task."""
    blocks: list[Block] = []
    for n, task in enumerate(data.tasks, start=1):
        mine = [e for e in data.overdue if e.task_id == task.task_id]
        if not mine:
            continue
        rows = tuple(
            (
                str(i),
                e.unit.name,
                e.period_label or "—",
                fmt(e.due_date),
                e.unit.gone_note[:1].upper() + e.unit.gone_note[1:],
            )
            for i, e in enumerate(mine, start=1)
        )
        blocks.append(
            TableBlock(
                OVERDUE_HEADER,
                rows,
                OVERDUE_WIDTHS_MM,
                ("center", "left", "left", "center", "left"),
                caption=f"{n}. {task.title}",
            )
        )
    title = (
        f"Danh sách các cơ quan, đơn vị chưa gửi văn bản đã quá hạn theo "
        f"{directive_reference(data.directive)} ({as_of_caption(data.as_of)})"
    )
    reference = appendix_reference("Báo cáo", header, s.agency_name.strip())
    return AppendixContent(label=label, title=title, reference=reference, blocks=tuple(blocks))


def summary_content(db: Database, options: DocumentOptions) -> tuple[DocumentContent, SummaryData]:
    """The synthesis report for ``options.directive_id`` as of ``options.as_of``, as generated
    (``options.edits`` not applied)."""
    options.validate()
    assert options.directive_id is not None
    s = load(db)
    data = summary_data(db, options.directive_id, options.as_of, exclude_name=s.agency_name)
    settings = page_settings(s)
    header = make_header(s, options, f"BC-{s.agency_abbreviation.strip()}")
    grid_label, list_label = appendix_labels(data)
    appendices: list[AppendixContent] = []
    if grid_label:
        appendices.append(grid_appendix(data, header, s, settings, grid_label))
    if list_label:
        appendices.append(overdue_appendix(data, header, s, list_label))
    recipients = options.recipients
    if recipients is None:
        recipients = default_recipients(DocumentKind.SUMMARY, s)
    footer = make_footer(s, options, recipients)
    content = DocumentContent(
        kind=DocumentKind.SUMMARY.value,
        header=header,
        title=TitleBlock("Báo cáo", report_subject(data)),
        kinh_gui=(upward_recipient(s),),
        sections=tuple(body_sections(data, s)),
        footer=footer,
        appendices=tuple(appendices),
        page=settings,
    )
    return content, data
