"""The Qt bindings' lost references to None cannot end the program (ui/singletons.py)."""

from __future__ import annotations

import sys

import pytest
from pytestqt.qtbot import QtBot

from ui import singletons


def test_the_reserve_is_in_place_before_any_qt_call() -> None:
    if sys.version_info >= (3, 12):
        pytest.skip("None, True and False are immortal from Python 3.12")
    for obj in singletons.PROTECTED:
        assert sys.getrefcount(obj) > singletons.RESERVE
    assert singletons.protect() is True  # a second call adds nothing
    assert sys.getrefcount(None) < 2 * singletons.RESERVE


def test_thousands_of_qt_calls_leave_none_far_from_zero(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    before = sys.getrefcount(None)
    for _ in range(20_000):
        widget.setEnabled(True)  # a method that returns nothing
    lost = before - sys.getrefcount(None)
    assert 0 <= lost <= 20_000  # 20,000 with PySide6 6.12.0 on Python 3.11, 0 where fixed
    assert sys.version_info >= (3, 12) or sys.getrefcount(None) > singletons.RESERVE
