"""Directives (văn bản chỉ đạo) and their tasks; changing a task re-derives its obligations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.dates import fmt
from app.db import Database
from app.db.stale import check_version
from app.errors import Conflict, NotFound, ValidationError
from app.models import (
    Directive,
    Obligation,
    Submission,
    Task,
    TaskKind,
    TaskUnit,
    TaskUnitKind,
    Unit,
    UnitKind,
)
from app.ordering import kind_rank, order_error
from app.schedule import PeriodKind
from app.services import audit
from app.services.obligations import SyncResult, sync_task
from app.text import clean, search_key

SYMBOL_MAX = 100
TITLE_MAX = 500
TEXT_MAX = 20000
ID_MAX = 2**63 - 1


@dataclass(frozen=True)
class TaskInfo:
    id: int
    directive_id: int
    title: str
    description: str
    kind: TaskKind
    sort_order: int
    due_date: dt.date | None
    period_kind: PeriodKind | None
    start_date: dt.date | None
    end_date: dt.date | None
    due_day: int | None
    due_month_offset: int
    unit_kinds: tuple[UnitKind, ...]
    unit_ids: tuple[int, ...]
    obligation_count: int
    version: int
    due_working_days: int | None = None  # "N ngày làm việc sau ngày chốt số liệu"

    @property
    def schedule_label(self) -> str:
        if self.kind is TaskKind.ONE_OFF:
            return f"Hạn {fmt(self.due_date)}" if self.due_date else "Chưa có hạn"
        assert self.period_kind is not None
        if self.due_working_days:
            return (
                f"{self.period_kind.label}, hạn {self.due_working_days} ngày làm việc "
                "sau ngày chốt số liệu"
            )
        day = f"ngày {self.due_day}" if self.due_day else "ngày mặc định"
        offset = (
            " tháng sau"
            if self.due_month_offset == 1
            else (
                f" {self.due_month_offset} tháng sau" if self.due_month_offset else " tháng cuối kỳ"
            )
        )
        return f"{self.period_kind.label}, hạn {day}{offset}"

    @property
    def scope_label(self) -> str:
        parts = [k.label for k in self.unit_kinds]
        if self.unit_ids:
            parts.append(f"{len(self.unit_ids)} đơn vị chọn riêng")
        return "; ".join(parts) or "Chưa giao đơn vị nào"


@dataclass(frozen=True)
class DirectiveInfo:
    id: int
    number_symbol: str
    signed_date: dt.date
    issuer: str
    signer: str
    subject: str
    basis: str
    note: str
    attachment_path: str
    report_assessment: str
    report_difficulties: str
    report_proposals: str
    version: int
    tasks: tuple[TaskInfo, ...] = ()
    shift_due: bool = False  # hạn trùng ngày nghỉ thì dời sang ngày làm việc kế tiếp

    @property
    def title(self) -> str:
        return f"{self.number_symbol} ngày {fmt(self.signed_date)}"


@dataclass(frozen=True)
class DirectiveInput:
    number_symbol: str
    signed_date: dt.date | None
    issuer: str = ""
    signer: str = ""
    subject: str = ""
    basis: str = ""
    note: str = ""
    # Hạn trùng ngày nghỉ thì dời sang ngày làm việc kế tiếp (None: unchanged; off when new)
    shift_due: bool | None = None


@dataclass(frozen=True)
class TaskInput:
    title: str
    kind: TaskKind | str
    description: str = ""
    due_date: dt.date | None = None
    period_kind: PeriodKind | str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    due_day: int | None = None
    due_month_offset: int = 0
    unit_kinds: Sequence[UnitKind | str] = ()
    unit_ids: Sequence[int] = ()
    sort_order: int | None = None
    extra: dict[str, str] = field(default_factory=dict)
    due_working_days: int | None = None  # periodic: N working days after the cut-off


# --- reading ---------------------------------------------------------------------------------


def _task_info(task: Task, counts: dict[int, int]) -> TaskInfo:
    return TaskInfo(
        id=task.id,
        directive_id=task.directive_id,
        title=task.title,
        description=task.description,
        kind=TaskKind(task.kind),
        sort_order=task.sort_order,
        due_date=task.due_date,
        period_kind=PeriodKind(task.period_kind) if task.period_kind else None,
        start_date=task.start_date,
        end_date=task.end_date,
        due_day=task.due_day,
        due_month_offset=task.due_month_offset or 0,
        unit_kinds=tuple(sorted((UnitKind(k.kind) for k in task.unit_kinds), key=kind_rank)),
        unit_ids=tuple(sorted(u.unit_id for u in task.units)),
        obligation_count=counts.get(task.id, 0),
        version=task.version,
        due_working_days=task.due_working_days,
    )


def _directive_info(d: Directive, counts: dict[int, int], with_tasks: bool = True) -> DirectiveInfo:
    return DirectiveInfo(
        id=d.id,
        number_symbol=d.number_symbol,
        signed_date=d.signed_date,
        issuer=d.issuer,
        signer=d.signer,
        subject=d.subject,
        basis=d.basis,
        note=d.note,
        attachment_path=d.attachment_path,
        report_assessment=d.report_assessment,
        report_difficulties=d.report_difficulties,
        report_proposals=d.report_proposals,
        version=d.version,
        tasks=tuple(_task_info(t, counts) for t in d.tasks) if with_tasks else (),
        shift_due=bool(d.shift_due),
    )


def _obligation_counts(session: Session) -> dict[int, int]:
    return dict(
        session.execute(select(Obligation.task_id, func.count()).group_by(Obligation.task_id)).all()
    )


def list_directives(db: Database) -> list[DirectiveInfo]:
    """Newest first, with their tasks."""
    with db.read() as session:
        counts = _obligation_counts(session)
        # Tasks and their scopes loaded in a few batched queries, not lazily per directive
        # (1,000 directives: ~3,000 queries, ~1.4 s of CPU).
        stmt = (
            select(Directive)
            .order_by(Directive.signed_date.desc(), Directive.id.desc())
            .options(
                selectinload(Directive.tasks).selectinload(Task.unit_kinds),
                selectinload(Directive.tasks).selectinload(Task.units),
            )
        )
        return [_directive_info(d, counts) for d in session.scalars(stmt)]


def get_directive(db: Database, directive_id: int) -> DirectiveInfo:
    with db.read() as session:
        d = session.get(Directive, directive_id)
        if d is None:
            raise NotFound.for_("văn bản chỉ đạo", directive_id)
        return _directive_info(d, _obligation_counts(session))


def directives_brief(db: Database, directive_ids: Iterable[int]) -> dict[int, DirectiveInfo]:
    """Several directives by id in one query, without their tasks (``tasks`` empty): what a
    document needs to cite them ("Công văn số … ngày … của …")."""
    wanted = sorted(set(directive_ids))
    with db.read() as session:
        if not wanted:
            return {}
        rows = session.scalars(select(Directive).where(Directive.id.in_(wanted)))
        return {d.id: _directive_info(d, {}, with_tasks=False) for d in rows}


def get_task(db: Database, task_id: int) -> TaskInfo:
    with db.read() as session:
        t = session.get(Task, task_id)
        if t is None:
            raise NotFound.for_("nhiệm vụ", task_id)
        return _task_info(t, _obligation_counts(session))


def find_directive(session: Session, symbol: str) -> Directive:
    """By number and symbol ("2116/UBND-NC"), case- and accent-insensitively; also by a
    unique part of it. The newest wins only when the symbols are equal across years."""
    wanted = search_key(symbol).replace(" ", "")
    if not wanted:
        raise NotFound("Chưa nhập số, ký hiệu văn bản chỉ đạo.")
    directives = list(
        session.scalars(
            select(Directive).order_by(Directive.signed_date.desc(), Directive.id.desc())
        )
    )
    exact = [d for d in directives if search_key(d.number_symbol).replace(" ", "") == wanted]
    if exact:
        return exact[0]
    partial = [d for d in directives if wanted in search_key(d.number_symbol).replace(" ", "")]
    if len(partial) == 1:
        return partial[0]
    if not partial:
        raise NotFound(f"Không có văn bản chỉ đạo số {symbol!r}.")
    names = [f"{d.number_symbol} ({fmt(d.signed_date)})" for d in partial]
    raise NotFound(f"Số {symbol!r} khớp nhiều văn bản: " + "; ".join(names[:15]), candidates=names)


def find_task(session: Session, directive: Directive, title: str) -> Task:
    wanted = search_key(title)
    tasks = list(directive.tasks)
    if not wanted:
        if len(tasks) == 1:
            return tasks[0]
        raise NotFound(
            "Văn bản có nhiều nhiệm vụ; hãy ghi tên nhiệm vụ: " + "; ".join(t.title for t in tasks),
            candidates=[t.title for t in tasks],
        )
    exact = [t for t in tasks if search_key(t.title) == wanted]
    if len(exact) == 1:
        return exact[0]
    words = wanted.split()
    partial = [t for t in tasks if all(w in search_key(t.title) for w in words)]
    if len(partial) == 1:
        return partial[0]
    listing = "; ".join(t.title for t in (partial or tasks))
    if not partial:
        raise NotFound(
            f"Văn bản {directive.number_symbol} không có nhiệm vụ {title!r}. "
            f"Các nhiệm vụ: {listing}",
            candidates=[t.title for t in tasks],
        )
    raise NotFound(
        f"Tên nhiệm vụ {title!r} khớp nhiều nhiệm vụ: {listing}",
        candidates=[t.title for t in partial],
    )


# --- directive writes -------------------------------------------------------------------------


def _validate_directive(data: DirectiveInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    symbol = clean(data.number_symbol)
    if not symbol:
        errors["number_symbol"] = "Số, ký hiệu văn bản không được để trống (ví dụ 2116/UBND-NC)."
    elif len(symbol) > SYMBOL_MAX:
        errors["number_symbol"] = f"Số, ký hiệu quá dài (tối đa {SYMBOL_MAX} ký tự)."
    elif "/" not in symbol:
        errors["number_symbol"] = "Số, ký hiệu phải có dạng số/ký hiệu, ví dụ 2116/UBND-NC."
    if data.signed_date is None:
        errors["signed_date"] = "Chưa nhập ngày ban hành."
    issuer = clean(data.issuer)
    if len(issuer) > 255:
        errors["issuer"] = "Tên cơ quan ban hành quá dài (tối đa 255 ký tự)."
    signer = clean(data.signer)
    if len(signer) > 255:
        errors["signer"] = "Tên người ký quá dài (tối đa 255 ký tự)."
    subject = clean(data.subject, multiline=True)
    if not subject:
        errors["subject"] = "Trích yếu không được để trống."
    elif len(subject) > TEXT_MAX:
        errors["subject"] = f"Trích yếu quá dài (tối đa {TEXT_MAX} ký tự)."
    basis = clean(data.basis, multiline=True)
    note = clean(data.note, multiline=True)
    for key, text in (("basis", basis), ("note", note)):
        if len(text) > TEXT_MAX:
            errors[key] = f"Nội dung quá dài (tối đa {TEXT_MAX} ký tự)."
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    values: dict[str, object] = dict(
        number_symbol=symbol,
        signed_date=data.signed_date,
        issuer=issuer,
        signer=signer,
        subject=subject,
        basis=basis,
        note=note,
        search_key=directive_search_key(symbol, issuer, subject),
    )
    if data.shift_due is not None:
        values["shift_due"] = bool(data.shift_due)
    return values


def directive_search_key(number_symbol: str, issuer: str, subject: str) -> str:
    """The stored search key of a directive (number, issuer and subject, accent-free)."""
    return search_key(f"{number_symbol} {issuer} {subject}")[:1000]


def _check_directive_duplicate(
    session: Session, symbol: str, day: dt.date, exclude: int | None = None
) -> None:
    key = search_key(symbol).replace(" ", "")
    for d in session.scalars(select(Directive)):
        if (
            d.id != exclude
            and d.signed_date.year == day.year
            and search_key(d.number_symbol).replace(" ", "") == key
        ):
            raise ValidationError(
                f"Đã có văn bản số {d.number_symbol} năm {day.year}.", field="number_symbol"
            )


def create_directive(db: Database, data: DirectiveInput) -> DirectiveInfo:
    values = _validate_directive(data)
    with db.write() as session:
        _check_directive_duplicate(session, str(values["number_symbol"]), data.signed_date)  # type: ignore[arg-type]
        directive = Directive(**values)
        session.add(directive)
        session.flush()
        audit.record(
            session,
            "create",
            "directive",
            directive.id,
            after=audit.snapshot(directive),
            summary=f"Thêm văn bản chỉ đạo {directive.number_symbol}",
        )
        directive_id = directive.id
    return get_directive(db, directive_id)


def update_directive(
    db: Database, directive_id: int, data: DirectiveInput, *, expected_version: int | None = None
) -> tuple[DirectiveInfo, SyncResult]:
    """Edit a directive. Its date can move one-off/periodic start defaults: tasks re-sync."""
    values = _validate_directive(data)
    result = SyncResult()
    with db.write() as session:
        directive = _get_directive(session, directive_id)
        check_version(session, directive, expected_version)
        _check_directive_duplicate(
            session,
            str(values["number_symbol"]),
            data.signed_date,  # type: ignore[arg-type]
            exclude=directive_id,
        )
        before = audit.snapshot(directive)
        for key, value in values.items():
            setattr(directive, key, value)
        summary = f"Sửa văn bản chỉ đạo {directive.number_symbol}"
        after = audit.record_edit(session, "directive", directive, before, summary)
        if after is not None and any(before[k] != after[k] for k in ("signed_date", "shift_due")):
            for task in directive.tasks:
                result += sync_task(session, task)
    return get_directive(db, directive_id), result


def save_report_texts(
    db: Database,
    directive_id: int,
    *,
    assessment: str,
    difficulties: str,
    proposals: str,
    expected_version: int | None = None,
) -> DirectiveInfo:
    """The free-text sections of the synthesis report, saved with the directive."""
    texts = {
        k: clean(v, multiline=True)
        for k, v in (
            ("report_assessment", assessment),
            ("report_difficulties", difficulties),
            ("report_proposals", proposals),
        )
    }
    for key, text in texts.items():
        if len(text) > TEXT_MAX:
            raise ValidationError(f"Nội dung quá dài (tối đa {TEXT_MAX} ký tự).", field=key)
    with db.write() as session:
        directive = _get_directive(session, directive_id)
        check_version(session, directive, expected_version)
        before = audit.snapshot(directive)
        for key, text in texts.items():
            setattr(directive, key, text)
        summary = f"Sửa nội dung báo cáo của văn bản {directive.number_symbol}"
        audit.record_edit(session, "directive", directive, before, summary)
    return get_directive(db, directive_id)


def set_directive_attachment(session: Session, directive_id: int, stored_path: str) -> None:
    directive = _get_directive(session, directive_id)
    before = audit.snapshot(directive)
    directive.attachment_path = stored_path
    session.flush()
    audit.record(
        session,
        "update",
        "directive",
        directive.id,
        before=before,
        after=audit.snapshot(directive),
        summary="Đính kèm tệp văn bản",
    )


def delete_directive(
    db: Database, directive_id: int, *, expected_version: int | None = None
) -> None:
    """Delete a directive entered by mistake: refused when any submission answers it."""
    with db.write() as session:
        directive = _get_directive(session, directive_id)
        check_version(session, directive, expected_version)
        count = (
            session.scalar(
                select(func.count(Submission.id))
                .join(Obligation, Obligation.id == Submission.obligation_id)
                .join(Task, Task.id == Obligation.task_id)
                .where(Task.directive_id == directive_id)
            )
            or 0
        )
        if count:
            raise Conflict(
                f"Không xoá được văn bản {directive.number_symbol}: đã có {count} văn bản của các "
                "đơn vị gửi đến theo văn bản này. Hãy xoá các văn bản nhận được trước nếu thật "
                "sự nhập nhầm."
            )
        audit.record(
            session,
            "delete",
            "directive",
            directive.id,
            before=audit.snapshot(directive),
            summary=f"Xoá văn bản chỉ đạo {directive.number_symbol}",
        )
        for task in directive.tasks:
            session.query(Obligation).filter(Obligation.task_id == task.id).delete()
        session.delete(directive)


def _get_directive(session: Session, directive_id: int) -> Directive:
    directive = session.get(Directive, directive_id)
    if directive is None:
        raise NotFound.for_("văn bản chỉ đạo", directive_id, maybe_deleted=True)
    return directive


# --- task writes -------------------------------------------------------------------------------


def _validate_task(session: Session, data: TaskInput) -> dict[str, object]:
    errors: dict[str, str] = {}
    title = clean(data.title)
    if not title:
        errors["title"] = "Tên nhiệm vụ không được để trống."
    elif len(title) > TITLE_MAX:
        errors["title"] = f"Tên nhiệm vụ quá dài (tối đa {TITLE_MAX} ký tự)."
    description = clean(data.description, multiline=True)
    if len(description) > TEXT_MAX:
        errors["description"] = f"Mô tả quá dài (tối đa {TEXT_MAX} ký tự)."
    try:
        kind = TaskKind(data.kind)
    except ValueError:
        errors["kind"] = "Loại nhiệm vụ không hợp lệ."
        kind = TaskKind.ONE_OFF
    period_kind: str | None = None
    if kind is TaskKind.ONE_OFF:
        if data.due_date is None:
            errors["due_date"] = "Nhiệm vụ một lần phải có hạn hoàn thành."
    else:
        try:
            period_kind = PeriodKind(data.period_kind or "").value
        except ValueError:
            errors["period_kind"] = "Hãy chọn loại kỳ báo cáo (tháng, quý, 6 tháng, 9 tháng, năm)."
        if data.start_date and data.end_date and data.end_date < data.start_date:
            errors["end_date"] = "Ngày kết thúc theo dõi phải sau ngày bắt đầu."
        if data.start_date and data.end_date and (data.end_date.year - data.start_date.year) > 30:
            errors["end_date"] = "Thời gian theo dõi không quá 30 năm."
        if data.due_day is not None and not 1 <= data.due_day <= 31:
            errors["due_day"] = "Ngày hạn nộp phải từ 1 đến 31."
        if not 0 <= (data.due_month_offset or 0) <= 12:
            errors["due_month_offset"] = "Số tháng lùi hạn phải từ 0 đến 12."
        if data.due_working_days is not None and not 1 <= data.due_working_days <= 60:
            errors["due_working_days"] = "Số ngày làm việc sau ngày chốt số liệu phải từ 1 đến 60."
    kinds: list[str] = []
    for k in data.unit_kinds:
        try:
            kinds.append(UnitKind(k).value)
        except ValueError:
            errors["unit_kinds"] = f"Loại đơn vị không hợp lệ: {k}."
    unit_ids = sorted(set(int(i) for i in data.unit_ids))
    if (order := order_error(data.sort_order)) is not None:
        errors["sort_order"] = order
    if unit_ids:
        storable = [i for i in unit_ids if 0 < i <= ID_MAX]  # SQLite integers are 64-bit
        found = set(session.scalars(select(Unit.id).where(Unit.id.in_(storable))))
        missing = [i for i in unit_ids if i not in found]
        if missing:
            errors["unit_ids"] = f"Không tìm thấy đơn vị mã {missing}."
    if not kinds and not unit_ids:
        errors["unit_kinds"] = "Hãy giao nhiệm vụ cho ít nhất một loại đơn vị hoặc một đơn vị."
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    return dict(
        title=title,
        description=description,
        kind=kind.value,
        due_date=data.due_date if kind is TaskKind.ONE_OFF else None,
        period_kind=period_kind,
        start_date=data.start_date if kind is TaskKind.PERIODIC else None,
        end_date=data.end_date if kind is TaskKind.PERIODIC else None,
        due_day=data.due_day if kind is TaskKind.PERIODIC else None,
        due_month_offset=(data.due_month_offset or 0) if kind is TaskKind.PERIODIC else 0,
        due_working_days=data.due_working_days if kind is TaskKind.PERIODIC else None,
        unit_kinds=sorted(set(kinds)),
        unit_ids=unit_ids,
    )


def _task_snapshot(task: Task) -> dict[str, object]:
    snap = audit.snapshot(task)
    snap["unit_kinds"] = sorted(k.kind for k in task.unit_kinds)
    snap["unit_ids"] = sorted(u.unit_id for u in task.units)
    return snap


def _apply_task(task: Task, values: dict[str, object]) -> None:
    kinds = values.pop("unit_kinds")
    unit_ids = values.pop("unit_ids")
    for key, value in values.items():
        setattr(task, key, value)
    current_kinds = {k.kind: k for k in task.unit_kinds}
    for kind, kind_row in current_kinds.items():
        if kind not in kinds:  # type: ignore[operator]
            task.unit_kinds.remove(kind_row)
    for kind in kinds:  # type: ignore[attr-defined]
        if kind not in current_kinds:
            task.unit_kinds.append(TaskUnitKind(kind=kind))
    current_units = {u.unit_id: u for u in task.units}
    for unit_id, row in current_units.items():
        if unit_id not in unit_ids:  # type: ignore[operator]
            task.units.remove(row)
    for unit_id in unit_ids:  # type: ignore[attr-defined]
        if unit_id not in current_units:
            task.units.append(TaskUnit(unit_id=unit_id))


def add_task(db: Database, directive_id: int, data: TaskInput) -> tuple[TaskInfo, SyncResult]:
    with db.write() as session:
        directive = _get_directive(session, directive_id)
        values = _validate_task(session, data)
        order = data.sort_order
        if order is None:
            order = max((t.sort_order for t in directive.tasks), default=0) + 1
        task = Task(directive_id=directive.id, sort_order=order, title="", kind="")
        directive.tasks.append(task)
        _apply_task(task, values)
        session.flush()
        result = sync_task(session, task)
        audit.record(
            session,
            "create",
            "task",
            task.id,
            after=_task_snapshot(task),
            summary=f'Thêm nhiệm vụ "{task.title}" ({directive.number_symbol}); '
            + result.describe(),
        )
        task_id = task.id
    return get_task(db, task_id), result


def update_task(
    db: Database, task_id: int, data: TaskInput, *, expected_version: int | None = None
) -> tuple[TaskInfo, SyncResult]:
    """Edit a task; its obligations follow (added, removed, kept when answered)."""
    with db.write() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise NotFound.for_("nhiệm vụ", task_id, maybe_deleted=True)
        check_version(session, task, expected_version)
        values = _validate_task(session, data)
        if data.sort_order is not None:
            values["sort_order"] = data.sort_order
        before = _task_snapshot(task)
        _apply_task(task, values)
        session.flush()
        result = sync_task(session, task)
        after = _task_snapshot(task)
        if before != after or result.changed:
            audit.record(
                session,
                "update",
                "task",
                task.id,
                before=before,
                after=after,
                summary=f'Sửa nhiệm vụ "{task.title}"; ' + result.describe(),
            )
    return get_task(db, task_id), result


def delete_task(db: Database, task_id: int, *, expected_version: int | None = None) -> SyncResult:
    """Delete a task: refused when a submission answers it (say so, delete nothing)."""
    with db.write() as session:
        task = session.get(Task, task_id)
        if task is None:
            raise NotFound.for_("nhiệm vụ", task_id)
        check_version(session, task, expected_version)
        answered = (
            session.scalar(
                select(func.count(Submission.id))
                .join(Obligation, Obligation.id == Submission.obligation_id)
                .where(Obligation.task_id == task_id)
            )
            or 0
        )
        if answered:
            raise Conflict(
                f'Không xoá được nhiệm vụ "{task.title}": đã có {answered} văn bản gửi đến. '
                "Hãy sửa phạm vi hoặc thời hạn thay vì xoá."
            )
        removed = session.query(Obligation).filter(Obligation.task_id == task_id).delete()
        audit.record(
            session,
            "delete",
            "task",
            task.id,
            before=_task_snapshot(task),
            summary=f'Xoá nhiệm vụ "{task.title}" ({removed} nghĩa vụ)',
        )
        session.delete(task)
    return SyncResult(removed=removed)
