"""Dashboard figures on a hand-built scenario with fixed dates, and agreement of every view
(warnings, overview, matrix, `status`) on the sample."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from dataclasses import dataclass

import pytest

from app.cli import run
from app.db import Database
from app.models import TaskKind, UnitKind
from app.services import dashboard
from app.services.directives import DirectiveInput, TaskInput, add_task, create_directive
from app.services.obligations import list_obligations, set_waived
from app.services.submissions import SubmissionInput, record_submission
from app.services.units import UnitInput, create_unit
from app.status import FIGURES, Status, StatusCounts, rate, rate_text, status_on
from tests.helpers import db_arg

D = dt.date
DAY = D(2018, 4, 25)
TODAY = D(2018, 12, 31)  # bounds received dates when recording


@dataclass(frozen=True)
class Scenario:
    db: Database
    units: dict[str, int]
    monthly: int
    once: int


def _receive(
    db: Database, unit_id: int, task_id: int, period: str, received: D, number: str
) -> None:
    (row,) = list_obligations(db, received, unit_id=unit_id, task_id=task_id, period_key=period)
    record_submission(
        db,
        SubmissionInput(
            obligation_id=row.id, number_symbol=number, signed_date=received, received_date=received
        ),
        today=TODAY,
    )


@pytest.fixture
def scenario(db: Database) -> Scenario:
    """Four districts. A: always there. B: created 01/04/2018 (joins mid-year). C: dissolved
    after 30/06/2018 (leaves mid-year). D: waived for February."""
    units = {
        "A": create_unit(db, UnitInput(name="UBND huyện An", kind=UnitKind.DISTRICT)).id,
        "B": create_unit(
            db, UnitInput(name="UBND huyện Bắc", kind=UnitKind.DISTRICT, valid_from=D(2018, 4, 1))
        ).id,
        "C": create_unit(
            db, UnitInput(name="UBND huyện Cao", kind=UnitKind.DISTRICT, valid_to=D(2018, 6, 30))
        ).id,
        "D": create_unit(db, UnitInput(name="UBND huyện Đông", kind=UnitKind.DISTRICT)).id,
    }
    directive = create_directive(
        db,
        DirectiveInput(
            number_symbol="15/UBND-NC", signed_date=D(2018, 1, 10), subject="Về công tác dân vận"
        ),
    )
    monthly, _ = add_task(
        db,
        directive.id,
        TaskInput(
            title="Báo cáo tháng",
            kind=TaskKind.PERIODIC,
            period_kind="month",
            start_date=D(2018, 1, 1),
            end_date=D(2018, 12, 31),
            due_day=20,
            unit_kinds=[UnitKind.DISTRICT],
        ),
    )
    once, _ = add_task(
        db,
        directive.id,
        TaskInput(
            title="Xây dựng kế hoạch",
            kind=TaskKind.ONE_OFF,
            due_date=D(2018, 3, 31),
            unit_kinds=[UnitKind.DISTRICT],
        ),
    )
    a, b, d = units["A"], units["B"], units["D"]
    m = monthly.id
    _receive(db, a, m, "2018-M01", D(2018, 1, 15), "01/BC-UBND")  # on time
    _receive(db, a, m, "2018-M01", D(2018, 1, 25), "02/BC-UBND")  # a second one: counts once
    _receive(db, a, m, "2018-M02", D(2018, 2, 25), "03/BC-UBND")  # late
    _receive(db, b, m, "2018-M04", D(2018, 4, 20), "01/BC-UBND")  # on the due day: on time
    _receive(db, d, m, "2018-M03", D(2018, 3, 10), "01/BC-UBND")  # on time
    _receive(db, a, once.id, "-", D(2018, 3, 30), "04/KH-UBND")  # on time
    _receive(db, d, once.id, "-", D(2018, 4, 2), "02/KH-UBND")  # late
    (feb,) = list_obligations(db, DAY, unit_id=d, task_id=m, period_key="2018-M02")
    set_waived(db, feb.id, True, "Thiên tai, UBND tỉnh cho miễn")
    return Scenario(db, units, m, once.id)


def test_rates_and_text() -> None:
    assert rate(4, 38) == 10.5
    assert rate(0, 0) is None
    assert rate_text(None) == "—"
    assert rate_text(rate(1, 3)) == "33,3%"
    c = StatusCounts(done_on_time=3, done_late=1, due_soon=2, overdue=8, not_due=24, exempt=10)
    assert (c.total, c.expected, c.received, c.missing, c.not_yet_due) == (48, 38, 4, 8, 26)
    assert StatusCounts().received_rate is None


def test_each_figure_is_the_count_of_its_name(scenario: Scenario) -> None:
    """The figures the tables show are the counts' figures of the same names (as in JSON)."""
    counts = dashboard.overview(scenario.db, DAY).counts
    numbers = counts.figures()
    for key, figure in FIGURES.items():
        value = numbers[key]
        expected = rate_text(value) if key.endswith("_rate") else value  # type: ignore[arg-type]
        assert figure.cell(counts) == expected, key


