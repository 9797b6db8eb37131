"""One user operation, written once: ask → call the service → say what went wrong → go on.

Replaces the try/except written out at every button: an ``AppError`` shows its Vietnamese
message under ``error_title``; anything else is logged with its traceback and the user sees
the short apology (``ui.dialogs.messages.show_error``). Pages use ``Page.operate``, which also
broadcasts what the operation changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtWidgets import QWidget

T = TypeVar("T")


@dataclass(frozen=True)
class Confirm:
    """The question asked before an operation; ``yes`` names the button that goes on."""

    title: str
    text: str
    yes: str = "Đồng ý"


def run_operation(
    parent: QWidget | None,
    call: Callable[[], T],
    *,
    confirm: Confirm | None = None,
    error_title: str = "Không thực hiện được",
    done: Callable[[T], None] | None = None,
) -> bool:
    """Ask ``confirm`` (the user says no: False) → ``call()`` → on an error, show it and return
    False → ``done(result)`` → True."""
    from ui.dialogs import messages

    if confirm is not None and not messages.confirm(
        parent, confirm.title, confirm.text, yes=confirm.yes
    ):
        return False
    try:
        result = call()
    except Exception as exc:  # an AppError says what to do; anything else is logged
        messages.show_error(parent, exc, title=error_title)
        return False
    if done is not None:
        done(result)
    return True
