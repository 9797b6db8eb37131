"""Rules with one home stay there (docs/domain.md): no second date formatter, thousands
formatter, unit-kind order, count by status, warning statuses, completeness grid, Excel warnings
list, list of unit kinds, figure name or hand-said change of a write in app/ or ui/. Read as text,
like tests/test_boundaries.py."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (what, pattern, the one file allowed to hold it)
RULES = (
    (
        "a date written dd/mm/yyyy: use app.dates.fmt / fmt_time",
        re.compile(r"%d/%m/%Y"),
        {"app/dates.py"},
    ),
    (
        "thousands by replacing commas: use app.text.number_text",
        re.compile(r""":,\}.*\.replace\(\s*["'],["']\s*,\s*["']\.["']"""),
        {"app/text.py"},
    ),
    (
        "a unit-kind order: use app.ordering (kind_rank, unit_key)",
        re.compile(r"enumerate\(UnitKind\)\}|list\(UnitKind\)\.index|KIND_ORDER\s*="),
        {"app/ordering.py"},
    ),
    (
        "a count by status: use app.status.StatusCounts",
        re.compile(r"^class \w*(Counts|Totals)\b|Counter\(\w+\.status"),
        {"app/status.py"},
    ),
    (
        "a write's change said by hand: the database records it (app/changes.py), "
        "ui.operations broadcasts it",
        re.compile(r"broadcast\(\s*Change\.(UNITS|DIRECTIVES|SUBMISSIONS|DOCUMENTS|SETTINGS)"),
        set(),
    ),
    (
        "the warning statuses: use app.status.WARNING_STATUSES",
        re.compile(r"WARNING_STATUSES\s*="),
        {"app/status.py"},
    ),
    (
        "a grid of units by task and period: use app.services.dashboard.completeness_grid",
        re.compile(r"[\[(]\(\w+\.unit_id, \w+\)"),
        {"app/services/dashboard.py"},
    ),
    (
        "the warnings list in Excel: use app.exchange.xlsx_export.warning_list_table",
        re.compile(r"Còn lại \(ngày\)"),
        {"app/exchange/xlsx_columns.py", "app/exchange/xlsx_export.py"},
    ),
    (
        "a unit kind or a channel spelled out: use app.kinds (UnitKind, Channel)",
        re.compile(r"""["'](so_nganh|he_thong)["']"""),
        {"app/kinds.py"},
    ),
    (
        "a figure of the counts or a short status label spelled out: use app.status "
        "(FIGURES, Status.short_label)",
        re.compile(
            r"""["'](Phải|Đã) nộp["']|["'](Nộp muộn|Quá hạn \(chưa nộp\))["']"""
            r"""|["']Tỷ lệ (đúng hạn|nộp)["']"""
        ),
        {"app/status.py"},
    ),
    (
        "a decimal comma: use app.text.decimal_text",
        re.compile(r"""\.replace\(\s*["']\.["']\s*,\s*["'],["']\s*\)"""),
        {"app/text.py"},
    ),
)


def _sources() -> list[Path]:
    files = [*(ROOT / "app").rglob("*.py"), *(ROOT / "ui").rglob("*.py")]
    # A migration is frozen as it was written: it keeps its own copy of the rules of its day.
    return [f for f in files if "migrations" not in f.parts]


def test_each_rule_has_one_home() -> None:
    found: list[str] = []
    for path in _sources():
        name = path.relative_to(ROOT).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for what, pattern, homes in RULES:
                if name not in homes and pattern.search(line):
                    found.append(f"{name}:{number}: {what}")
    assert not found, "\n".join(found)


def test_the_check_sees_a_copy() -> None:
    lines = (
        'f"{day:%d/%m/%Y}"',
        'f"{n:,}".replace(",", ".")',
        "rank = {k: i for i, k in enumerate(UnitKind)}",
        "class WarningTotals:",
        "self.main_window.broadcast(Change.UNITS, source=self)",
        "WARNING_STATUSES = (Status.OVERDUE,)",
        "cells[(o.unit_id, key)] = o",
        'headers += ["Quá hạn (ngày)", "Còn lại (ngày)"]',
        'choices=["so_nganh", "huyen", "xa", "khac"]',
        '("Quá hạn (chưa nộp)", lambda c: str(c.missing), Status.OVERDUE),',
        'f"{value:.1f}".replace(".", ",") + "%"',
    )
    for line, (_what, pattern, _homes) in zip(lines, RULES, strict=True):
        assert pattern.search(line), line
