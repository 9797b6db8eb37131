"""The status of an obligation on a given day (pure). Today is always an argument."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

DEFAULT_WARNING_DAYS = 7


class Status(StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    NOT_DUE = "not_due"
    EXEMPT = "exempt"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def done(self) -> bool:
        return self in (Status.DONE_ON_TIME, Status.DONE_LATE)

    @property
    def colour(self) -> str:
        return STATUS_COLOURS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.DONE_ON_TIME: "Hoàn thành đúng hạn",
    Status.DONE_LATE: "Hoàn thành quá hạn",
    Status.DUE_SOON: "Sắp đến hạn",
    Status.OVERDUE: "Quá hạn",
    Status.NOT_DUE: "Chưa đến hạn",
    Status.EXEMPT: "Không áp dụng",
}

# Background colours (always shown with the label beside them). Each one a step of luminance
# apart, so any two differ also on a greyscale print and black text stays readable on all
# (contrast ratios in docs/huong-dan-su-dung.md, checked by tests/ui/test_style.py).
STATUS_COLOURS: dict[Status, str] = {
    Status.OVERDUE: "#ee6868",  # red, the darkest
    Status.DONE_LATE: "#f99026",  # orange
    Status.DONE_ON_TIME: "#86ce88",  # green
    Status.DUE_SOON: "#f9d108",  # amber
    Status.NOT_DUE: "#d8eafb",  # pale blue
    Status.EXEMPT: "#fcfcfc",  # white, the lightest
}

# Most urgent first: the order of the warnings list.
URGENCY: dict[Status, int] = {
    Status.OVERDUE: 0,
    Status.DUE_SOON: 1,
    Status.NOT_DUE: 2,
    Status.DONE_LATE: 3,
    Status.DONE_ON_TIME: 4,
    Status.EXEMPT: 5,
}


def status_on(
    day: dt.date,
    due: dt.date,
    first_received: dt.date | None,
    *,
    exempt: bool = False,
    window_days: int = DEFAULT_WARNING_DAYS,
) -> Status:
    """Status of one obligation seen on ``day``.

    ``first_received`` is the earliest received date of the submissions answering it (they
    count once; the first decides on time or late). A submission exists from its received date
    on, so seen from an earlier day the obligation is still unanswered. The due date is
    inclusive: on the due day nothing is overdue yet.
    """
    if exempt:
        return Status.EXEMPT
    if first_received is not None and first_received <= day:
        return Status.DONE_ON_TIME if first_received <= due else Status.DONE_LATE
    if day > due:
        return Status.OVERDUE
    if (due - day).days <= window_days:
        return Status.DUE_SOON
    return Status.NOT_DUE


def days_late(day: dt.date, due: dt.date) -> int:
    """Days past the due date on ``day`` (negative: days left)."""
    return (day - due).days
