"""Who is bound when units begin and end (docs/domain.md, "Units over time"): a one-off task binds
the units that exist on the directive's date; a periodic task binds a unit for the periods that
begin on or after its creation and is exempt for those due after it ended; before it exists a
unit shows nowhere."""

from __future__ import annotations

import datetime as dt

import pytest

from app.db import Database
from app.schedule import ONE_OFF_KEY
from app.services import directives, units
from app.services.dashboard import completeness_matrix, overview
from app.services.obligations import list_obligations, validity_reason
from app.status import Status

D = dt.date
DIRECTIVE = D(2019, 3, 1)
ONE_OFF_DUE = D(2019, 3, 31)


@pytest.mark.parametrize(
    ("created", "bound"),
    [
        (None, True),
        (DIRECTIVE, True),  # created on the directive's day
        (DIRECTIVE + dt.timedelta(days=1), False),  # the day after
        (D(2019, 3, 20), False),  # before the due date
        (D(2019, 4, 5), False),  # after the due date
    ],
)
def test_a_one_off_task_binds_the_units_existing_on_the_directive_date(
    created: dt.date | None, bound: bool
) -> None:
    reason = validity_reason(
        created, None, directive_date=DIRECTIVE, period_start=None, due=ONE_OFF_DUE
    )
    assert (reason is None) is bound
    if reason:
        assert reason.startswith("Đơn vị thành lập từ") and "ngày ban hành" in reason


H2 = (D(2019, 7, 1), D(2019, 12, 20))  # calendar start, due


@pytest.mark.parametrize(
    ("created", "bound"),
    [
        (D(2019, 7, 1), True),  # on the first day of the period
        (D(2019, 6, 30), True),
        (D(2019, 7, 2), False),  # the day after it began
        (D(2019, 10, 1), False),  # mid-period
        (D(2019, 12, 21), False),  # after the due date
    ],
)
def test_a_periodic_task_binds_from_the_first_period_begun_after_creation(
    created: dt.date, bound: bool
) -> None:
    reason = validity_reason(created, None, directive_date=DIRECTIVE, period_start=H2[0], due=H2[1])
    assert (reason is None) is bound


@pytest.mark.parametrize(
    ("ended", "bound"),
    [
        (D(2019, 12, 20), True),  # ends on the due day: still owes it
        (D(2019, 12, 19), False),  # the day before the due date
        (D(2019, 10, 1), False),  # mid-period
        (D(2019, 6, 30), False),  # before the period began
        (D(2020, 1, 5), True),  # after the due date
    ],
)
def test_a_unit_is_exempt_for_what_falls_due_after_it_ended(ended: dt.date, bound: bool) -> None:
    reason = validity_reason(None, ended, directive_date=DIRECTIVE, period_start=H2[0], due=H2[1])
    assert (reason is None) is bound
    if reason:
        assert reason.startswith("Đơn vị không còn")


def test_the_rule_applied_to_stored_obligations_and_every_view(db: Database) -> None:
    d = directives.create_directive(
        db,
        directives.DirectiveInput(
            number_symbol="10/KH-UBND",
            signed_date=DIRECTIVE,
            issuer="UBND tỉnh",
            subject="Thử nghiệm",
        ),
    )
    old = units.create_unit(db, units.UnitInput(name="UBND huyện Cũ", kind="huyen"))
    new = units.create_unit(
        db, units.UnitInput(name="UBND huyện Mới", kind="huyen", valid_from=D(2019, 3, 2))
    )
    plan, _ = directives.add_task(
        db,
        d.id,
        directives.TaskInput(
            title="Kế hoạch", kind="once", due_date=ONE_OFF_DUE, unit_kinds=["huyen"]
        ),
    )
    half, _ = directives.add_task(
        db,
        d.id,
        directives.TaskInput(
            title="Báo cáo 6 tháng",
            kind="periodic",
            period_kind="half",
            start_date=D(2019, 1, 1),
            end_date=D(2019, 12, 31),
            unit_kinds=["huyen"],
        ),
    )
    later = D(2020, 1, 10)
    by = {(r.unit_id, r.task_id, r.period_key): r.status for r in list_obligations(db, later)}
    assert by[(new.id, plan.id, ONE_OFF_KEY)] is Status.EXEMPT  # created after the directive
    assert by[(new.id, half.id, "2019-H1")] is Status.EXEMPT  # H1 began before it existed
    assert by[(new.id, half.id, "2019-H2")] is Status.OVERDUE  # H2 began after: bound
    assert by[(old.id, plan.id, ONE_OFF_KEY)] is Status.OVERDUE
    # On the directive's day the new unit does not exist yet: it shows nowhere.
    first_day = D(2019, 3, 1)
    assert {r.unit_id for r in list_obligations(db, first_day)} == {old.id}
    assert overview(db, first_day).directives[0].counts.total == 3  # old: plan, H1, H2
    matrix = completeness_matrix(db, half.id, first_day)
    assert [u.unit_id for u in matrix.units] == [old.id]
    assert overview(db, later).directives[0].counts.total == 6
