"""Documents received from units: plan registrations and report intake."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dates import fmt
from app.db import Database
from app.db.stale import check_version
from app.errors import AppError, NotFound, ValidationError
from app.models import Channel, Directive, Obligation, Submission, Task, TaskKind, Unit
from app.schedule import ONE_OFF_KEY, PeriodKind, find_period
from app.services import audit
from app.services.directives import find_directive, find_task
from app.services.obligations import refresh_received
from app.services.units import find_unit
from app.text import clean, search_key

SYMBOL_MAX = 100


@dataclass(frozen=True)
class SubmissionInfo:
    id: int
    obligation_id: int
    unit_id: int
    number_symbol: str
    signed_date: dt.date
    received_date: dt.date
    signer: str
    channel: Channel
    summary: str
    assessment: str
    attachment_path: str
    created_at: dt.datetime
    version: int
    counts: bool  # the first received for its obligation: it decides on time or late

    @property
    def channel_label(self) -> str:
        return self.channel.label


@dataclass(frozen=True)
class SubmissionInput:
    obligation_id: int
    number_symbol: str
    signed_date: dt.date | None
    received_date: dt.date | None
    signer: str = ""
    channel: Channel | str = Channel.PAPER
    summary: str = ""
    assessment: str = ""


def number_key(symbol: str) -> str:
    """Normalised number and symbol for the duplicate check: "05/KH-UBND" = "5 / kh-ubnd"."""
    key = search_key(symbol).replace(" ", "")
    return re.sub(r"^0+(?=\d)", "", key)[:100]  # the column's length (enforced on a server)


def _info(s: Submission, first_id: int | None) -> SubmissionInfo:
    return SubmissionInfo(
        id=s.id,
        obligation_id=s.obligation_id,
        unit_id=s.unit_id,
        number_symbol=s.number_symbol,
        signed_date=s.signed_date,
        received_date=s.received_date,
        signer=s.signer,
        channel=Channel(s.channel),
        summary=s.summary,
        assessment=s.assessment,
        attachment_path=s.attachment_path,
        created_at=s.created_at,
        version=s.version,
        counts=s.id == first_id,
    )


def _first_id(session: Session, obligation_id: int) -> int | None:
    return session.scalar(
        select(Submission.id)
        .where(Submission.obligation_id == obligation_id)
        .order_by(Submission.received_date, Submission.id)
        .limit(1)
    )


def list_for_obligation(db: Database, obligation_id: int) -> list[SubmissionInfo]:
    """All documents a unit sent for one obligation (kept; the first received counts)."""
    with db.read() as session:
        first = _first_id(session, obligation_id)
        stmt = (
            select(Submission)
            .where(Submission.obligation_id == obligation_id)
            .order_by(Submission.received_date, Submission.id)
        )
        return [_info(s, first) for s in session.scalars(stmt)]


def submissions_seen(
    session: Session, obligation_ids: Iterable[int], day: dt.date
) -> dict[int, list[SubmissionInfo]]:
    """The documents received by ``day`` for each obligation, in the order they count: the
    first received answers the obligation (on time or late), the others are kept on record
    (docs/domain.md). One query per 500 obligations."""
    ids = sorted(set(obligation_ids))
    result: dict[int, list[SubmissionInfo]] = {}
    for start in range(0, len(ids), 500):
        stmt = (
            select(Submission)
            .where(
                Submission.obligation_id.in_(ids[start : start + 500]),
                Submission.received_date <= day,
            )
            .order_by(Submission.obligation_id, Submission.received_date, Submission.id)
        )
        for sub in session.scalars(stmt):
            found = result.setdefault(sub.obligation_id, [])
            found.append(_info(sub, sub.id if not found else found[0].id))
    return result


def first_seen(
    session: Session, obligation_ids: Iterable[int], day: dt.date
) -> dict[int, SubmissionInfo]:
    """The submission that counts for each answered obligation, as seen on ``day``."""
    return {oid: subs[0] for oid, subs in submissions_seen(session, obligation_ids, day).items()}


def get_submission(db: Database, submission_id: int) -> SubmissionInfo:
    with db.read() as session:
        s = session.get(Submission, submission_id)
        if s is None:
            raise NotFound.for_("văn bản", submission_id)
        return _info(s, _first_id(session, s.obligation_id))


def validate(
    session: Session, data: SubmissionInput, *, today: dt.date, exclude_id: int | None = None
) -> tuple[Obligation, dict[str, object]]:
    """Check a submission; every problem is reported at its field. The values to store
    (with the obligation's and its unit's ids)."""
    errors: dict[str, str] = {}
    in_range = isinstance(data.obligation_id, int) and 0 < data.obligation_id < 2**63
    obligation = session.get(Obligation, data.obligation_id) if in_range else None
    if obligation is None:
        raise NotFound("Không tìm thấy nghĩa vụ cần ghi nhận; hãy tải lại danh sách (F5).")
    symbol = clean(data.number_symbol)
    if not symbol:
        errors["number_symbol"] = "Số, ký hiệu văn bản không được để trống (ví dụ 45/KH-UBND)."
    elif len(symbol) > SYMBOL_MAX:
        errors["number_symbol"] = f"Số, ký hiệu quá dài (tối đa {SYMBOL_MAX} ký tự)."
    if data.signed_date is None:
        errors["signed_date"] = "Chưa nhập ngày ký."
    if data.received_date is None:
        errors["received_date"] = "Chưa nhập ngày nhận."
    if data.signed_date and data.received_date and data.received_date < data.signed_date:
        errors["received_date"] = (
            f"Ngày nhận {fmt(data.received_date)} trước ngày ký {fmt(data.signed_date)}: "
            "hãy kiểm tra lại."
        )
    if data.received_date and data.received_date > today:
        errors["received_date"] = (
            f"Ngày nhận {fmt(data.received_date)} ở tương lai (hôm nay {fmt(today)})."
        )
    if data.signed_date and data.signed_date > today:
        errors["signed_date"] = f"Ngày ký {fmt(data.signed_date)} ở tương lai."
    errors.update(_date_errors(session, obligation, data, errors))
    try:
        channel = Channel(data.channel)
    except ValueError:
        errors["channel"] = "Hình thức nhận không hợp lệ."
        channel = Channel.PAPER
    signer = clean(data.signer)
    if len(signer) > 255:
        errors["signer"] = "Tên người ký quá dài (tối đa 255 ký tự)."
    summary = clean(data.summary, multiline=True)
    assessment = clean(data.assessment, multiline=True)
    for key, text in (("summary", summary), ("assessment", assessment)):
        if len(text) > 20000:
            errors[key] = "Nội dung quá dài (tối đa 20000 ký tự)."
    if symbol and data.signed_date and "number_symbol" not in errors:
        key = number_key(symbol)
        stmt = select(Submission).where(
            Submission.unit_id == obligation.unit_id,
            Submission.year == data.signed_date.year,
            Submission.number_key == key,
        )
        for other in session.scalars(stmt):
            if other.id != exclude_id:
                errors["number_symbol"] = (
                    f"Đơn vị này đã có văn bản số {other.number_symbol} năm "
                    f"{data.signed_date.year} (nhận ngày {fmt(other.received_date)})."
                )
                break
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    assert data.signed_date is not None and data.received_date is not None
    return obligation, dict(
        obligation_id=obligation.id,
        unit_id=obligation.unit_id,
        number_symbol=symbol,
        number_key=number_key(symbol),
        year=data.signed_date.year,
        signed_date=data.signed_date,
        received_date=data.received_date,
        signer=signer,
        channel=channel.value,
        summary=summary,
        assessment=assessment,
    )


EARLIEST_YEAR = 1901  # Excel's day 0/1 is 1899/1900: such a date is an empty or wrong cell


def too_early(label: str, day: dt.date) -> str | None:
    """Why ``day`` cannot be a date of this work (before 1901: a 0 or a small number in an
    Excel date cell), or None (docs/domain.md)."""
    if day.year >= EARLIEST_YEAR:
        return None
    return (
        f"{label} {fmt(day)} không thể đúng (năm {day.year}; ô ngày trong Excel có lẽ chứa "
        "số 0 hoặc một số nhỏ): hãy ghi lại ngày dd/mm/yyyy."
    )


def _date_errors(
    session: Session, obligation: Obligation, data: SubmissionInput, found: dict[str, str]
) -> dict[str, str]:
    """Dates that cannot be right (docs/domain.md, "Dates of a received document"): before
    1901, or before the directive it answers was signed."""
    errors: dict[str, str] = {}
    task = session.get(Task, obligation.task_id)  # from the session's identity map after
    directive = session.get(Directive, task.directive_id) if task is not None else None  # once
    for key, label, day in (
        ("signed_date", "Ngày ký", data.signed_date),
        ("received_date", "Ngày nhận", data.received_date),
    ):
        if day is None or key in found:
            continue
        if (early := too_early(label, day)) is not None:
            errors[key] = early
        elif directive is not None and day < directive.signed_date:
            errors[key] = (
                f"{label} {fmt(day)} trước ngày ban hành văn bản chỉ đạo "
                f"{directive.number_symbol} ({fmt(directive.signed_date)}): văn bản trả lời "
                "không thể có trước văn bản chỉ đạo; hãy kiểm tra lại ngày."
            )
    return errors


def date_warnings(session: Session, obligation_id: int, received: dt.date | None) -> list[str]:
    """Not refusals, but worth a look: a document received while its unit did not exist
    (before it began or after it ended, e.g. merged)."""
    obligation = session.get(Obligation, obligation_id)
    unit = session.get(Unit, obligation.unit_id) if obligation is not None else None
    if unit is None or received is None:
        return []
    if unit.valid_from and received < unit.valid_from:
        return [
            f"Lưu ý: ngày nhận {fmt(received)} trước ngày {unit.name} bắt đầu hiệu lực "
            f"({fmt(unit.valid_from)})."
        ]
    if unit.valid_to and received > unit.valid_to:
        return [
            f"Lưu ý: ngày nhận {fmt(received)} sau ngày {unit.name} hết hiệu lực "
            f"({fmt(unit.valid_to)})."
        ]
    return []


def submission_warnings(db: Database, obligation_id: int, received: dt.date | None) -> list[str]:
    """:func:`date_warnings` for a form."""
    with db.read() as session:
        return date_warnings(session, obligation_id, received)


def store_submissions(
    session: Session,
    added: Sequence[dict[str, object]] = (),
    changed: Sequence[tuple[Submission, dict[str, object]]] = (),
    *,
    batch_id: int | None = None,
) -> list[Submission]:
    """Write received documents whose values :func:`validate` gave, in the caller's
    transaction: new ones (``added``) and edits (``changed``). Each change is audited
    (``batch_id``: the Excel import making it); the received counters of the obligations
    concerned are recomputed once. Returns the new documents."""
    touched: set[int] = set()
    for submission, values in changed:
        before = audit.snapshot(submission)
        touched.add(submission.obligation_id)
        for key, value in values.items():
            setattr(submission, key, value)
        touched.add(submission.obligation_id)
        summary = f"Sửa văn bản {submission.number_symbol}"
        audit.record_edit(session, "submission", submission, before, summary, batch_id=batch_id)
    new = [Submission(**values) for values in added]
    session.add_all(new)
    session.flush()
    names: dict[int, str] = {}
    if new:
        stmt = select(Unit.id, Unit.name).where(Unit.id.in_({s.unit_id for s in new}))
        names = dict(session.execute(stmt).all())
    for submission in new:
        touched.add(submission.obligation_id)
        said = f"Nhận văn bản {submission.number_symbol} của {names.get(submission.unit_id, '')}"
        audit.record(
            session,
            "create",
            "submission",
            submission.id,
            after=audit.snapshot(submission),
            summary=audit.import_summary(said, batch_id),
            batch_id=batch_id,
        )
    refresh_received(session, touched)
    return new


def record_submission(db: Database, data: SubmissionInput, *, today: dt.date) -> SubmissionInfo:
    """Record a document received from a unit. ``today`` bounds the received date."""
    with db.write() as session:
        _, values = validate(session, data, today=today)
        (submission,) = store_submissions(session, [values])
        submission_id = submission.id
    return get_submission(db, submission_id)


def update_submission(
    db: Database,
    submission_id: int,
    data: SubmissionInput,
    *,
    today: dt.date,
    expected_version: int | None = None,
) -> SubmissionInfo:
    with db.write() as session:
        submission = session.get(Submission, submission_id)
        if submission is None:
            raise NotFound.for_("văn bản", submission_id, maybe_deleted=True)
        check_version(session, submission, expected_version)
        _, values = validate(session, data, today=today, exclude_id=submission_id)
        store_submissions(session, changed=[(submission, values)])
    return get_submission(db, submission_id)


def delete_submission(
    db: Database, submission_id: int, *, expected_version: int | None = None
) -> SubmissionInfo:
    """Delete a document entered by mistake (recorded in the history; returns what it was)."""
    with db.write() as session:
        submission = session.get(Submission, submission_id)
        if submission is None:
            raise NotFound.for_("văn bản", submission_id, maybe_deleted=True)
        check_version(session, submission, expected_version)
        info = _info(submission, None)
        audit.record(
            session,
            "delete",
            "submission",
            submission.id,
            before=audit.snapshot(submission),
            summary=f"Xoá văn bản {submission.number_symbol}",
        )
        obligation_id = submission.obligation_id
        session.delete(submission)
        session.flush()
        refresh_received(session, [obligation_id])
    return info


def restore_submission(db: Database, info: SubmissionInfo) -> SubmissionInfo:
    """Undo a deletion: put the same document back (a new id, the same content)."""
    with db.write() as session:
        submission = Submission(
            obligation_id=info.obligation_id,
            unit_id=info.unit_id,
            number_symbol=info.number_symbol,
            number_key=number_key(info.number_symbol),
            year=info.signed_date.year,
            signed_date=info.signed_date,
            received_date=info.received_date,
            signer=info.signer,
            channel=info.channel.value,
            summary=info.summary,
            assessment=info.assessment,
            attachment_path=info.attachment_path,
            created_at=info.created_at,
        )
        session.add(submission)
        session.flush()
        refresh_received(session, [info.obligation_id])
        audit.record(
            session,
            "restore",
            "submission",
            submission.id,
            after=audit.snapshot(submission),
            summary=f"Hoàn tác xoá văn bản {submission.number_symbol}",
        )
        new_id = submission.id
    return get_submission(db, new_id)


def set_attachment(session: Session, submission_id: int, stored_path: str) -> None:
    submission = session.get(Submission, submission_id)
    if submission is None:
        raise NotFound.for_("văn bản", submission_id)
    before = audit.snapshot(submission)
    submission.attachment_path = stored_path
    session.flush()
    audit.record(
        session,
        "update",
        "submission",
        submission.id,
        before=before,
        after=audit.snapshot(submission),
        summary="Đính kèm tệp văn bản",
    )


class ObligationFinder:
    """Finds an obligation by the names a person writes — unit, directive, task and period —
    for the command line and the Excel import (one rule, one set of messages). Units,
    directives and tasks are looked up once per name; ``preload`` reads every obligation at
    once (an import of many rows) instead of one query per row."""

    def __init__(
        self,
        session: Session,
        *,
        period_hint: str = "kỳ báo cáo (--period)",
        one_off_hint: str | None = "tham số --period (kỳ báo cáo)",
        preload: bool = False,
    ) -> None:
        self.session = session
        self.period_hint = period_hint
        # A period given for a one-off task is refused with this hint (None: ignored).
        self.one_off_hint = one_off_hint
        self._units: dict[str, Unit | AppError] = {}
        self._directives: dict[str, Directive | AppError] = {}
        self._tasks: dict[tuple[int, str], Task | AppError] = {}
        self._obligations: dict[tuple[int, int, str], Obligation] | None = None
        if preload:
            self._obligations = {
                (o.task_id, o.unit_id, o.period_key): o for o in session.scalars(select(Obligation))
            }

    @staticmethod
    def _cached(cache: dict[Any, Any], key: Any, find: Callable[[], Any]) -> Any:
        if key not in cache:
            try:
                cache[key] = find()
            except AppError as exc:
                cache[key] = exc
        found = cache[key]
        if isinstance(found, AppError):
            raise found
        return found

    def find(self, *, unit: str, directive: str, task: str, period: str | None) -> Obligation:
        session = self.session
        unit_row: Unit = self._cached(
            self._units, search_key(unit), lambda: find_unit(session, unit)
        )
        directive_row: Directive = self._cached(
            self._directives, search_key(directive), lambda: find_directive(session, directive)
        )
        task_row: Task = self._cached(
            self._tasks,
            (directive_row.id, search_key(task)),
            lambda: find_task(session, directive_row, task),
        )
        if task_row.kind == TaskKind.ONE_OFF.value:
            if self.one_off_hint and period and period.strip():
                raise ValidationError(
                    f'Nhiệm vụ "{task_row.title}" là báo cáo một lần, không có kỳ báo cáo. '
                    f"Hãy bỏ {self.one_off_hint} rồi chạy lại.",
                    field="period",
                )
            key = ONE_OFF_KEY
        else:
            if not period:
                labels = list(
                    session.scalars(
                        select(Obligation.period_label)
                        .where(Obligation.task_id == task_row.id)
                        .distinct()
                        .limit(6)
                    )
                )
                example = "; ".join(f'"{k}"' for k in labels) or '"6 tháng đầu năm 2018"'
                raise ValidationError(
                    f'Nhiệm vụ "{task_row.title}" là báo cáo định kỳ: hãy ghi '
                    f"{self.period_hint}, ví dụ {example}.",
                    field="period",
                )
            assert task_row.period_kind is not None
            key = find_period(PeriodKind(task_row.period_kind), period).key
        if self._obligations is not None:
            obligation = self._obligations.get((task_row.id, unit_row.id, key))
        else:
            obligation = session.scalar(
                select(Obligation).where(
                    Obligation.task_id == task_row.id,
                    Obligation.unit_id == unit_row.id,
                    Obligation.period_key == key,
                )
            )
        if obligation is None:
            raise NotFound(
                f'{unit_row.name} không có nghĩa vụ "{task_row.title}"'
                + (f" kỳ {period}" if period else "")
                + f" theo văn bản {directive_row.number_symbol}."
            )
        return obligation


def resolve_obligation(
    session: Session, *, unit: str, directive: str, task: str, period: str | None
) -> Obligation:
    """Find the obligation named on the command line (unit, directive, task, period)."""
    return ObligationFinder(session).find(unit=unit, directive=directive, task=task, period=period)
