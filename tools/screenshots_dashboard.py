"""Grab the dashboard tabs to PNG (offscreen) on the sample data with a few submissions.

python tools/screenshots_dashboard.py [OUTPUT_FOLDER]   (default docs/screenshots)
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
from app.services.directives import list_directives  # noqa: E402
from app.services.obligations import list_obligations  # noqa: E402
from app.services.sample import load_sample  # noqa: E402
from app.services.submissions import SubmissionInput, record_submission  # noqa: E402

D = dt.date


def add_sample_submissions(db: Database) -> None:
    """Plans from nine districts (six on time, three late), one of them sending twice, and
    half-year reports from fourteen units."""
    (directive,) = list_directives(db)
    plan, half, _year = directive.tasks
    plans = list_obligations(db, D(2018, 4, 20), task_id=plan.id)
    days = [
        D(2018, 4, 23),
        D(2018, 4, 25),
        D(2018, 4, 26),
        D(2018, 4, 27),
        D(2018, 4, 28),
        D(2018, 4, 30),
        D(2018, 5, 3),
        D(2018, 5, 8),
        D(2018, 5, 15),
    ]
    for n, (row, day) in enumerate(zip(plans, days, strict=False)):
        record_submission(
            db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{30 + n}/KH-UBND",
                signed_date=day,
                received_date=day,
                summary="Kế hoạch phối hợp thực hiện công tác dân vận năm 2018",
                signer="Chủ tịch UBND",
            ),
            today=D(2018, 12, 31),
        )
    record_submission(
        db,
        SubmissionInput(
            obligation_id=plans[0].id,
            number_symbol="52/KH-UBND",
            signed_date=D(2018, 5, 4),
            received_date=D(2018, 5, 4),
            summary="Kế hoạch bổ sung",
        ),
        today=D(2018, 12, 31),
    )
    halves = list_obligations(db, D(2018, 6, 1), task_id=half.id)
    picked = halves[::2][:11] + halves[1::2][-3:]  # districts and departments alike
    for n, row in enumerate(picked):
        day = D(2018, 6, 8) + dt.timedelta(days=n)
        record_submission(
            db,
            SubmissionInput(
                obligation_id=row.id,
                number_symbol=f"{100 + n}/BC-{n}",
                signed_date=day,
                received_date=day,
                summary="Báo cáo 6 tháng đầu năm 2018",
            ),
            today=D(2018, 12, 31),
        )


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp())
    os.environ["SOTHEODOI_DATA"] = str(folder)
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    db = connect(str(folder / "screens.db"))
    load_sample(db)
    add_sample_submissions(db)

    from ui import tasks
    from ui.app import create_application

    tasks.set_synchronous(True)
    app = create_application([])
    from ui.main_window import MainWindow
    from ui.pages.dashboard_page import SECTION_MATRIX, DashboardPage
    from ui.pages.warnings_page import WarningsPage

    window = MainWindow(db, today=D(2018, 6, 25))
    window.resize(1280, 820)
    window.show()
    dashboard = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), DashboardPage)
    )
    warnings_page = next(
        window.tabs.widget(i)
        for i in range(window.tabs.count())
        if isinstance(window.tabs.widget(i), WarningsPage)
    )

    def grab(name: str) -> None:
        app.processEvents()  # type: ignore[attr-defined]
        window.grab().save(str(out / name))
        print(out / name)

    for day, suffix in ((D(2018, 5, 2), "-02-05-2018"), (D(2018, 6, 25), "")):
        window.set_as_of(day)
        window.tabs.setCurrentWidget(dashboard)
        dashboard.sections.setCurrentIndex(0)
        grab(f"tong-quan{suffix}.png")
        if not suffix:
            dashboard.sections.setCurrentIndex(1)
            grab("bang-so-lieu.png")
        window.tabs.setCurrentWidget(warnings_page)
        grab(f"canh-bao-han{suffix}.png")
        window.tabs.setCurrentWidget(dashboard)
        dashboard.sections.setCurrentIndex(SECTION_MATRIX)
        (directive,) = list_directives(db)
        dashboard.show_matrix(directive.tasks[0].id if suffix else directive.tasks[1].id)
        grab(f"ma-tran{suffix}.png")
    window.set_as_of(D(2018, 4, 25))  # the plans are due soon (amber)
    window.tabs.setCurrentWidget(warnings_page)
    grab("canh-bao-han-25-04-2018.png")
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
