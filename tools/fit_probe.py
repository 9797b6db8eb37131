"""Does every window fit the screen? Opens the main window and every dialog on the sample data
on an offscreen screen of the given usable size and prints, as JSON, each window's frame and
its action buttons, and what lies outside the screen.

    python tools/fit_probe.py --screen 1366x728            # 1366×768 at 100 %, minus taskbar
    python tools/fit_probe.py --screen 1920x1020 --scale 1.5  # 1920×1080 at 150 %

The screen is the usable area (the taskbar already taken off). Windows draws a title bar the
offscreen platform does not: ``TITLE_BAR`` logical pixels are reserved above every frame.
Must run in its own process (the screen is fixed when Qt starts).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TITLE_BAR = 31  # a Windows 10/11 title bar, logical pixels


def configure_screen(width: int, height: int, scale: float, folder: Path) -> None:
    """The offscreen platform with one screen of width×height physical pixels."""
    config = folder / "screen.json"
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "probe",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        ),
        encoding="utf-8",
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"
    if scale != 1:
        os.environ["QT_SCALE_FACTOR"] = str(scale)
    else:
        os.environ.pop("QT_SCALE_FACTOR", None)


def _rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


def _inside(r: Any, area: Any) -> bool:
    return (
        r.left() >= area.left()
        and r.right() <= area.right()
        and r.top() >= area.top()
        and r.bottom() <= area.bottom()
    )


def outer_frame(widget: Any) -> Any:
    """The frame as Windows would draw it: at least a title bar above the client area."""
    inner, frame = widget.geometry(), widget.frameGeometry()
    return frame.adjusted(0, min(0, inner.top() - TITLE_BAR - frame.top()), 0, 0)


def action_buttons(widget: Any) -> list[Any]:
    """The buttons a user must reach: every push button of the window that is not inside a
    scrolled area (what scrolls can be reached by scrolling)."""
    from PySide6.QtWidgets import QAbstractScrollArea, QPushButton

    found: list[Any] = []
    for button in widget.findChildren(QPushButton):
        if not button.isVisibleTo(widget):
            continue
        parent = button.parentWidget()
        while parent is not None and parent is not widget:
            if isinstance(parent, QAbstractScrollArea):
                break
            parent = parent.parentWidget()
        if parent is widget:
            found.append(button)
    return found


def measure(name: str, widget: Any, area: Any) -> dict[str, Any]:
    from PySide6.QtCore import QPoint, QRect

    frame = outer_frame(widget)
    problems: list[str] = []
    if not _inside(frame, area):
        problems.append(
            f"khung {_rect(frame)} (+{TITLE_BAR} thanh tiêu đề) ra ngoài màn hình {_rect(area)}"
        )
    buttons = []
    for button in action_buttons(widget):
        top_left = button.mapToGlobal(QPoint(0, 0))
        rect = QRect(top_left, button.size())
        visible = not button.visibleRegion().isEmpty()
        ok = visible and _inside(rect, area) and _inside(rect, frame)
        buttons.append({"text": button.text(), "rect": _rect(rect), "visible": visible})
        if not ok:
            problems.append(f"nút {button.text()!r} {_rect(rect)} không thấy hết")
    return {
        "name": name,
        "frame": _rect(frame),
        "min_hint": [widget.minimumSizeHint().width(), widget.minimumSizeHint().height()],
        "buttons": buttons,
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--screen", default="1366x728")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--only", default="", help="names to probe, comma-separated")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.screen.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        configure_screen(width, height, args.scale, folder)
        os.environ["SOTHEODOI_DATA"] = str(folder / "data")
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        results = _probe(folder, set(filter(None, args.only.split(","))))
    json.dump(results, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def _probe(folder: Path, only: set[str]) -> dict[str, Any]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("sotheodoi-fit-probe")
    from ui.screen_fit import install_screen_fit

    install_screen_fit(app)  # as ui.app.create_application does
    QSettings().clear()
    from app.db import connect
    from app.services.sample import load_sample
    from tools.every_window import AS_OF, dialogs, record_examples
    from ui import tasks
    from ui.main_window import MainWindow

    tasks.set_synchronous(True)
    db = connect(str(folder / "probe.db"))
    load_sample(db)
    record_examples(db)
    screen = app.primaryScreen()
    area = screen.availableGeometry()
    window = MainWindow(db, today=AS_OF)
    window.show()
    app.processEvents()
    windows = [measure("main-window", window, area)]
    hint = window.minimumSizeHint()
    windows[0]["min_width"] = max(hint.width(), window.minimumWidth())
    for name, build in dialogs(db, window, folder):
        if only and name not in only:
            continue
        dialog = build()
        dialog.show()
        app.processEvents()
        windows.append(measure(name, dialog, area))
        dialog.close()
        dialog.deleteLater()
        app.processEvents()
    window.close()
    tasks.wait_for_background()
    db.dispose()
    return {
        "screen": _rect(screen.geometry()),
        "available": _rect(area),
        "scale": screen.devicePixelRatio(),
        "windows": windows,
    }


if __name__ == "__main__":
    raise SystemExit(main())
