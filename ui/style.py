"""Colours and small styles of the window, in one place.

The status colours are defined once in ``app.status.STATUS_COLOURS`` (the Excel export uses
them too); here is how the window shows them (a chip: the colour with its label, a thin border)
and how far apart they are (WCAG contrast ratio, also what a greyscale print keeps apart).
"""

from __future__ import annotations

from app.status import STATUS_COLOURS, Status

# --- every colour the window uses besides the statuses' (a test keeps them here) -----------
EDGE = "#7a8593"  # borders of chips, figures, bars and charts
CHIP_BORDER = EDGE
TEXT_ON_STATUS = "#000000"
TEXT = "#111111"  # figures and labels drawn by hand
TEXT_DARK = "#222222"
TEXT_BADGE = "#202020"
TEXT_MUTED = "#555555"  # hints under a field, notes
TEXT_FAINT = "#9aa0a6"  # a matrix cell with nothing to count
ERROR_TEXT = "#b00020"  # a message saying what is wrong (also "quá hạn" in a summary)
ERROR_TEXT_STRONG = "#b71c1c"
OK_TEXT = "#1b5e20"
WARNING_TEXT = "#8a5300"  # a warning that does not stop the user
DUE_SOON_TEXT = "#8a6100"
FIELD_ERROR_BORDER = "#d32f2f"
WHITE = "#ffffff"
HIGHLIGHT = "#ffe08a"  # a value read from a file to be checked
RECORDED = "#c8e6c9"  # recorded / a working day
PROBLEM = "#f8c4c4"
WARNING_BACKGROUND = "#fff3c4"
INACTIVE = "#eeeeee"  # a unit no longer followed
TOTAL_BACKGROUND = "#f3f5f8"
DAY_OFF = "#ffd8a8"
PANEL_BACKGROUND = "#fafafa"
PANEL_BORDER = "#d0d0d0"
NOTICE_BACKGROUND = "#e8f1fb"
NOTICE_BORDER = "#9dbbe0"
PROGRESS_CHUNK = "#8fd19e"
BAR = "#8fb8de"
FROZEN_EDGE = "#9aa5b1"
ROUND_NOTICE = "#dde3ea"  # the follow-up rounds: notice, 1st and 2nd reminder, escalation
ROUND_FIRST = "#ffe98a"
ROUND_SECOND = DAY_OFF
ROUND_ESCALATE = "#ffb3b3"

MUTED_STYLE = f"color: {TEXT_MUTED};"
ERROR_STYLE = f"color: {ERROR_TEXT};"
OK_STYLE = f"color: {OK_TEXT};"


def status_chip_style(status: Status) -> str:
    """A label painted in the status colour (legends, the obligation dialog)."""
    return (
        f"background: {STATUS_COLOURS[status]}; color: {TEXT_ON_STATUS}; "
        f"padding: 2px 6px; border: 1px solid {CHIP_BORDER};"
    )


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb`` (0 black … 1 white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 the same … 21 black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
