"""Reporting periods and due dates (pure functions: dates in, dates out).

Periods and their data cut-off windows follow Nghị định 09/2019/NĐ-CP, Điều 12:
month 15th of the previous month → 14th; quarter 15th of the month before → 14th of its last
month; first half 15/12 → 14/6; second half 15/6 → 14/12; 9 months 15/12 → 14/9; year
15/12 → 14/12. The due date is set per task: by default the 20th of the period's last month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from app.dates import fmt
from app.errors import ValidationError


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half"
    NINE_MONTHS = "nine_months"
    YEAR = "year"

    @property
    def label(self) -> str:
        return PERIOD_KIND_LABELS[self]


PERIOD_KIND_LABELS: dict[PeriodKind, str] = {
    PeriodKind.MONTH: "Hằng tháng",
    PeriodKind.QUARTER: "Hằng quý",
    PeriodKind.HALF_YEAR: "6 tháng",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.YEAR: "Hằng năm",
}

ROMAN = ("I", "II", "III", "IV")
DEFAULT_DUE_DAY = 20
ONE_OFF_KEY = "-"


@dataclass(frozen=True, order=True)
class Period:
    """One occurrence of a periodic report."""

    start: dt.date  # calendar start (1st of the first month)
    end: dt.date  # calendar end (last day of the last month)
    kind: PeriodKind
    year: int
    index: int  # month 1-12, quarter 1-4, half 1-2, 1 for 9 months and year
    cutoff_start: dt.date  # data window start (Nghị định 09/2019, Điều 12)
    cutoff_end: dt.date  # data window end

    @property
    def key(self) -> str:
        """Stable identifier: 2018-M05, 2018-Q2, 2018-H1, 2018-N9, 2018-Y."""
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}-M{self.index:02d}"
            case PeriodKind.QUARTER:
                return f"{self.year}-Q{self.index}"
            case PeriodKind.HALF_YEAR:
                return f"{self.year}-H{self.index}"
            case PeriodKind.NINE_MONTHS:
                return f"{self.year}-N9"
            case _:
                return f"{self.year}-Y"

    @property
    def label(self) -> str:
        """Vietnamese label: "Tháng 5/2018", "Quý II/2018", "6 tháng đầu năm 2018"…"""
        match self.kind:
            case PeriodKind.MONTH:
                return f"Tháng {self.index}/{self.year}"
            case PeriodKind.QUARTER:
                return f"Quý {ROMAN[self.index - 1]}/{self.year}"
            case PeriodKind.HALF_YEAR:
                half = "đầu" if self.index == 1 else "cuối"
                return f"6 tháng {half} năm {self.year}"
            case PeriodKind.NINE_MONTHS:
                return f"9 tháng năm {self.year}"
            case _:
                return f"Năm {self.year}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + (month - 1) + delta
    return total // 12, total % 12 + 1


def _cutoff_start(year: int, first_month: int) -> dt.date:
    y, m = _shift_month(year, first_month, -1)
    return dt.date(y, m, 15)


def make_period(kind: PeriodKind, year: int, index: int = 1) -> Period:
    """Build one period. Raises ValidationError for an impossible index."""
    kind = PeriodKind(kind)
    if kind is PeriodKind.MONTH:
        if not 1 <= index <= 12:
            raise ValidationError(f"Tháng {index} không tồn tại.")
        first, last = index, index
    elif kind is PeriodKind.QUARTER:
        if not 1 <= index <= 4:
            raise ValidationError(f"Quý {index} không tồn tại.")
        first, last = 3 * index - 2, 3 * index
    elif kind is PeriodKind.HALF_YEAR:
        if index not in (1, 2):
            raise ValidationError("Kỳ 6 tháng chỉ có 6 tháng đầu năm (1) và 6 tháng cuối năm (2).")
        first, last = (1, 6) if index == 1 else (7, 12)
    elif kind is PeriodKind.NINE_MONTHS:
        index, first, last = 1, 1, 9
    else:
        index, first, last = 1, 1, 12
    # Nghị định 09/2019: the data window runs from the 15th of the month before the first month
    # to the 14th of the last month. (Year and first half start on 15/12 of the previous year;
    # the second half on 15/6: both follow from the same rule.)
    return Period(
        start=dt.date(year, first, 1),
        end=dt.date(year, last, _last_day(year, last)),
        kind=kind,
        year=year,
        index=index,
        cutoff_start=_cutoff_start(year, first),
        cutoff_end=dt.date(year, last, 14),
    )


def periods_per_year(kind: PeriodKind) -> int:
    return {
        PeriodKind.MONTH: 12,
        PeriodKind.QUARTER: 4,
        PeriodKind.HALF_YEAR: 2,
        PeriodKind.NINE_MONTHS: 1,
        PeriodKind.YEAR: 1,
    }[PeriodKind(kind)]


def periods_between(kind: PeriodKind, start: dt.date, end: dt.date) -> list[Period]:
    """Every period of ``kind`` whose calendar end falls within [start, end], in order."""
    if end < start:
        return []
    return [p for p in _iter_periods(kind, start.year, end.year) if start <= p.end <= end]


def _iter_periods(kind: PeriodKind, first_year: int, last_year: int) -> Iterator[Period]:
    for year in range(first_year, last_year + 1):
        for index in range(1, periods_per_year(kind) + 1):
            yield make_period(kind, year, index)


def parse_period_key(key: str) -> Period:
    """Inverse of :attr:`Period.key`."""
    try:
        year_text, code = key.split("-", 1)
        year = int(year_text)
        tag, rest = code[0], code[1:]
        if tag == "M":
            return make_period(PeriodKind.MONTH, year, int(rest))
        if tag == "Q":
            return make_period(PeriodKind.QUARTER, year, int(rest))
        if tag == "H":
            return make_period(PeriodKind.HALF_YEAR, year, int(rest))
        if tag == "N":
            return make_period(PeriodKind.NINE_MONTHS, year)
        if tag == "Y" and not rest:
            return make_period(PeriodKind.YEAR, year)
    except (ValueError, IndexError, OverflowError):  # "99999999999999999999-Y" too
        pass
    raise ValidationError(f"Kỳ báo cáo không hợp lệ: {_shown(key)!r}.")


def due_date(period: Period, due_day: int = DEFAULT_DUE_DAY, month_offset: int = 0) -> dt.date:
    """Due date of ``period``: day ``due_day`` of the period's last month (+ ``month_offset``).

    A day past the end of the month is clamped to its last day (the 31st of a 30-day month).
    The date never falls before the data cut-off (Điều 8: at least a day after it).
    """
    if not 1 <= due_day <= 31:
        raise ValidationError("Ngày hạn nộp phải từ 1 đến 31.", field="due_day")
    if not 0 <= month_offset <= 12:
        raise ValidationError("Số tháng lùi hạn phải từ 0 đến 12.", field="due_month_offset")
    year, month = _shift_month(period.end.year, period.end.month, month_offset)
    day = min(due_day, _last_day(year, month))
    result = dt.date(year, month, day)
    if result <= period.cutoff_end:
        raise ValidationError(
            f"Hạn nộp ngày {fmt(result)} không sau ngày chốt số liệu "
            f"{fmt(period.cutoff_end)} của kỳ {period.label}: chọn ngày từ 15 trở đi "
            "hoặc lùi hạn sang tháng sau.",
            field="due_day",
        )
    return result


def _shown(text: str, limit: int = 60) -> str:
    """What a message repeats of the user's text: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def find_period(kind: PeriodKind, label_or_key: str) -> Period:
    """Find a period from its key ("2018-H1") or its Vietnamese label (accent-insensitive)."""
    from app.text import search_key  # local: keep this module's import list short

    text = label_or_key.strip()
    try:
        period = parse_period_key(text)
    except ValidationError:
        period = None
    if period is not None:
        if period.kind is not PeriodKind(kind):
            wanted_kind = PeriodKind(kind).label.lower()
            raise ValidationError(f"Kỳ {period.label} không phải kỳ {wanted_kind}.")
        return period
    wanted = search_key(text)
    # len ≤ 6: a 5,000-digit token is no year (and int() refuses over 4,300 digits)
    digits = [
        int(tok) for tok in wanted.replace("/", " ").split() if tok.isdigit() and len(tok) <= 6
    ]
    years = [d for d in digits if 1900 < d <= 9999]  # 2**80 is no year
    if years:
        for period in _iter_periods(kind, years[0], years[0]):
            if search_key(period.label) == wanted:
                return period
    raise ValidationError(
        f'Không hiểu kỳ báo cáo {_shown(label_or_key)!r} (ví dụ: "6 tháng đầu năm 2018").'
    )
