"""The status of an obligation on a given day (pure). Today is always an argument."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from app.text import decimal_text, number_text

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
    def short_label(self) -> str:
        return STATUS_SHORT_LABELS[self]

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

# For the cells of the matrix and chart legends.
STATUS_SHORT_LABELS: dict[Status, str] = {
    Status.DONE_ON_TIME: "Đúng hạn",
    Status.DONE_LATE: "Nộp muộn",
    Status.OVERDUE: "Quá hạn",
    Status.DUE_SOON: "Sắp đến hạn",
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

# The order statuses are shown in (chart segments, legends, counts side by side): what is done,
# then what is missing, then what is not yet due.
DISPLAY_ORDER: tuple[Status, ...] = (
    Status.DONE_ON_TIME,
    Status.DONE_LATE,
    Status.OVERDUE,
    Status.DUE_SOON,
    Status.NOT_DUE,
    Status.EXEMPT,
)

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


# --- counts ----------------------------------------------------------------------------------

#: The statuses the warnings list shows.
WARNING_STATUSES = (Status.OVERDUE, Status.DUE_SOON)


class _HasStatus(Protocol):
    @property
    def status(self) -> Status: ...


def rate(numerator: int, denominator: int) -> float | None:
    """A percentage with one decimal; None when nothing is expected."""
    if denominator <= 0:
        return None
    return round(100.0 * numerator / denominator, 1)


def rate_text(value: float | None) -> str:
    """ "45,5%" (Vietnamese decimal comma) or "—"."""
    if value is None:
        return "—"
    return decimal_text(value, trailing_zeros=True) + "%"


@dataclass(frozen=True)
class StatusCounts:
    """How many obligations are in each status, and the derived figures."""

    done_on_time: int = 0
    done_late: int = 0
    due_soon: int = 0
    overdue: int = 0
    not_due: int = 0
    exempt: int = 0

    @classmethod
    def from_statuses(cls, statuses: Iterable[Status]) -> StatusCounts:
        counts: dict[Status, int] = {}
        for s in statuses:
            counts[s] = counts.get(s, 0) + 1
        return cls.from_mapping(counts)

    @classmethod
    def of(cls, rows: Iterable[_HasStatus]) -> StatusCounts:
        """The counts of obligation rows (anything with a ``status``)."""
        return cls.from_statuses(r.status for r in rows)

    @classmethod
    def from_mapping(cls, counts: Mapping[Status, int] | Mapping[str, int]) -> StatusCounts:
        values = {Status(k).value: int(v) for k, v in counts.items()}
        return cls(**values)

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(
            *(a + b for a, b in zip(self.as_tuple(), other.as_tuple(), strict=True))
        )

    def as_tuple(self) -> tuple[int, int, int, int, int, int]:
        return (
            self.done_on_time,
            self.done_late,
            self.due_soon,
            self.overdue,
            self.not_due,
            self.exempt,
        )

    def get(self, status: Status) -> int:
        return int(getattr(self, Status(status).value))

    @property
    def total(self) -> int:
        return sum(self.as_tuple())

    @property
    def expected(self) -> int:
        return self.total - self.exempt

    @property
    def received(self) -> int:
        return self.done_on_time + self.done_late

    @property
    def on_time(self) -> int:
        return self.done_on_time

    @property
    def late(self) -> int:
        return self.done_late

    @property
    def missing(self) -> int:
        return self.overdue

    @property
    def not_yet_due(self) -> int:
        return self.due_soon + self.not_due

    @property
    def open(self) -> int:
        """Not answered, not exempt: overdue, due soon or not yet due."""
        return self.overdue + self.due_soon + self.not_due

    # The names the documents speak of (docs/document-format.md).
    @property
    def bound(self) -> int:
        """Units that must answer (exempt ones left out)."""
        return self.expected

    @property
    def done(self) -> int:
        return self.received

    @property
    def received_rate(self) -> float | None:
        return rate(self.received, self.expected)

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.done_on_time, self.expected)

    def figures(self) -> dict[str, object]:
        """The derived figures, for JSON and reports."""
        return {
            "expected": self.expected,
            "received": self.received,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "not_yet_due": self.not_yet_due,
            "due_soon": self.due_soon,
            "not_due": self.not_due,
            "exempt": self.exempt,
            "total": self.total,
            "received_rate": self.received_rate,
            "on_time_rate": self.on_time_rate,
        }

    def warnings_text(self) -> str:
        """The warnings of a day in a sentence (the status bar, the command line)."""
        if not self.overdue + self.due_soon:
            return "Không có nghĩa vụ nào quá hạn hoặc sắp đến hạn."
        return (
            f"{number_text(self.overdue)} nghĩa vụ quá hạn, "
            f"{number_text(self.due_soon)} sắp đến hạn."
        )


@dataclass(frozen=True)
class Figure:
    """A figure of the counts as a table or a box names it (docs/dashboard.md, "Definitions")."""

    label: str
    cell: Callable[[StatusCounts], int | str]  # a count as a number, a rate as rate_text
    status: Status | None = None  # a count not zero takes this status's colour


#: The figures by their name in StatusCounts (and in JSON), in the order the tables show them:
#: the overview's table, the command line's ``dashboard``; the completeness matrix shows some.
FIGURES: dict[str, Figure] = {
    "expected": Figure("Phải nộp", lambda c: c.expected),
    "received": Figure("Đã nộp", lambda c: c.received),
    "on_time": Figure("Đúng hạn", lambda c: c.on_time, Status.DONE_ON_TIME),
    "late": Figure("Nộp muộn", lambda c: c.late, Status.DONE_LATE),
    "missing": Figure("Quá hạn (chưa nộp)", lambda c: c.missing, Status.OVERDUE),
    "not_yet_due": Figure("Chưa đến hạn", lambda c: c.not_yet_due, Status.NOT_DUE),
    "exempt": Figure("Không áp dụng", lambda c: c.exempt, Status.EXEMPT),
    "received_rate": Figure("Tỷ lệ nộp", lambda c: rate_text(c.received_rate)),
    "on_time_rate": Figure("Tỷ lệ đúng hạn", lambda c: rate_text(c.on_time_rate)),
}
