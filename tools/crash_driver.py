"""Write in a loop and acknowledge each committed write on stdout (used by crash_harness.py).

    python tools/crash_driver.py receive DB FIRST_NUMBER [COUNT]
    python tools/crash_driver.py edit DB FIRST_NUMBER [COUNT]
    python tools/crash_driver.py backup DB FIRST_NUMBER [COUNT]   (zips into <db folder>/kill-zips)
    python tools/crash_driver.py cli ARG...   (one CLI command, after printing READY)

Each iteration runs the real command line (``app.cli.run``) as a user would, one transaction
per document received; the id it prints is committed, so it is echoed (flushed) as
``ACK <id> <number>``. The harness kills this process with SIGKILL at a random moment and
then checks that every
acknowledged id is in the database.
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from app.cli import run  # noqa: E402

DIRECTIVE = "2116/UBND-NC"
TASK = "Báo cáo định kỳ năm"
PERIOD = "Năm 2018"
NUMBER_SUFFIX = "BC-KIEMTHU"


def unit_names() -> list[str]:
    """The units the sample's yearly report is asked of (departments and districts)."""
    from app.services.sample import sample_path

    data = json.loads(sample_path().read_text(encoding="utf-8"))
    return [
        u["name"]
        for u in data["units"]
        if u["kind"] in ("so_nganh", "huyen") and u.get("active", True) and not u.get("valid_to")
    ]


def receive_loop(db: str, first: int, count: int) -> int:
    units = unit_names()
    for n in range(first, first + count):
        out, err = io.StringIO(), io.StringIO()
        number = f"{n}/{NUMBER_SUFFIX}"
        code = run(
            [
                "--db",
                db,
                "receive",
                "--unit",
                units[n % len(units)],
                "--directive",
                DIRECTIVE,
                "--task",
                TASK,
                "--period",
                PERIOD,
                "--number",
                number,
                "--signed",
                "01/12/2018",
                "--received",
                "02/12/2018",
                "--today",
                "31/12/2018",
                "--summary",
                f"Báo cáo kiểm thử số {n}",
            ],
            out=out,
            err=err,
        )
        if code != 0:
            sys.stderr.write(err.getvalue())
            return code
        sys.stdout.write(f"ACK {out.getvalue().strip()} {number}\n")
        sys.stdout.flush()
    return 0


def edit_loop(db_path: str, first: int, count: int) -> int:
    """Record, correct and (every third) delete documents through the services, one
    transaction each; acknowledges ``ACK add|upd|del <id> <number>`` after each commit."""
    import datetime as dt

    from app.db import connect
    from app.services.obligations import list_obligations
    from app.services.submissions import (
        SubmissionInput,
        delete_submission,
        record_submission,
        update_submission,
    )

    today = dt.date(2018, 12, 31)
    db = connect(db_path)
    try:
        obligations = [r.id for r in list_obligations(db, today)]
        for n in range(first, first + count):
            number = f"{n}/{NUMBER_SUFFIX}"
            data = SubmissionInput(
                obligation_id=obligations[n % len(obligations)],
                number_symbol=number,
                signed_date=dt.date(2018, 12, 1),
                received_date=dt.date(2018, 12, 2),
                summary="v1",
            )
            info = record_submission(db, data, today=today)
            sys.stdout.write(f"ACK add {info.id} {number}\n")
            sys.stdout.flush()
            fixed = SubmissionInput(
                obligation_id=data.obligation_id,
                number_symbol=number,
                signed_date=data.signed_date,
                received_date=dt.date(2018, 12, 3),
                summary="v2",
            )
            update_submission(db, info.id, fixed, today=today)
            sys.stdout.write(f"ACK upd {info.id} {number}\n")
            sys.stdout.flush()
            if n % 3 == 0:
                delete_submission(db, info.id)
                sys.stdout.write(f"ACK del {info.id} {number}\n")
                sys.stdout.flush()
    finally:
        db.dispose()
    return 0


def backup_loop(db: str, first: int, count: int) -> int:
    """CLI ``backup`` again and again; ``ACK <path>`` once each zip is complete."""
    folder = Path(db).resolve().parent / "kill-zips"
    for n in range(first, first + count):
        out, err = io.StringIO(), io.StringIO()
        target = folder / f"b-{n}.zip"
        code = run(["--db", db, "backup", "--out", str(target)], out=out, err=err)
        if code != 0:
            sys.stderr.write(err.getvalue())
            return code
        sys.stdout.write(f"ACK {target}\n")
        sys.stdout.flush()
    return 0


def cli_once(argv: list[str]) -> int:
    """One CLI command (import, restore…) with the program already loaded: ``READY`` is printed
    just before it starts, so the harness times its kill from the command, not from Python's
    start-up; the command's output follows."""
    import app.exchange.backup
    import app.exchange.commands
    import app.exchange.xlsx_import  # noqa: F401

    sys.stdout.write("READY\n")
    sys.stdout.flush()
    return run(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == ["cli"]:
        return cli_once(argv[1:])
    loops = {"receive": receive_loop, "edit": edit_loop, "backup": backup_loop}
    if len(argv) < 3 or argv[0] not in loops:
        sys.stderr.write(__doc__ or "")
        return 2
    count = int(argv[3]) if len(argv) > 3 else 1_000_000
    return loops[argv[0]](argv[1], int(argv[2]), count)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
