"""Screenshots of every tab and every dialog as they open on the office PC's screen (1366×768,
taskbar 40 px), offscreen, on the sample data seen on 02/05/2018.

    python tools/screenshots.py [--out docs/screenshots] [--screen 1366x728] [--only a,b]

Loads the sample into a temporary database, records a few submissions through the services,
opens each tab (the window as large as the screen allows) and each dialog (as the program opens
it: fitted to the screen) and writes one PNG per view. The overview's charts in more detail:
``tools/screenshots_dashboard.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


#: Print dialogs shot with their preview drawn (and the text to edit filled in).
PREVIEWED = ("dialog-in-tong-hop", "dialog-in-don-doc-don-vi", "dialog-in-du-thao-ubnd-tinh")
NARROW_TABS = os.environ.get("SCREENSHOTS_NARROW", "tab-dang-ky-ke-hoach,tab-don-vi").split(",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--screen", default="1366x728", help="usable screen area, WxH")
    parser.add_argument(
        "--only",
        default="",
        help="dialogs to shoot (names, comma-separated); the tabs are then skipped",
    )
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.screen.lower().split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        from tools.fit_probe import configure_screen

        configure_screen(width, height, 1.0, folder)
        os.environ["SOTHEODOI_DATA"] = str(folder / "data")
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
        written = _shoot(folder, out, set(filter(None, args.only.split(","))))
    for path in written:
        print(path)
    return 0


def _shoot(folder: Path, out: Path, only: set[str] | None = None) -> list[Path]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("sotheodoi-screenshots")
    QSettings().clear()
    from app.db import connect
    from app.services.sample import load_sample
    from tools.every_window import AS_OF, dialogs, record_examples, tabs
    from ui import tasks
    from ui.main_window import MainWindow
    from ui.screen_fit import install_screen_fit, largest_size

    install_screen_fit(app)
    tasks.set_synchronous(True)
    written: list[Path] = []

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        widget.show()
        app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    db = connect(str(folder / "screenshots.db"))
    load_sample(db)
    record_examples(db)
    window = MainWindow(db, today=AS_OF)
    window.set_as_of(AS_OF)
    window.show()
    window.resize(largest_size(window))
    app.processEvents()
    for name, index in tabs(window) if not only else ():
        window.tabs.setCurrentIndex(index)
        page = window.tabs.widget(index)
        table = getattr(page, "table", None)
        if table is not None and table.model().rowCount() > 1:
            table.selectRow(0 if type(page).__name__ == "ReportsPage" else 1)
        save(window, name)
        if type(page).__name__ == "DashboardPage":
            page.sections.setCurrentWidget(page.matrix)
            combo = page.matrix.task_combo  # a periodic report: one column per period
            combo.setCurrentIndex(
                max(
                    0,
                    next(
                        (i for i in range(combo.count()) if "định kỳ" in combo.itemText(i).lower()),
                        0,
                    ),
                )
            )
            app.processEvents()
            save(window, "tab-tong-quan-ma-tran")
            page.sections.setCurrentIndex(0)
    narrow = window.size()
    window.resize(960, narrow.height())  # half of a 1920 screen, beside Word or Excel
    for name, index in tabs(window) if not only else ():
        if name in NARROW_TABS:
            window.tabs.setCurrentIndex(index)
            save(window, f"{name}-960")
        if name == "tab-dang-ky-ke-hoach":  # scrolled sideways: the units stay
            table = window.tabs.widget(index).table
            table.horizontalScrollBar().setValue(table.horizontalScrollBar().maximum())
            save(window, f"{name}-960-cuon-ngang")
            table.horizontalScrollBar().setValue(0)
    window.resize(narrow)
    window.tabs.setCurrentIndex(0)

    for name, build in dialogs(db, window, folder):
        if only and name not in only:
            continue
        dialog = build()
        if name == "dialog-van-ban-da-phat-hanh":
            dialog.table.selectRow(0)
        if name == "cua-so-huong-dan":
            dialog.show()
            dialog.show_section("Gõ ngày")
        if name in PREVIEWED:
            dialog.show()
            dialog.generate()  # the preview beside the options (background work runs inline)
            from PySide6.QtTest import QTest

            QTest.qWait(1500)  # the PDF view renders its pages in a thread of its own
        save(dialog, name)
        if name == "dialog-dang-ky-ke-hoach":  # the same form with its messages
            dialog.symbol_edit.setText("")
            dialog.signed_edit.setText("31/04/2018")
            dialog.received_edit.setText("03/05/2018")
            dialog.accept()
            save(dialog, "dialog-dang-ky-ke-hoach-loi")
        if name == "dialog-in-tong-hop":
            popup = dialog.date_edit.open_calendar()
            app.processEvents()
            written.append(out / "lich-chon-ngay.png")
            popup.grab().save(str(written[-1]))
            popup.close()
        dialog.hide()
        dialog.deleteLater()
        app.processEvents()
    window.hide()
    tasks.wait_for_background()
    db.dispose()
    return written


if __name__ == "__main__":
    raise SystemExit(main())
