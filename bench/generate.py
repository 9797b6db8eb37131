"""Synthetic data for the benchmarks: one province's follow-up book, deterministic from a seed.

    python bench/generate.py --scale M [--seed 2018] [--out bench/data/M.db]

Three scales:

- S: one province, one year: ~40 units, 3 directives, ~1,000 obligations;
- M: one province, ten years (2016–2025): ~130 units, 200 directives, ~100,000 obligations,
  ~80,000 submissions;
- L: stress, ten years: ~400 units, 1,000 directives, ~1,000,000 obligations.

The data goes through the real schema (a database migrated by Alembic): units of every kind
with validity changes (commune mergers, a new department, the district level ending on
30/06/2025), directives with one-off and periodic tasks bound by unit kind or unit by unit,
obligations derived from the tasks, submissions with a realistic on-time/late/missing mix, and
``first_received``/``submission_count`` computed from the submissions in one bulk statement.

Obligations are derived by :func:`app.services.obligations.sync_task` at S and M. At L that
row-by-row ORM path would take too long, so the same rules (``task_schedule``, the unit
validity and scope) feed bulk inserts; ``tests/core/test_bench_generate.py`` checks that both
paths give the same obligations.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from app.db import connect  # noqa: E402
from app.models import (  # noqa: E402
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
from app.schedule import PeriodKind  # noqa: E402
from app.services.directives import directive_search_key  # noqa: E402
from app.services.obligations import (  # noqa: E402
    sync_task,
    task_schedule,
    validity_reason,
)
from app.services.submissions import number_key  # noqa: E402
from app.services.units import unit_search_key  # noqa: E402
from app.settings import load_settings, save_settings  # noqa: E402
from app.text import search_key  # noqa: E402

DATA_DIR = ROOT / "bench" / "data"


@dataclass(frozen=True)
class Scale:
    name: str
    first_year: int
    last_year: int
    departments: int
    districts: int
    communes: int
    directives: int
    obligations: int  # target; the generator stops adding tasks when it is reached
    as_of: dt.date  # "today" of the data: nothing is received after it
    bulk: bool  # derive obligations with bulk inserts instead of sync_task


SCALES: dict[str, Scale] = {
    "S": Scale("S", 2018, 2018, 22, 14, 4, 3, 1_000, dt.date(2018, 10, 15), False),
    "M": Scale("M", 2016, 2025, 24, 14, 92, 200, 100_000, dt.date(2025, 10, 15), False),
    "L": Scale("L", 2016, 2025, 30, 14, 356, 1_000, 1_000_000, dt.date(2025, 10, 15), True),
}

DEPARTMENTS = [
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Dân tộc",
    "Ban Quản lý Khu kinh tế Dung Quất và các KCN",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Đài Phát thanh - Truyền hình",
    "Trường Cao đẳng Cộng đồng",
    "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
]
DISTRICTS = [
    "thành phố Quảng Ngãi",
    "huyện Bình Sơn",
    "huyện Sơn Tịnh",
    "huyện Tư Nghĩa",
    "huyện Nghĩa Hành",
    "huyện Mộ Đức",
    "thị xã Đức Phổ",
    "huyện Ba Tơ",
    "huyện Minh Long",
    "huyện Sơn Hà",
    "huyện Sơn Tây",
    "huyện Trà Bồng",
    "huyện Lý Sơn",
    "huyện Tây Trà",
]
COMMUNE_STEMS = [
    "Bình",
    "Tịnh",
    "Nghĩa",
    "Đức",
    "Phổ",
    "Ba",
    "Long",
    "Sơn",
    "Trà",
    "Hành",
    "Thanh",
    "Hòa",
    "An",
    "Phước",
    "Thuận",
    "Hiệp",
    "Kỳ",
    "Minh",
    "Tân",
    "Xuân",
]
COMMUNE_TAILS = [
    "Thạnh",
    "Hiệp",
    "Đông",
    "Tây",
    "Nam",
    "Bắc",
    "Trung",
    "Phú",
    "Lợi",
    "Hải",
    "Thủy",
    "Mỹ",
    "Châu",
    "Khánh",
    "Chánh",
    "Phong",
    "Thắng",
    "Hà",
    "Giang",
    "Lâm",
]
SUBJECTS = [
    "triển khai thực hiện công tác dân vận chính quyền",
    "cải cách hành chính",
    "thực hiện quy chế dân chủ ở cơ sở",
    "phòng, chống tham nhũng, tiêu cực",
    "sắp xếp tổ chức bộ máy tinh gọn, hiệu lực, hiệu quả",
    "tinh giản biên chế",
    "chuyển đổi số trong cơ quan nhà nước",
    "thi đua, khen thưởng",
    "công tác văn thư, lưu trữ",
    "đánh giá, xếp loại cán bộ, công chức, viên chức",
    "thực hiện chính sách tôn giáo",
    "công tác thanh niên",
    "bình đẳng giới",
    "phòng, chống thiên tai và tìm kiếm cứu nạn",
    "xây dựng nông thôn mới",
]
TASK_TITLES_ONCE = [
    "Xây dựng kế hoạch triển khai",
    "Báo cáo sơ kết",
    "Báo cáo tổng kết",
    "Rà soát, đề xuất sửa đổi quy định",
    "Gửi danh sách đầu mối phụ trách",
]
PERIOD_WEIGHTS = [
    (PeriodKind.MONTH, 15),
    (PeriodKind.QUARTER, 30),
    (PeriodKind.HALF_YEAR, 25),
    (PeriodKind.NINE_MONTHS, 5),
    (PeriodKind.YEAR, 25),
]
PERIOD_TITLES = {
    PeriodKind.MONTH: "Báo cáo định kỳ hằng tháng",
    PeriodKind.QUARTER: "Báo cáo định kỳ hằng quý",
    PeriodKind.HALF_YEAR: "Báo cáo định kỳ 6 tháng",
    PeriodKind.NINE_MONTHS: "Báo cáo 9 tháng",
    PeriodKind.YEAR: "Báo cáo định kỳ năm",
}
SETTINGS = {
    "agency_name": "Sở Nội vụ",
    "parent_agency": "Ủy ban nhân dân tỉnh Quảng Ngãi",
    "agency_abbreviation": "SNV",
    "place_name": "Quảng Ngãi",
    "drafting_unit": "XDCQ",
    "signer_name": "Nguyễn Văn A",
    "recipients": ["UBND tỉnh (báo cáo)", "Giám đốc Sở", "Lưu: VT, XDCQ"],
}


@dataclass
class _Unit:
    id: int
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    abbr: str


@dataclass(frozen=True)
class GenerateResult:
    path: Path
    scale: str
    units: int
    directives: int
    tasks: int
    obligations: int
    submissions: int
    seconds: float

    def describe(self) -> str:
        return (
            f"{self.scale}: {self.units} units, {self.directives} directives, {self.tasks} "
            f"tasks, {self.obligations} obligations, {self.submissions} submissions in "
            f"{self.seconds:.1f} s -> {self.path}"
        )


def default_path(scale: str) -> Path:
    return DATA_DIR / f"{scale}.db"


# --- units ------------------------------------------------------------------------------------


def _unit_rows(scale: Scale, rng: random.Random) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    district_end = dt.date(2025, 6, 30)  # the district level ends on 1/7/2025
    for i in range(scale.departments):
        name = DEPARTMENTS[i % len(DEPARTMENTS)]
        if i >= len(DEPARTMENTS):
            name = f"{name} ({i // len(DEPARTMENTS) + 1})"
        valid_from = None
        if scale.first_year < scale.last_year and i == scale.departments - 1:
            valid_from = dt.date(2021, 1, 1)  # a department created mid-way
        rows.append(
            dict(
                name=name,
                short_name=name.removeprefix("Sở "),
                kind=UnitKind.DEPARTMENT.value,
                head_title="Giám đốc",
                valid_from=valid_from,
                valid_to=None,
            )
        )
    for i in range(scale.districts):
        place = DISTRICTS[i % len(DISTRICTS)]
        valid_to = district_end if scale.last_year >= 2025 else None
        rows.append(
            dict(
                name=f"UBND {place}",
                short_name=place.split(" ", 1)[1].title() if place.startswith("huyện") else place,
                kind=UnitKind.DISTRICT.value,
                head_title="Chủ tịch UBND",
                valid_from=None,
                valid_to=valid_to,
            )
        )
    used: set[str] = set()
    for i in range(scale.communes):
        while True:
            place = f"{rng.choice(COMMUNE_STEMS)} {rng.choice(COMMUNE_TAILS)}"
            if place not in used:
                break
            place = f"{place} {i}"
            if place not in used:
                break
        used.add(place)
        valid_from = valid_to = None
        if scale.first_year == scale.last_year:
            if i == 0:
                valid_from = dt.date(scale.first_year, 7, 1)
            elif i == 1:
                valid_to = dt.date(scale.first_year, 9, 30)
        elif i % 12 == 1:
            valid_to = dt.date(2019, 12, 31)  # merged into the next commune on 1/1/2020
        rows.append(
            dict(
                name=f"UBND xã {place}",
                short_name=f"Xã {place}",
                kind=UnitKind.COMMUNE.value,
                head_title="Chủ tịch UBND",
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    for order, row in enumerate(rows, start=1):
        row.update(
            sort_order=order,
            active=row["valid_to"] is None,
            successor_id=None,
            version=1,
            search_key=unit_search_key(row["name"], row["short_name"]),
        )
    return rows


def _insert_units(session: Session, scale: Scale, rng: random.Random) -> list[_Unit]:
    session.execute(insert(Unit), _unit_rows(scale, rng))
    units = [
        _Unit(
            u.id,
            u.kind,
            u.valid_from,
            u.valid_to,
            "".join(w[0] for w in search_key(u.short_name or u.name).split()).upper()[:6],
        )
        for u in session.scalars(select(Unit).order_by(Unit.id))
    ]
    for index, unit in enumerate(units):  # mergers: the next unit of the kind takes over
        if unit.valid_to is not None and unit.kind == UnitKind.COMMUNE.value:
            successor = next(
                (u for u in units[index + 1 :] if u.kind == unit.kind and u.valid_to is None), None
            )
            if successor is not None:
                session.execute(
                    text("UPDATE unit SET successor_id = :s WHERE id = :u"),
                    {"s": successor.id, "u": unit.id},
                )
    return units


# --- directives and tasks ---------------------------------------------------------------------


def _bound(
    units: list[_Unit], kinds: set[str], chosen: set[int], span: tuple[dt.date, dt.date]
) -> list[_Unit]:
    """The rule of ``obligations._bound_units``, over the units in memory."""
    first, last = span
    result = {u.id: u for u in units if u.id in chosen}
    for u in units:
        if (
            u.kind in kinds
            and (u.valid_from is None or u.valid_from <= last)
            and (u.valid_to is None or u.valid_to >= first)
        ):
            result[u.id] = u
    return list(result.values())


def _span(
    schedule: list[tuple[str, str, dt.date | None, dt.date | None, dt.date]], signed: dt.date
) -> tuple[dt.date, dt.date]:
    starts = [s[2] or s[4] for s in schedule]
    return min([signed, *starts]), max(s[4] for s in schedule)


def _random_task(
    rng: random.Random, signed: dt.date, scale: Scale, units: list[_Unit], order: int
) -> tuple[Task, set[str], set[int]]:
    last_day = dt.date(scale.last_year, 12, 31)
    if rng.random() < 0.35:
        due = min(signed + dt.timedelta(days=rng.randint(12, 75)), last_day)
        task = Task(
            title=rng.choice(TASK_TITLES_ONCE),
            kind=TaskKind.ONE_OFF.value,
            due_date=due,
            sort_order=order,
            description="",
            due_month_offset=0,
        )
    else:
        kinds_, weights = zip(*PERIOD_WEIGHTS, strict=True)
        period = rng.choices(kinds_, weights)[0]
        years = rng.choice([1, 1, 2, 3, 5])
        end = min(dt.date(signed.year + years - 1, 12, 31), last_day)
        task = Task(
            title=PERIOD_TITLES[period],
            kind=TaskKind.PERIODIC.value,
            period_kind=period.value,
            start_date=signed,
            end_date=end,
            sort_order=order,
            description="",
            due_month_offset=0,
            due_day=rng.choice([None, None, 15, 25]),
        )
    roll = rng.random()
    chosen: set[int] = set()
    if roll < 0.45:
        kinds = {UnitKind.DEPARTMENT.value, UnitKind.DISTRICT.value}
    elif roll < 0.65:
        kinds = {UnitKind.DISTRICT.value}
    elif roll < 0.80:
        kinds = {UnitKind.DISTRICT.value, UnitKind.COMMUNE.value}
    elif roll < 0.90:
        kinds = {UnitKind.DEPARTMENT.value}
    else:
        kinds = set()
        chosen = {u.id for u in rng.sample(units, k=min(len(units), rng.randint(3, 15)))}
    return task, kinds, chosen


def _insert_directives(
    session: Session, scale: Scale, rng: random.Random, units: list[_Unit], default_due_day: int
) -> list[tuple[Task, list[_Unit]]]:
    """Directives and their tasks; tasks are added until the obligation target is reached."""
    first = dt.date(scale.first_year, 1, 5)
    last = min(scale.as_of, dt.date(scale.last_year, 11, 30))
    days = (last - first).days
    dates = sorted(first + dt.timedelta(days=rng.randint(0, days)) for _ in range(scale.directives))
    if scale.name == "S":
        dates[0] = dt.date(scale.first_year, 4, 18)
    planned = 0
    result: list[tuple[Task, list[_Unit]]] = []
    for index, signed in enumerate(dates):
        subject = rng.choice(SUBJECTS)
        symbol = f"{rng.randint(100, 6000)}/UBND-{rng.choice(['NC', 'KT', 'VX', 'TH'])}"
        issuer, full_subject = "UBND tỉnh Quảng Ngãi", f"Về việc {subject} năm {signed.year}"
        directive = Directive(
            number_symbol=symbol,
            signed_date=signed,
            issuer=issuer,
            signer="Chủ tịch UBND tỉnh",
            subject=full_subject,
            search_key=directive_search_key(symbol, issuer, full_subject),
        )
        session.add(directive)
        goal = scale.obligations * (index + 1) // scale.directives
        order = 0
        while True:
            order += 1
            task, kinds, chosen = _random_task(rng, signed, scale, units, order)
            schedule = task_schedule(task, signed, default_due_day)
            bound = _bound(units, kinds, chosen, _span(schedule, signed)) if schedule else []
            if not bound and order < 12:
                continue
            task.unit_kinds = [TaskUnitKind(kind=k) for k in sorted(kinds)]
            task.units = [TaskUnit(unit_id=uid) for uid in sorted(chosen)]
            directive.tasks.append(task)
            result.append((task, bound))
            planned += len(bound) * len(schedule)
            if planned >= goal or order >= 40:
                break
    session.flush()
    return result


# --- obligations ------------------------------------------------------------------------------


def _obligations_by_sync(
    session: Session, tasks: list[tuple[Task, list[_Unit]]], default_due_day: int
) -> int:
    added = 0
    for task, _bound_units in tasks:
        added += sync_task(session, task, default_due_day=default_due_day).added
    return added


def _obligations_bulk(
    session: Session,
    tasks: list[tuple[Task, list[_Unit]]],
    default_due_day: int,
    directive_dates: dict[int, dt.date],
) -> int:
    """The rows ``sync_task`` would add, through executemany (same rules, no ORM objects)."""
    total = 0
    batch: list[dict[str, object]] = []
    table = Obligation.__table__
    for task, bound in tasks:
        schedule = task_schedule(task, directive_dates[task.directive_id], default_due_day)
        for unit in bound:
            for key, label, start, end, due in schedule:
                reason = validity_reason(
                    unit.valid_from,
                    unit.valid_to,
                    directive_date=directive_dates[task.directive_id],
                    period_start=start,
                    due=due,
                )
                batch.append(
                    dict(
                        task_id=task.id,
                        unit_id=unit.id,
                        period_key=key,
                        period_label=label,
                        period_start=start,
                        period_end=end,
                        due_date=due,
                        nominal_due_date=due,
                        first_received=None,
                        submission_count=0,
                        exempt_reason=reason,
                        waived=False,
                    )
                )
        if len(batch) >= 50_000:
            session.execute(table.insert(), batch)
            total += len(batch)
            batch = []
    if batch:
        session.execute(table.insert(), batch)
        total += len(batch)
    return total


# --- submissions ------------------------------------------------------------------------------


def _submission_rows(
    session: Session, scale: Scale, rng: random.Random, units: list[_Unit]
) -> Iterable[list[dict[str, object]]]:
    """Submissions for obligations due by the data's day: mostly on time, some late, a few
    still missing (more among recent ones), a few sent twice (a corrected report)."""
    abbr = {u.id: u.abbr for u in units}
    counters: dict[tuple[int, int], int] = {}
    stmt = text(
        "SELECT id, unit_id, due_date FROM obligation WHERE exempt_reason IS NULL "
        "AND due_date <= :limit ORDER BY due_date, id"
    )
    limit = scale.as_of + dt.timedelta(days=20)
    batch: list[dict[str, object]] = []
    created = dt.datetime(scale.as_of.year, scale.as_of.month, scale.as_of.day, 8, 0)
    for oid, unit_id, due_text in session.execute(stmt, {"limit": limit}):
        due = dt.date.fromisoformat(due_text) if isinstance(due_text, str) else due_text
        age = (scale.as_of - due).days
        missing = 0.03 if age > 365 else 0.12 if age > 60 else 0.30
        roll = rng.random()
        if roll < missing:
            continue
        if roll < missing + 0.72:
            received = due - dt.timedelta(days=rng.randint(0, 12))
        else:
            received = due + dt.timedelta(days=int(rng.expovariate(1 / 12)) + 1)
        if received > scale.as_of:
            continue
        copies = 2 if rng.random() < 0.04 else 1
        for copy in range(copies):
            day = received + dt.timedelta(days=copy * rng.randint(3, 20))
            if day > scale.as_of:
                break
            signed = day - dt.timedelta(days=rng.randint(0, 4))
            seq = counters.get((unit_id, signed.year), 0) + 1
            counters[(unit_id, signed.year)] = seq
            symbol = f"{seq}/BC-{abbr.get(unit_id, 'DV')}"
            batch.append(
                dict(
                    obligation_id=oid,
                    unit_id=unit_id,
                    number_symbol=symbol,
                    number_key=number_key(symbol),
                    year=signed.year,
                    signed_date=signed,
                    received_date=day,
                    signer="",
                    channel=rng.choice(["giay", "email", "he_thong"]),
                    summary="Báo cáo kết quả thực hiện",
                    assessment="",
                    attachment_path="",
                    created_at=created,
                    version=1,
                )
            )
        if len(batch) >= 50_000:
            yield batch
            batch = []
    if batch:
        yield batch


REFRESH_RECEIVED_SQL = """
UPDATE obligation SET
  first_received = (SELECT MIN(s.received_date) FROM submission s
                    WHERE s.obligation_id = obligation.id),
  submission_count = (SELECT COUNT(*) FROM submission s WHERE s.obligation_id = obligation.id)