def test_task_counts_on_a_day(scenario: Scenario) -> None:
    summary = dashboard.overview(scenario.db, DAY, window_days=7)
    (directive,) = summary.directives
    monthly, once = directive.tasks
    # Worked out by hand (see the fixture):
    # A: Jan on time, Feb late, Mar+Apr overdue, May-Dec not due.
    # B: Jan-Mar exempt (not yet created), Apr on time, May-Dec not due.
    # C: Jan-Apr overdue, May-Jun not due, Jul-Dec exempt (dissolved).
    # D: Jan overdue, Feb waived, Mar on time, Apr overdue, May-Dec not due.
    assert monthly.counts == StatusCounts(
        done_on_time=3, done_late=1, due_soon=0, overdue=8, not_due=26, exempt=10
    )
    assert monthly.period_count == 12
    assert monthly.counts.expected == 38
    assert monthly.counts.received_rate == 10.5  # 4 / 38
    assert monthly.counts.on_time_rate == 7.9  # 3 / 38
    # One-off: A on time, C overdue, D late; B (created after the deadline) is not bound.
    assert once.counts == StatusCounts(done_on_time=1, done_late=1, overdue=1)
    assert once.counts.received_rate == 66.7
    assert directive.counts == monthly.counts + once.counts
    assert summary.counts == directive.counts
    (kind,) = summary.by_kind
    assert kind.kind is UnitKind.DISTRICT and kind.counts == summary.counts


def test_warning_window_changes_due_soon(scenario: Scenario) -> None:
    wide = dashboard.overview(scenario.db, DAY, window_days=30)
    # The four May reports (due 20/05, 25 days away) are now due soon; B's is not received.
    assert wide.directives[0].tasks[0].counts.due_soon == 4


def test_warnings_are_sorted_by_urgency(scenario: Scenario) -> None:
    rows = dashboard.warnings(scenario.db, DAY, window_days=30)
    assert [r.status for r in rows] == sorted(
        (r.status for r in rows), key=lambda s: s is not Status.OVERDUE
    )
    overdue = [r for r in rows if r.status is Status.OVERDUE]
    soon = [r for r in rows if r.status is Status.DUE_SOON]
    assert len(overdue) == 9 and len(soon) == 4
    assert [r.days_past_due for r in overdue] == sorted(
        (r.days_past_due for r in overdue), reverse=True
    )
    assert overdue[0].period_key == "2018-M01" and overdue[0].days_past_due == 95
    assert all(r.days_past_due == -25 for r in soon)
    counts = dashboard.count_warnings(rows)
    assert (counts.overdue, counts.due_soon, counts.total) == (9, 4, 13)


def test_warning_filters(scenario: Scenario) -> None:
    only_c = dashboard.warnings(scenario.db, DAY, window_days=7, unit_id=scenario.units["C"])
    assert {r.unit_id for r in only_c} == {scenario.units["C"]}
    assert len(only_c) == 5  # Jan-Apr reports and the plan
    assert dashboard.warnings(scenario.db, DAY, unit_kind=UnitKind.DEPARTMENT) == []


