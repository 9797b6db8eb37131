"""Make the migration fixture of a schema revision: ``tests/fixtures/migrations/<REVISION>.db``.

    python tools/make_migration_fixture.py 0001

Run it when REVISION is the newest (head) revision, i.e. right before a release that ships it,
and commit the file: the fixture is filled through the services of that program version, so it
holds what real users' files of that version hold (units, a directive with one-off and periodic
tasks, obligations, documents received, a waived obligation, settings, audit rows, and from
0002 on a file stored in the database, ``attachment_blob``). Later versions' tests upgrade
every fixture to head and check that no record was lost (tests/core/test_migration_fixtures.py).

A revision that is no longer head is made from the program as it was when it was: export that
commit (``git archive <commit> | tar -x -C /tmp/at-REV``), copy this script over its own, run it
there and copy ``tests/fixtures/migrations/REV.db`` back (docs/reliability.md lists the commits).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FIXTURES = ROOT / "tests" / "fixtures" / "migrations"

if TYPE_CHECKING:
    from app.db import Database


def build(revision: str, target: Path) -> Path:
    from app.db import connect
    from app.db.engine import sqlite_backup
    from app.db.migrate import current_revision, head_revision
    from app.models import UnitKind
    from app.services.directives import list_directives
    from app.services.obligations import list_obligations, set_waived
    from app.services.sample import load_sample
    from app.services.submissions import SubmissionInput, record_submission
    from app.services.units import UnitInput, create_unit, list_units, update_unit

    if revision != head_revision():
        raise SystemExit(
            f"Revision {revision} is not head ({head_revision()}): a fixture is "
            "made by the program version whose newest revision it is."
        )
    live = target.with_name(target.stem + "-live.db")
    for suffix in ("", "-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    db = connect(str(live))
    try:
        assert current_revision(db) == revision
        load_sample(db)
        # A unit typed by hand (decomposed Vietnamese, as some keyboards send it), then edited.
        unit = create_unit(
            db,
            UnitInput(
                name="Ban Quản lý Khu kinh te\u0302\u0301 Dung Qua\u0301t",
                kind=UnitKind.OTHER,
                short_name="BQL KKT",
                email="bqlkkt@quangngai.gov.vn",
                note="Dòng 1\nDòng 2",
            ),
        )
        update_unit(
            db,
            unit.id,
            UnitInput(
                name=unit.name,
                kind=UnitKind.OTHER,
                short_name="BQL KKT Dung Quất",
                email=unit.email,
                note=unit.note,
            ),
            expected_version=unit.version,
        )
        day = dt.date(2018, 12, 31)
        rows = list_obligations(db, day)
        taken = 0
        first_id = 0
        for row in rows:
            if row.period_label in ("", "6 tháng đầu năm 2018") and taken < 12:
                received = row.due_date - dt.timedelta(days=taken % 5 - 2)
                info = record_submission(
                    db,
                    SubmissionInput(
                        obligation_id=row.id,
                        number_symbol=f"{40 + taken}/BC-UBND",
                        signed_date=received - dt.timedelta(days=1),
                        received_date=received,
                        signer="Nguyễn Văn Ánh",
                        channel="email" if taken % 2 else "giay",
                        summary=f"Báo cáo kết quả thực hiện – lần {taken + 1}",
                    ),
                    today=day,
                )
                first_id = first_id or info.id
                taken += 1
        set_waived(db, rows[-1].id, True, "Đơn vị đã sáp nhập")
        if revision >= "0002":  # files stored in the database (attachment_blob)
            _add_attachment(db, target.parent, first_id)
        if revision >= "0005":  # documents issued, a reminder addressed to units
            _add_issued(db)
        if revision >= "0007":  # the office's holiday table; a directive shifting due dates
            _add_calendar(db)
        if revision >= "0008":  # an Excel import recorded as a batch (it can be undone)
            _add_import(db, target.parent)
        assert list_directives(db) and list_units(db)
    finally:
        db.dispose()
    target.unlink(missing_ok=True)
    sqlite_backup(live, target)  # one self-contained file, journal_mode=DELETE
    for suffix in ("", "-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    con = sqlite3.connect(target)
    con.execute("VACUUM")
    con.close()
    return target


def _add_attachment(db: Database, folder: Path, submission_id: int) -> None:
    """A scanned report stored in the database for the first document received, and the
    document pointing at it (``db:<id>``)."""
    from app.services.attachment_blobs import put
    from app.services.submissions import set_attachment

    scan = folder / "Báo cáo số 40 (bản quét).pdf"
    scan.write_bytes(b"%PDF-1.4\n% Ban quet bao cao so 40/BC-UBND\n" + bytes(range(256)) * 8)
    try:
        ref = put(db, "submission", submission_id, scan)
    finally:
        scan.unlink()
    with db.write() as session:
        set_attachment(session, submission_id, ref)


def _add_issued(db: Database) -> None:
    from app.services.directives import list_directives
    from app.services.issued_documents import IssuedInput, record_issued
    from app.services.units import list_units

    directive = list_directives(db)[0].id
    units = tuple(u.id for u in list_units(db)[:2])
    record_issued(
        db,
        IssuedInput(
            kind="summary",
            as_of=dt.date(2018, 6, 25),
            directive_id=directive,
            number="15",
            issued_date=dt.date(2018, 6, 26),
            title="Kết quả theo dõi",
            signer="Nguyễn Văn Ánh",
            recipients=("Như trên", "Lưu: VT"),
            edits={"opening": "Thực hiện … (đoạn đã sửa)."},
        ),
    )
    record_issued(
        db,
        IssuedInput(
            kind="reminder",
            as_of=dt.date(2018, 5, 2),
            directive_id=directive,
            unit_ids=units,
            follow_up_round=1,
        ),
    )


def _add_calendar(db: Database) -> None:
    from app.services.calendar_days import CalendarDayInput, add_calendar_day
    from app.services.directives import DirectiveInput, create_directive

    add_calendar_day(
        db,
        CalendarDayInput(
            day=dt.date(2018, 4, 30), working=False, name="Nghỉ bù", basis="Thông báo số 01/TB-UBND"
        ),
        today=dt.date(2018, 1, 5),
    )
    add_calendar_day(
        db,
        CalendarDayInput(
            day=dt.date(2018, 5, 5), working=True, name="Làm bù", basis="Thông báo số 01/TB-UBND"
        ),
        today=dt.date(2018, 1, 5),
    )
    create_directive(
        db,
        DirectiveInput(
            number_symbol="99/UBND-NC",
            signed_date=dt.date(2018, 5, 2),
            subject="Dời hạn trùng ngày nghỉ",
            shift_due=True,
        ),
    )


def _add_import(db: Database, folder: Path) -> None:
    from openpyxl import Workbook

    from app.exchange.xlsx_import import apply_import, preview_import

    path = folder / "don-vi-nhap.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["Tên đơn vị", "Loại đơn vị", "Tên viết tắt"])
    ws.append(["Ban Quản lý dự án đầu tư xây dựng tỉnh", "Khác", "BQLDA"])
    wb.save(path)
    try:
        day = dt.date(2018, 12, 31)
        preview = preview_import(db, "units", path, today=day)
        assert not preview.has_errors, [r for r in preview.rows]
        apply_import(db, preview, today=day)
    finally:
        path.unlink()


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write(__doc__ or "")
        return 2
    FIXTURES.mkdir(parents=True, exist_ok=True)
    path = build(argv[0], FIXTURES / f"{argv[0]}.db")
    con = sqlite3.connect(path)
    tables = [
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    ]
    counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    con.close()
    print(f"{path} ({path.stat().st_size} bytes): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
