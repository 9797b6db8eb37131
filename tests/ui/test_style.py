"""Status colours: every one distinguishable from every other, also in greyscale, with black
text readable on each (the ratios are stated in docs/huong-dan-su-dung.md)."""

from __future__ import annotations

import itertools

from app.status import STATUS_COLOURS, Status
from ui.style import contrast_ratio, relative_luminance, status_chip_style
from ui.widgets.millimetre_spin_box import mm_text


def test_every_pair_of_status_colours_differs_in_luminance() -> None:
    for a, b in itertools.combinations(Status, 2):
        ratio = contrast_ratio(STATUS_COLOURS[a], STATUS_COLOURS[b])
        assert ratio >= 1.19, f"{a.label} / {b.label}: {ratio:.2f}"


def test_not_due_and_exempt_are_told_apart() -> None:
    assert contrast_ratio(STATUS_COLOURS[Status.NOT_DUE], STATUS_COLOURS[Status.EXEMPT]) >= 1.19
    # the most urgent is the darkest on a greyscale print
    darkest = min(Status, key=lambda s: relative_luminance(STATUS_COLOURS[s]))
    assert darkest is Status.OVERDUE


def test_black_text_readable_on_every_status_colour() -> None:
    for status in Status:
        assert contrast_ratio(STATUS_COLOURS[status], "#000000") >= 4.5, status.label
        assert STATUS_COLOURS[status] in status_chip_style(status)


def test_contrast_ratio_reference_values() -> None:
    assert round(contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert contrast_ratio("#777777", "#777777") == 1.0


def test_margins_shown_without_a_trailing_zero() -> None:
    assert mm_text(20.0) == "20" and mm_text(22.5) == "22,5" and mm_text(30) == "30"


def test_every_colour_of_the_window_is_named_in_ui_style():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "ui"
    literal = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
    found = [
        f"{p.relative_to(root)}:{n}: {line.strip()}"
        for p in sorted(root.rglob("*.py"))
        if p.name != "style.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if literal.search(line)
    ]
    assert found == []