WHERE id IN (SELECT DISTINCT obligation_id FROM submission)
"""


# --- the whole set ----------------------------------------------------------------------------


def generate(
    scale_name: str, path: Path | None = None, *, seed: int = 2018, bulk: bool | None = None
) -> GenerateResult:
    """Write a fresh database for ``scale_name`` (S, M or L) at ``path``."""
    scale = SCALES[scale_name]
    use_bulk = scale.bulk if bulk is None else bulk
    path = path or default_path(scale_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    started = time.perf_counter()
    rng = random.Random(f"{seed}-{scale_name}")
    db = connect(str(path))
    try:
        with db.write() as session:
            save_settings(session, **SETTINGS)
            default_due_day = load_settings(session).default_due_day
            units = _insert_units(session, scale, rng)
            tasks = _insert_directives(session, scale, rng, units, default_due_day)
            if use_bulk:
                dates = {
                    i: d for i, d in session.execute(select(Directive.id, Directive.signed_date))
                }
                obligations = _obligations_bulk(session, tasks, default_due_day, dates)
            else:
                obligations = _obligations_by_sync(session, tasks, default_due_day)
            submissions = 0
            for batch in _submission_rows(session, scale, rng, units):
                session.execute(Submission.__table__.insert(), batch)
                submissions += len(batch)
            session.execute(text(REFRESH_RECEIVED_SQL))
        with db.engine.connect() as conn:  # no ANALYZE: a user's database has no statistics
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        result = GenerateResult(
            path,
            scale_name,
            len(units),
            scale.directives,
            len(tasks),
            obligations,
            submissions,
            time.perf_counter() - started,
        )
    finally:
        db.dispose()
    return result


def ensure(scale_name: str, *, seed: int = 2018) -> Path:
    """The scale's database under ``bench/data/``, generated when missing."""
    path = default_path(scale_name)
    if not path.exists():
        print(generate(scale_name, path, seed=seed).describe(), flush=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="S", help="S, M, L or several: S,M")
    parser.add_argument("--seed", type=int, default=2018)
    parser.add_argument("--out", type=Path, help="database file (one scale only)")
    parser.add_argument("--bulk", action="store_true", help="bulk obligations at every scale")
    args = parser.parse_args(argv)
    for name in args.scale.upper().split(","):
        result = generate(name, args.out, seed=args.seed, bulk=True if args.bulk else None)
        print(result.describe(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
