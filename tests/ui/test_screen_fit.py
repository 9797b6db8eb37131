"""Every window fits the office PC: 1366×768 at 100 % and 1920×1080 at 150 % (taskbar taken off),
with its buttons on screen; the main window works down to 960 px wide; a geometry saved on
another screen is never restored off-screen."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QPushButton

from ui.screen_fit import TITLE_BAR, available_area, fit_to_screen

ROOT = Path(__file__).resolve().parents[2]


def _probe(screen: str, scale: float) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM", None)  # the probe sets its own screen
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "fit_probe.py"),
            "--screen",
            screen,
            "--scale",
            str(scale),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("screen", "scale", "logical"),
    [
        ("1366x728", 1.0, [0, 0, 1366, 728]),  # 1366×768, taskbar 40 px
        ("1920x1020", 1.5, [0, 0, 1280, 680]),  # 1920×1080 at 150 %, taskbar 60 px
        ("1366x718", 1.25, [0, 0, 1093, 574]),  # a laptop's 1366×768 at 125 %, taskbar 50 px
    ],
)
def test_every_window_and_its_buttons_lie_on_the_screen(
    screen: str, scale: float, logical: list[int]
) -> None:
    result = _probe(screen, scale)
    assert result["available"] == logical
    names = [w["name"] for w in result["windows"]]
    assert "main-window" in names and "dialog-in-tong-hop" in names and len(names) >= 30
    problems = {w["name"]: w["problems"] for w in result["windows"] if w["problems"]}
    assert problems == {}
    for w in result["windows"]:
        if w["name"].startswith("dialog-") and w["name"] not in (
            "dialog-lich-su",
            "dialog-nghia-vu",
        ):  # those two close with the title bar
            assert w["buttons"], f"{w['name']}: no action button found"
    main = next(w for w in result["windows"] if w["name"] == "main-window")
    assert main["min_width"] <= 960


DIALOG_BASES = {"QDialog", "FormDialog", "QProgressDialog"}
NOT_A_WINDOW = {"FormDialog"}  # the base of the form dialogs, never shown by itself


def test_every_dialog_class_is_in_the_list_of_windows() -> None:
    """A dialog added to ui/dialogs (or the help window) is measured and photographed: the
    probe and the screenshots build every class tools/every_window.py lists."""
    import ast

    listed = (ROOT / "tools" / "every_window.py").read_text(encoding="utf-8")
    tree = ast.parse(listed)
    built = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    missing = []
    for path in [*sorted((ROOT / "ui" / "dialogs").glob("*.py")), ROOT / "ui" / "help_window.py"]:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(node, ast.ClassDef) or node.name in NOT_A_WINDOW:
                continue
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if bases & DIALOG_BASES and node.name not in built:
                missing.append(f"{path.name}: {node.name}")
    assert missing == []


def test_main_window_at_960_px_keeps_every_button_reachable(window: Any, qtbot: Any) -> None:
    window.resize(960, 700)
    qtbot.waitUntil(lambda: window.width() == 960)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        page = window.tabs.widget(i)
        page.layout().activate()
        qtbot.waitUntil(lambda p=page: p.isVisible())
        bounds = page.rect()
        for button in page.findChildren(QPushButton):
            if not button.isVisibleTo(page) or button.window() is not window:
                continue
            top_left = button.mapTo(page, button.rect().topLeft())
            rect = QRect(top_left, button.size())
            assert bounds.contains(rect) or _scrolled(button), (
                f"{type(page).__name__}: {button.text()!r} at {rect} outside {bounds}"
            )
            assert button.width() >= button.minimumSizeHint().width() - 1, button.text()


def _scrolled(widget: Any) -> bool:
    from PySide6.QtWidgets import QAbstractScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def test_geometry_saved_off_screen_is_brought_back(window: Any, qtbot: Any) -> None:
    area = available_area(window)
    window.hide()
    window.setGeometry(area.right() + 500, area.bottom() + 300, 760, 500)
    window.show()
    qtbot.waitUntil(window.isVisible)
    fit_to_screen(window)
    inner = window.geometry()
    assert inner.height() == 500
    # the test screen (800 px) is narrower than the window's minimum: its left edge shows
    assert area.contains(inner.topLeft()) and inner.bottom() <= area.bottom()
    assert inner.top() - TITLE_BAR >= area.top()


def test_restored_geometry_from_a_larger_screen_fits(
    qtbot: Any, sample_db: Any, message_log: Any
) -> None:
    from ui import tasks
    from ui.main_window import MainWindow
    from ui.screen_fit import install_screen_fit

    install_screen_fit()
    QSettings().clear()
    tasks.set_synchronous(True)
    first = MainWindow(sample_db)
    qtbot.addWidget(first)
    first.setGeometry(2500, 1400, 700, 1300)  # a second, taller screen since unplugged
    QSettings().setValue("main/geometry", first.saveGeometry())
    second = MainWindow(sample_db)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(second.isVisible)
    area = available_area(second)
    inner = second.geometry()
    assert area.contains(inner.topLeft()) and inner.bottom() <= area.bottom()
    assert second.geometry().top() - TITLE_BAR >= area.top()
    for win in (first, second):
        win.close()
    tasks.set_synchronous(False)
    tasks.wait_for_background()