def test_the_past_is_replayed(scenario: Scenario) -> None:
    """Seen from 22/01/2018, A's January report (received 15/01) counts, nothing else."""
    summary = dashboard.overview(scenario.db, D(2018, 1, 22), window_days=7)
    monthly = summary.directives[0].tasks[0].counts
    assert monthly.done_on_time == 1
    assert monthly.overdue == 2  # C and D: January due 20/01 (B not yet created: exempt)
    before = dashboard.overview(scenario.db, D(2018, 1, 14), window_days=7)
    assert before.directives[0].tasks[0].counts.received == 0


def test_matrix(scenario: Scenario) -> None:
    m = dashboard.completeness_matrix(scenario.db, scenario.monthly, DAY, window_days=7)
    assert [u.name for u in m.units] == [
        "UBND huyện An",
        "UBND huyện Bắc",
        "UBND huyện Cao",
        "UBND huyện Đông",
    ]
    assert len(m.columns) == 12 and m.columns[0].key == "2018-M01"
    assert [c.status if c else None for c in (row[0] for row in m.cells)] == [
        Status.DONE_ON_TIME,
        Status.EXEMPT,
        Status.OVERDUE,
        Status.OVERDUE,
    ]
    jan = m.column_totals[0]
    assert (jan.expected, jan.received, jan.received_rate) == (3, 1, 33.3)
    a_row = m.row_totals[0]
    assert (a_row.done_on_time, a_row.done_late, a_row.overdue, a_row.not_due) == (1, 1, 2, 8)
    assert m.total == sum(m.row_totals, StatusCounts()) == sum(m.column_totals, StatusCounts())
    summary = dashboard.overview(scenario.db, DAY, window_days=7)
    assert m.total == summary.directives[0].tasks[0].counts


def test_matrix_of_a_one_off_task_has_one_column(scenario: Scenario) -> None:
    m = dashboard.completeness_matrix(scenario.db, scenario.once, DAY, window_days=7)
    assert len(m.columns) == 1 and m.columns[0].label == "Hạn 31/03/2018"
    assert [u.name for u in m.units] == ["UBND huyện An", "UBND huyện Cao", "UBND huyện Đông"]
    assert [row[0].status for row in m.cells if row[0]] == [
        Status.DONE_ON_TIME,
        Status.OVERDUE,
        Status.DONE_LATE,
    ]
    assert m.column_totals[0].received_rate == 66.7


def test_newly_overdue_since_a_day(scenario: Scenario) -> None:
    rows = dashboard.newly_overdue(scenario.db, D(2018, 4, 15), DAY)
    # April reports fell due on 20/04: A, C and D have not sent theirs; B has.
    assert sorted(r.unit_name for r in rows) == [
        "UBND huyện An",
        "UBND huyện Cao",
        "UBND huyện Đông",
    ]
    assert dashboard.newly_overdue(scenario.db, DAY, DAY) == []
    # The due day itself is not overdue yet: 20/04 → 21/04 is the first day.
    assert len(dashboard.newly_overdue(scenario.db, D(2018, 4, 20), D(2018, 4, 21))) == 3
    assert dashboard.newly_overdue(scenario.db, D(2018, 4, 21), D(2018, 4, 22)) == []


def test_startup_check_remembers_the_day(scenario: Scenario) -> None:
    first = dashboard.check_since_last_start(scenario.db, D(2018, 4, 15))
    assert first.last_start is None and first.newly_overdue == ()  # no baseline yet
    second = dashboard.check_since_last_start(scenario.db, DAY)
    assert second.last_start == D(2018, 4, 15)
    assert len(second.newly_overdue) == 3
    assert "3 nghĩa vụ mới chuyển sang quá hạn" in second.describe()
    again = dashboard.check_since_last_start(scenario.db, DAY)
    assert again.newly_overdue == ()  # shown once


def test_warning_days_setting(scenario: Scenario) -> None:
    assert dashboard.save_warning_days(scenario.db, 30) == 30
    assert dashboard.warning_days(scenario.db) == 30
    assert len(dashboard.warnings(scenario.db, DAY)) == 13  # the setting is used by default
    from app.errors import ValidationError

    with pytest.raises(ValidationError):
        dashboard.save_warning_days(scenario.db, 400)


