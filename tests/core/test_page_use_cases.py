"""The use cases the pages used to work out themselves, now in the services: what a register
page shows on a day, moving a unit among those of its kind, the warning window saved like
every setting (audited)."""

from __future__ import annotations

import datetime as dt

from app.models import TaskKind, UnitKind
from app.ordering import row_unit_key
from app.services import audit, units
from app.services.dashboard import save_warning_days, warning_days
from app.services.intake import current_period, intake_rows, intake_view, task_periods
from app.status import Status, StatusCounts

DAY = dt.date(2018, 5, 2)


def test_the_register_picks_the_first_directive_task_and_current_period(sample_db) -> None:
    view = intake_view(sample_db, DAY, TaskKind.PERIODIC)
    assert view.directive_id == view.directives[0].id
    task = next(t for t in view.directives[0].tasks if t.kind is TaskKind.PERIODIC)
    assert view.task_id == task.id
    periods = task_periods(sample_db, task.id)
    assert view.periods == periods
    current = current_period(periods, DAY)
    assert current is not None and view.period_key == current.key
    assert {r.id for r in view.rows} == {
        r.id for r in intake_rows(sample_db, DAY, task_id=task.id, period_key=current.key)
    }
    keys = [row_unit_key(r.obligation) for r in view.rows]
    assert keys == sorted(keys)  # the unit order: departments first, then districts
    counts = view.counts()
    assert sum(counts.get(s) for s in Status) == len(view.rows)
    assert counts == StatusCounts.of(r.obligation for r in view.rows)


def test_the_register_keeps_a_choice_and_falls_back_when_it_is_gone(sample_db) -> None:
    first = intake_view(sample_db, DAY, TaskKind.PERIODIC)
    other = first.periods[0].key
    kept = intake_view(
        sample_db,
        DAY,
        TaskKind.PERIODIC,
        directive_id=first.directive_id,
        task_id=first.task_id,
        period_key=other,
    )
    assert kept.period_key == other
    gone = intake_view(
        sample_db, DAY, TaskKind.PERIODIC, directive_id=-1, task_id=-1, period_key="nowhere"
    )
    assert (gone.directive_id, gone.task_id, gone.period_key) == (
        first.directive_id,
        first.task_id,
        first.period_key,
    )
    one_off = intake_view(sample_db, DAY, TaskKind.ONE_OFF)
    assert one_off.periods == [] and one_off.period_key is None and one_off.rows
    assert one_off.overdue == 14  # every district plan overdue on 02/05/2018


def test_the_register_is_empty_without_tasks_of_its_kind(db) -> None:
    view = intake_view(db, DAY, TaskKind.ONE_OFF)
    assert (view.directives, view.directive_id, view.task_id, view.rows, view.overdue) == (
        [],
        None,
        None,
        [],
        0,
    )


def _order(db, kind: UnitKind) -> list[int]:
    return [
        u.id
        for u in sorted(
            (u for u in units.list_units(db) if u.kind is kind), key=lambda u: (u.sort_order, u.id)
        )
    ]


def test_a_unit_moves_among_those_of_its_kind(sample_db) -> None:
    before = _order(sample_db, UnitKind.DISTRICT)
    others = _order(sample_db, UnitKind.DEPARTMENT)
    assert units.move_unit(sample_db, before[1], -1)
    after = _order(sample_db, UnitKind.DISTRICT)
    assert after == [before[1], before[0], *before[2:]]
    assert _order(sample_db, UnitKind.DEPARTMENT) == others  # another kind is not touched
    assert audit.history(sample_db, "unit", 0)[0].summary == "Sắp xếp lại thứ tự đơn vị"
    assert not units.move_unit(sample_db, after[0], -1)  # already first
    assert not units.move_unit(sample_db, after[-1], +1)  # already last
    assert _order(sample_db, UnitKind.DISTRICT) == after


def test_the_warning_window_is_saved_and_audited(sample_db) -> None:
    assert save_warning_days(sample_db, 12) == 12 == warning_days(sample_db)
    entry = audit.history(sample_db, "settings")[0]
    assert entry.after == {"warning_days": 12}
