"""Colours and small styles of the window, in one place.

The status colours are defined once in ``app.status.STATUS_COLOURS`` (the Excel export uses
them too); here is how the window shows them (a chip: the colour with its label, a thin border)
and how far apart they are (WCAG contrast ratio, also what a greyscale print keeps apart).
"""

from __future__ import annotations

from app.status import STATUS_COLOURS, Status

CHIP_BORDER = "#7a8593"
TEXT_ON_STATUS = "#000000"


def status_chip_style(status: Status) -> str:
    """A label painted in the status colour (legends, the obligation dialog)."""
    return (f"background: {STATUS_COLOURS[status]}; color: {TEXT_ON_STATUS}; "
            f"padding: 2px 6px; border: 1px solid {CHIP_BORDER};")


def relative_luminance(colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb`` (0 black … 1 white)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio between two colours (1 the same … 21 black on white)."""
    high, low = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
