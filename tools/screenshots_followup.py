"""Grab the overview's "Việc cần làm hôm nay" panel, the holiday-table editor and the reminder
plan to PNG (offscreen, 1366×768) on the sample with a follow-up history.

    python tools/screenshots_followup.py [OUTPUT_FOLDER]   (default docs/screenshots)
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.db import Database, connect  # noqa: E402
from app.services.directives import DirectiveInput, list_directives, update_directive  # noqa: E402
from app.services.followup import rounds_on  # noqa: E402
from app.services.issued_documents import IssuedInput, record_issued  # noqa: E402
from app.services.obligations import list_obligations  # noqa: E402
from app.services.sample import load_sample  # noqa: E402
from app.services.submissions import SubmissionInput, record_submission  # noqa: E402

D = dt.date


def follow_up_history(db: Database) -> None:
    """The shift on; plans and half-year reports arriving around the reminders, the first two
    rounds of each recorded as sent."""
    (d,) = list_directives(db)
    update_directive(
        db,
        d.id,
        DirectiveInput(
            number_symbol=d.number_symbol,
            signed_date=d.signed_date,
            issuer=d.issuer,
            signer=d.signer,
            subject=d.subject,
            basis=d.basis,
            note=d.note,
            shift_due=True,
        ),
    )
    plan, half, _year = d.tasks

    def receive(rows, day: D) -> None:  # type: ignore[no-untyped-def]
        for row in rows:
            record_submission(
                db,
                SubmissionInput(
                    obligation_id=row.id,
                    number_symbol=f"{row.id}/BC",
                    signed_date=day,
                    received_date=day,
                ),
                today=day,
            )

    plans = list_obligations(db, D(2018, 4, 20), task_id=plan.id)
    receive(plans[:6], D(2018, 4, 27))
    halves = [
        r
        for r in list_obligations(db, D(2018, 6, 1), task_id=half.id)
        if r.unit_name != "Sở Nội vụ"
    ]
    receive(halves[:18], D(2018, 6, 19))
    for day, rnd in ((D(2018, 5, 3), 1), (D(2018, 6, 21), 1), (D(2018, 6, 28), 2)):
        for r in rounds_on(db, day):
            record_issued(
                db,
                IssuedInput(
                    kind="reminder",
                    as_of=day,
                    directive_id=d.id,
                    issued_date=day,
                    unit_ids=tuple(u for u, _ in r.units),
                    follow_up_round=rnd,
                ),
            )
        if day == D(2018, 5, 3):
            receive(plans[6:10], D(2018, 5, 4))
            receive(plans[10:12], D(2018, 5, 9))
        if day == D(2018, 6, 21):
            receive(halves[18:26], D(2018, 6, 25))
        if day == D(2018, 6, 28):
            receive(halves[26:29], D(2018, 7, 3))


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp())
    os.environ["SOTHEODOI_DATA"] = str(folder)
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    db = connect(str(folder / "screens.db"))
    load_sample(db)
    follow_up_history(db)

    from ui import tasks
    from ui.app import create_application

    tasks.set_synchronous(True)
    app = create_application([])
    from ui.dialogs.calendar_days_dialog import CalendarDaysDialog
    from ui.dialogs.followup_plan_dialog import FollowupPlanDialog
    from ui.main_window import MainWindow
    from ui.pages.dashboard_page import SECTION_TODAY, DashboardPage

    window = MainWindow(db, today=D(2018, 7, 5))
    window.resize(1366, 768)
    window.show()
    dashboard = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), DashboardPage)
    )

    def grab(widget, name: str) -> None:  # type: ignore[no-untyped-def]
        app.processEvents()  # type: ignore[attr-defined]
        widget.grab().save(str(out / name))
        print(out / name)

    window.tabs.setCurrentWidget(dashboard)
    dashboard.sections.setCurrentIndex(SECTION_TODAY)
    window.set_as_of(D(2018, 7, 5))
    dashboard.today_panel.table.selectRow(0)
    grab(window, "viec-can-lam-hom-nay.png")
    calendar = CalendarDaysDialog(db, D(2018, 7, 5), window)
    calendar.show()
    grab(calendar, "lich-nghi-le-lam-bu.png")
    calendar.close()
    (directive,) = list_directives(db)
    plan = FollowupPlanDialog(db, window, directive_id=directive.id)
    plan.resize(660, 300)
    plan.show()
    app.processEvents()  # type: ignore[attr-defined]
    plan.adjustSize()
    app.processEvents()  # type: ignore[attr-defined]
    grab(plan, "ke-hoach-don-doc.png")
    plan.close()
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