def test_cli_dashboard_json(scenario: Scenario) -> None:
    out = io.StringIO()
    path = db_arg(scenario.db)
    assert run(["--db", path, "dashboard", "--as-of", "25/04/2018", "--json"], out=out) == 0
    data = json.loads(out.getvalue())
    summary = dashboard.overview(scenario.db, DAY)
    assert data["as_of"] == "2018-04-25"
    assert data["totals"] == json.loads(json.dumps(summary.counts.figures()))
    (d,) = data["directives"]
    assert [t["expected"] for t in d["tasks"]] == [
        t.counts.expected for t in summary.directives[0].tasks
    ]
    assert data["warnings"] == {"overdue": 9, "due_soon": 0}
    text = io.StringIO()
    assert (
        run(
            ["--db", path, "dashboard", "--as-of", "25/04/2018", "--directive", "15/ubnd-nc"],
            out=text,
        )
        == 0
    )
    assert "10,5%" in text.getvalue() and "Tổng cộng" in text.getvalue()
    header = text.getvalue().splitlines()[2]  # the title, an empty line, the table
    columns = [header.index(f.label) for f in FIGURES.values()]
    assert columns == sorted(columns)  # every figure, in the overview table's order
    err = io.StringIO()
    assert run(["--db", path, "dashboard", "--directive", "99/XX"], out=out, err=err) != 0
    assert err.getvalue().startswith("Lỗi:")


def test_every_view_agrees_with_status_on_the_sample(sample_db: Database) -> None:
    """Warnings, overview counts, matrix and `status` agree, for several days."""
    from app.services.directives import list_directives

    (directive,) = list_directives(sample_db)
    plan, half, _year = directive.tasks
    districts = list_obligations(sample_db, D(2018, 4, 20), task_id=plan.id)
    for n, row in enumerate(districts[:5]):
        # 26/04, 28/04, 30/04 on time; 02/05, 04/05 late
        received = D(2018, 4, 26) + dt.timedelta(days=2 * n)
        record_submission(
            sample_db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{n + 1}/KH-UBND",
                signed_date=received,
                received_date=received,
            ),
            today=TODAY,
        )
    halves = list_obligations(sample_db, D(2018, 6, 1), task_id=half.id)
    for n, row in enumerate(halves[:3]):
        received = D(2018, 6, 15 + 3 * n)
        record_submission(
            sample_db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{n + 10}/BC",
                signed_date=received,
                received_date=received,
            ),
            today=TODAY,
        )
    set_waived(sample_db, halves[5].id, True, "Miễn thử")
    for day in (
        D(2018, 4, 20),
        D(2018, 4, 30),
        D(2018, 5, 2),
        D(2018, 6, 14),
        D(2018, 6, 25),
        D(2018, 12, 31),
    ):
        rows = list_obligations(sample_db, day)
        for r in rows:
            assert r.status is status_on(
                day, r.due_date, r.first_received, exempt=bool(r.exempt_reason), window_days=7
            )
        by_status = Counter(r.status for r in rows)
        summary = dashboard.overview(sample_db, day)
        assert summary.counts == StatusCounts.from_mapping(by_status)
        alerts = dashboard.warnings(sample_db, day)
        assert {r.id for r in alerts} == {
            r.id for r in rows if r.status in (Status.OVERDUE, Status.DUE_SOON)
        }
        for task in summary.directives[0].tasks:
            matrix = dashboard.completeness_matrix(sample_db, task.task_id, day)
            assert matrix.total == task.counts
            cells = {c.id: c.status for line in matrix.cells for c in line if c}
            assert cells == {r.id: r.status for r in rows if r.task_id == task.task_id}
        out = io.StringIO()
        run(["--db", db_arg(sample_db), "status", "--as-of", day.isoformat(), "--json"], out=out)
        status_json = json.loads(out.getvalue())
        assert Counter(o["status"] for o in status_json["obligations"]) == Counter(
            {s.value: n for s, n in by_status.items()}
        )
        out = io.StringIO()
        run(["--db", db_arg(sample_db), "dashboard", "--as-of", day.isoformat(), "--json"], out=out)
        dash_json = json.loads(out.getvalue())
        assert dash_json["totals"]["missing"] == by_status.get(Status.OVERDUE, 0)
        assert dash_json["warnings"]["overdue"] + dash_json["warnings"]["due_soon"] == len(alerts)
