"""Screenshots of every tab and main dialog, offscreen, on the sample data seen on 02/05/2018.

    python tools/screenshots.py [--out docs/screenshots]

Loads the sample into a temporary database, records a few submissions through the services,
opens each tab and each main dialog and writes one PNG per view.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

AS_OF = dt.date(2018, 5, 2)


def _record_examples(db) -> None:  # type: ignore[no-untyped-def]
    from app.models import TaskKind
    from app.services import directives, units
    from app.services.intake import intake_rows, task_periods
    from app.services.submissions import SubmissionInput, record_submission

    directive = directives.list_directives(db)[0]
    plan = next(t for t in directive.tasks if t.kind is TaskKind.ONE_OFF)
    rows = {r.obligation.unit_name: r for r in intake_rows(db, AS_OF, task_id=plan.id)}
    for name, symbol, signed, received in (
        ("UBND thành phố Quảng Ngãi", "112/KH-UBND", (2018, 4, 24), (2018, 4, 26)),
        ("UBND huyện Bình Sơn", "45/KH-UBND", (2018, 4, 25), (2018, 4, 27)),
        ("UBND huyện Sơn Tịnh", "38/KH-UBND", (2018, 4, 27), (2018, 4, 28)),
        ("UBND huyện Mộ Đức", "52/KH-UBND", (2018, 4, 28), (2018, 5, 2)),
        ("UBND huyện Lý Sơn", "21/KH-UBND", (2018, 4, 29), (2018, 5, 1)),
    ):
        record_submission(db, SubmissionInput(
            rows[name].id, symbol, dt.date(*signed), dt.date(*received),
            signer="Chủ tịch UBND", summary="Kế hoạch phối hợp thực hiện công tác dân vận năm "
                                            "2018 - “Năm dân vận chính quyền”"), today=AS_OF)
    report = next(t for t in directive.tasks if t.kind is TaskKind.PERIODIC)
    period = task_periods(db, report.id)[0]
    reports = {r.obligation.unit_name: r
               for r in intake_rows(db, AS_OF, task_id=report.id, period_key=period.key)}
    record_submission(db, SubmissionInput(
        reports["Sở Tư pháp"].id, "101/BC-STP", dt.date(2018, 4, 28), dt.date(2018, 5, 2),
        channel="email"), today=AS_OF)
    record_submission(db, SubmissionInput(
        reports["Sở Tư pháp"].id, "105/BC-STP", dt.date(2018, 5, 2), dt.date(2018, 5, 2),
        summary="Báo cáo bổ sung"), today=AS_OF)
    so_y_te = next(u for u in units.list_units(db) if u.name == "Sở Y tế")
    units.update_unit(db, so_y_te.id, units.UnitInput(
        name=so_y_te.name, kind=so_y_te.kind, short_name="SYT", sort_order=so_y_te.sort_order,
        head_title="Giám đốc", phone="0255 3822 xxx"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("sotheodoi-screenshots")
    QSettings().clear()
    from app.db import connect
    from app.services import units
    from app.services.sample import load_sample
    from ui import tasks
    from ui.dialogs.directive_dialog import DirectiveDialog
    from ui.dialogs.history_dialog import HistoryDialog
    from ui.dialogs.merge_dialog import MergeDialog
    from ui.dialogs.submission_dialog import SubmissionDialog
    from ui.dialogs.task_dialog import TaskDialog
    from ui.dialogs.unit_dialog import UnitDialog
    from ui.main_window import MainWindow

    tasks.set_synchronous(True)
    written: list[Path] = []

    def save(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        widget.show()
        app.processEvents()
        path = out / f"{name}.png"
        widget.grab().save(str(path))
        written.append(path)

    with tempfile.TemporaryDirectory() as folder:
        db = connect(str(Path(folder) / "screenshots.db"))
        load_sample(db)
        _record_examples(db)
        window = MainWindow(db, today=AS_OF)
        window.resize(1280, 800)
        window.set_as_of(AS_OF)
        window.show()
        names = {"PlansPage": "tab-dang-ky-ke-hoach", "ReportsPage": "tab-tiep-nhan-bao-cao",
                 "DirectivesPage": "tab-van-ban-chi-dao", "UnitsPage": "tab-don-vi"}
        pages = {}
        for i in range(window.tabs.count()):
            page = window.tabs.widget(i)
            name = names.get(type(page).__name__)
            if name is None:  # the overview and warnings: tools/screenshots_dashboard.py
                continue
            pages[type(page).__name__] = page
            window.tabs.setCurrentIndex(i)
            table = getattr(page, "table", None)
            if table is not None and table.model().rowCount() > 1:
                table.selectRow(0 if type(page).__name__ == "ReportsPage" else 1)
            save(window, name)

        plans = pages["PlansPage"]
        reports = pages["ReportsPage"]
        directives_page = pages["DirectivesPage"]
        units_page = pages["UnitsPage"]
        row = next(r for r in plans.model.rows() if r.obligation.unit_name == "UBND huyện Ba Tơ")
        from app.services.obligations import get_obligation

        obligation = get_obligation(db, row.id, AS_OF)
        dialog = SubmissionDialog(db, obligation, today=AS_OF, parent=window)
        dialog.received_edit.set_value(AS_OF)
        save(dialog, "dialog-dang-ky-ke-hoach")
        dialog.symbol_edit.setText("17/KH-UBND")
        dialog.signed_edit.setText("31/04/2018")
        dialog.received_edit.setText("03/05/2018")
        dialog.accept()
        save(dialog, "dialog-dang-ky-ke-hoach-loi")
        dialog.reject()

        report_row = next(r for r in reports.model.rows()
                          if r.obligation.unit_name == "Sở Tư pháp")
        dialog = SubmissionDialog(db, get_obligation(db, report_row.id, AS_OF), today=AS_OF,
                                  earlier=2, parent=window)
        save(dialog, "dialog-tiep-nhan-bao-cao")
        dialog.reject()

        directive = directives_page.current()
        dialog = DirectiveDialog(db, directive, window)
        save(dialog, "dialog-van-ban-chi-dao")
        dialog.reject()
        dialog = TaskDialog(db, directive, directive.tasks[1], units.list_units(db), window)
        save(dialog, "dialog-nhiem-vu")
        dialog.reject()

        unit = next(u for u in units.list_units(db) if u.name == "Sở Y tế")
        dialog = UnitDialog(db, unit, window)
        save(dialog, "dialog-don-vi")
        dialog.reject()
        tay_tra = next(u for u in units.list_units(db) if u.name == "Sở Ngoại vụ")
        dialog = MergeDialog(db, tay_tra, units_page.model.rows(), window)
        save(dialog, "dialog-sap-nhap")
        dialog.reject()
        dialog = HistoryDialog(db, "unit", unit.id, unit.name, window)
        dialog.entries_view.selectRow(0)
        save(dialog, "dialog-lich-su")
        dialog.reject()
        window.close()
        db.dispose()
    for path in written:
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
