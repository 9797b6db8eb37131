"""Kill the program with SIGKILL in the middle of writes, again and again: nothing is lost.

    python tools/crash_harness.py --kills 300 [--targets receive,sample] [--seed 1]

In the style of SQLite's own crash tests: for each round a *write target* (a command that
writes to the database and prints a line for every write it has committed) is started in a
subprocess and killed with SIGKILL after a random delay. Then:

1. ``PRAGMA integrity_check`` on the database file says ``ok``;
2. every acknowledged write is in the database (the target's ``verify``), and nothing is
   half-written (its invariants, e.g. each document has its audit row);
3. the program starts normally on the file (``app.cli.run(["--db", …, "status"])`` exits 0),
   and leaves no staging folder, restore journal or hidden attachments folder behind.

Adding a target: write a ``WriteTarget`` with
``prepare`` (make the files a round starts from), ``command`` (the argv to run and kill) and
``verify`` (the checks after the kill), and add it to ``TARGETS``. The short version runs in
``tests/core/test_crash_safety.py``; the numbers of the long one are in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PYTHON = sys.executable
DRIVER = ROOT / "tools" / "crash_driver.py"


class CrashCheckFailed(AssertionError):
    """A check after a kill did not hold: something was lost or damaged."""


@dataclass
class Round:
    """What one round leaves for the checks."""

    work: Path  # the round's folder
    db: Path  # the database file it writes
    acked: list[str] = field(default_factory=list)  # lines the target printed before the kill
    killed: bool = True  # False when the target finished before the kill came
    returncode: int | None = None
    stderr: str = ""
    outcome: str = ""  # what state the kill left, as found by the target's verify
    first_number: int = 0


@dataclass(frozen=True)
class WriteTarget:
    """A command that writes and acknowledges: what the harness kills."""

    name: str
    description: str
    prepare: Callable[[Round, int], None]  # (round, round number): make the starting files
    command: Callable[[Round, int], list[str]]  # the argv to start
    verify: Callable[[Round], None]  # raise CrashCheckFailed when something is lost
    min_delay: float = 0.05  # seconds before the kill, drawn uniformly in [min, max],
    max_delay: float = 2.0  # counted from the moment ``ready`` holds (from the start if None)
    ready: Callable[[Round], bool] | None = None  # e.g. "the first write is acknowledged"


# --- shared checks ----------------------------------------------------------------------------


def integrity_check(db: Path) -> None:
    """``PRAGMA integrity_check`` (opening the file also replays a leftover WAL, as the
    program does)."""
    if not db.exists():
        return
    con = sqlite3.connect(str(db))
    try:
        rows = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
        fk = con.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        con.close()
    if rows != ["ok"]:
        raise CrashCheckFailed(f"integrity_check on {db}: {rows[:5]}")
    if fk:
        raise CrashCheckFailed(f"foreign_key_check on {db}: {fk[:5]}")


def starts_normally(db: Path) -> None:
    """The program opens the file (migrating if needed) and answers a read command."""
    from app.cli import run

    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db), "status", "--as-of", "31/12/2018"], out=out, err=err)
    if code != 0:
        raise CrashCheckFailed(
            f"the program does not start on {db} (exit {code}): {err.getvalue().strip()}"
        )
    # Nothing left behind once it has started: no staging folder of a killed backup or
    # restore, no restore journal, no attachments folder hidden by a restore cut short.
    leftovers = sorted(
        p.name
        for p in db.resolve().parent.iterdir()
        if p.name.startswith(
            (".sotheodoi-tam-", ".khoi-phuc-dang-do", ".attachments-cu-", ".attachments-moi-")
        )
    )
    if leftovers:
        raise CrashCheckFailed(f"left behind after the start on {db}: {leftovers}")


def _query(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    con = sqlite3.connect(str(db))
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


# --- target: receive (documents entered one after another) -------------------------------------

_base_db_cache: dict[str, Path] = {}


def _sample_db(folder: Path) -> Path:
    """A database with the sample loaded, made once per run and copied for each round."""
    cached = _base_db_cache.get(str(folder))
    if cached and cached.exists():
        return cached
    from app.db import connect
    from app.db.engine import sqlite_backup
    from app.services.sample import load_sample

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "base-sample.db"
    made = folder / "base-sample-live.db"
    db = connect(str(made))
    try:
        load_sample(db)
    finally:
        db.dispose()
    sqlite_backup(made, path)
    _base_db_cache[str(folder)] = path
    return path


def _prepare_receive(rnd: Round, number: int) -> None:
    """Every third round starts from a fresh copy; the others go on with the killed file."""
    if not rnd.db.exists() or number % 3 == 0:
        for suffix in ("", "-wal", "-shm"):
            Path(str(rnd.db) + suffix).unlink(missing_ok=True)
        base = _sample_db(rnd.work.parent / "_base")
        rnd.db.write_bytes(base.read_bytes())


def _number(symbol: str) -> int:
    head = symbol.split("/", 1)[0]
    return int(head) if head.isdigit() else -1


def _command_receive(rnd: Round, number: int) -> list[str]:
    rnd.first_number = number * 100_000 + 1
    return [PYTHON, str(DRIVER), "receive", str(rnd.db), str(rnd.first_number)]


def _verify_receive(rnd: Round) -> None:
    acked = [line.split() for line in rnd.acked if line.startswith("ACK ")]
    rows = dict(_query(rnd.db, "SELECT id, number_symbol FROM submission"))
    acked_ids = {int(a[1]) for a in acked}
    new_rows = {
        i
        for i, n in rows.items()
        if rnd.first_number <= _number(str(n)) < rnd.first_number + 100_000
    }
    extra = len(new_rows - acked_ids)
    rnd.outcome = (
        "killed before the first write"
        if not acked and not extra
        else "killed between a commit and its acknowledgement"
        if extra
        else "killed between writes or inside an uncommitted one"
    )
    for _, sid, number in acked:
        if rows.get(int(sid)) != number:
            raise CrashCheckFailed(
                f"acknowledged document {number} (id {sid}) is missing from {rnd.db}"
            )
    _verify_receive_invariants(rnd)


def _verify_receive_invariants(rnd: Round) -> None:
    """Nothing half-written: each document has its audit row; counters agree."""
    orphans = _query(
        rnd.db,
        """
        SELECT s.id FROM submission s
        WHERE NOT EXISTS (SELECT 1 FROM audit_entry a
                          WHERE a.entity = 'submission' AND a.entity_id = s.id
                            AND a.action = 'create')""",
    )
    if orphans:
        raise CrashCheckFailed(f"documents without their audit row: {orphans[:5]}")
    stale = _query(
        rnd.db,
        """
        SELECT o.id, o.submission_count, o.first_received,
               (SELECT count(*) FROM submission s WHERE s.obligation_id = o.id),
               (SELECT min(received_date) FROM submission s WHERE s.obligation_id = o.id)
        FROM obligation o""",
    )
    wrong = [r for r in stale if (r[1], r[2]) != (r[3], r[4])]
    if wrong:
        raise CrashCheckFailed(
            f"obligations whose counts disagree with their documents: {wrong[:5]}"
        )


# --- target: edit (record, correct, delete documents) ------------------------------------------


def _command_edit(rnd: Round, number: int) -> list[str]:
    rnd.first_number = number * 100_000 + 1
    return [PYTHON, str(DRIVER), "edit", str(rnd.db), str(rnd.first_number)]


def _verify_edit(rnd: Round) -> None:
    """Each document is in the state of its last acknowledged step, or of the one step after
    it (committed, killed before the acknowledgement) — never anything else. Documents are
    followed by their number: SQLite may give a deleted document's id to the next one."""
    last: dict[str, tuple[str, int]] = {}
    for line in rnd.acked:
        if line.startswith("ACK "):
            _, step, sid, number = line.split()
            last[number] = (step, int(sid))
    rows = {
        str(r[1]): (int(r[0]), str(r[2]), str(r[3]))
        for r in _query(rnd.db, "SELECT id, number_symbol, summary, received_date FROM submission")
    }
    deleted = {
        int(r[0])
        for r in _query(
            rnd.db,
            "SELECT entity_id FROM audit_entry WHERE entity='submission' AND action='delete'",
        )
    }
    v1 = ("v1", "2018-12-02")
    v2 = ("v2", "2018-12-03")
    ahead = 0
    for number, (step, sid) in last.items():
        deletes = _number(number) % 3 == 0
        row = rows.get(number)
        state = "gone" if row is None else (row[1], row[2])
        if row is not None and row[0] != sid:
            raise CrashCheckFailed(f"document {number} has id {row[0]}, acknowledged as {sid}")
        allowed = {"add": [v1, v2], "upd": [v2] + (["gone"] if deletes else []), "del": ["gone"]}[
            step
        ]
        if state not in allowed:
            raise CrashCheckFailed(
                f"document {sid} ({number}) after an acknowledged {step}: "
                f"found {state}, allowed {allowed}"
            )
        if state == "gone" and sid not in deleted:
            raise CrashCheckFailed(f"document {sid} vanished without its audit row")
        ahead += int(state != allowed[0])
    ahead += sum(
        1
        for number, row in rows.items()
        if rnd.first_number <= _number(number) < rnd.first_number + 100_000 and number not in last
    )
    _verify_receive_invariants(rnd)
    rnd.outcome = (
        "killed before the first write"
        if not last and not ahead
        else "killed between a commit and its acknowledgement"
        if ahead
        else "killed between writes or inside an uncommitted one"
    )


# --- target: sample (a new database created, migrated and filled in one go) -------------------


def _prepare_fresh(rnd: Round, number: int) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(rnd.db) + suffix).unlink(missing_ok=True)


def _command_sample(rnd: Round, number: int) -> list[str]:
    return [PYTHON, "-m", "app", "--db", str(rnd.db), "sample"]


def _verify_sample(rnd: Round) -> None:
    if not rnd.db.exists():
        rnd.outcome = "killed before the file was created"
        return
    tables = {r[0] for r in _query(rnd.db, "SELECT name FROM sqlite_master WHERE type='table'")}
    if not tables:
        rnd.outcome = "killed during set-up: no table (migration rolled back or not begun)"
        return  # an empty file: the program sets it up on the next start
    from app.models.base import Base

    expected = set(Base.metadata.tables) | {"alembic_version"}
    stamp = (
        _query(rnd.db, "SELECT version_num FROM alembic_version")
        if ("alembic_version" in tables)
        else []
    )
    if not expected <= tables or not stamp:
        raise CrashCheckFailed(f"half a schema: tables {sorted(tables)}, revision {stamp}")
    units = _query(rnd.db, "SELECT count(*) FROM unit")[0][0]
    obligations = _query(rnd.db, "SELECT count(*) FROM obligation")[0][0]
    directives = _query(rnd.db, "SELECT count(*) FROM directive")[0][0]
    state = (units, directives, obligations)
    if state not in {(0, 0, 0), (34, 1, 82)}:
        raise CrashCheckFailed(f"sample half-loaded: units, directives, obligations = {state}")
    if any("Đã nạp dữ liệu mẫu" in line for line in rnd.acked) and state == (0, 0, 0):
        raise CrashCheckFailed("the sample was reported loaded but is not in the database")
    rnd.outcome = (
        "killed after set-up, sample not loaded (rolled back or not begun)"
        if state == (0, 0, 0)
        else "killed after the sample was committed"
    )


# --- target: import (one Excel file of documents, all or nothing) -----------------------------

IMPORT_ROWS = 150
IMPORT_SUFFIX = "NK-KIEMTHU"


def _import_file(rnd: Round, number: int) -> Path:
    """An .xlsx of ``IMPORT_ROWS`` received documents, numbered for this round."""
    import openpyxl

    from app.exchange.xlsx_columns import SUBMISSION_FIELDS
    from tools.crash_driver import DIRECTIVE, PERIOD, TASK, unit_names

    units = unit_names()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([f.header for f in SUBMISSION_FIELDS])
    rnd.first_number = number * 100_000 + 1
    for i in range(IMPORT_ROWS):
        n = rnd.first_number + i
        values = {
            "unit": units[i % len(units)],
            "directive": DIRECTIVE,
            "task": TASK,
            "period": PERIOD,
            "number_symbol": f"{n}/{IMPORT_SUFFIX}",
            "signed_date": "01/12/2018",
            "received_date": "02/12/2018",
            "signer": "Nguyễn Văn Ánh",
            "channel": "Giấy",
            "summary": f"Báo cáo nhập từ Excel số {n}",
        }
        ws.append([values.get(f.key, "") for f in SUBMISSION_FIELDS])
    path = rnd.work / "nhap.xlsx"
    wb.save(path)
    return path


def _command_import(rnd: Round, number: int) -> list[str]:
    path = _import_file(rnd, number)
    return [
        PYTHON,
        str(DRIVER),
        "cli",
        "--db",
        str(rnd.db),
        "import",
        "submissions",
        str(path),
        "--today",
        "31/12/2018",
    ]


def _verify_import(rnd: Round) -> None:
    """All the file's rows or none of them; a reported import is complete."""
    rows = _query(
        rnd.db,
        "SELECT number_symbol FROM submission WHERE number_symbol LIKE ?",
        (f"%/{IMPORT_SUFFIX}",),
    )
    mine = sum(
        1 for (n,) in rows if rnd.first_number <= _number(str(n)) < rnd.first_number + IMPORT_ROWS
    )
    reported = any(line.startswith("Đã nhập") for line in rnd.acked)
    if mine not in (0, IMPORT_ROWS):
        raise CrashCheckFailed(f"import half-applied: {mine} of {IMPORT_ROWS} rows in {rnd.db}")
    if (reported or not rnd.killed) and mine != IMPORT_ROWS:
        raise CrashCheckFailed(f"import reported done but only {mine} rows are in {rnd.db}")
    _verify_receive_invariants(rnd)
    rnd.outcome = (
        "killed after the import was committed"
        if mine
        else "killed before the import committed: nothing written"
    )


# --- target: backup (zips written one after another) ------------------------------------------


def _zip_folder(rnd: Round) -> Path:
    return rnd.db.parent / "kill-zips"


def _prepare_backup(rnd: Round, number: int) -> None:
    _prepare_receive(rnd, number)
    import shutil

    shutil.rmtree(_zip_folder(rnd), ignore_errors=True)


def _command_backup(rnd: Round, number: int) -> list[str]:
    rnd.first_number = number * 100_000 + 1
    return [PYTHON, str(DRIVER), "backup", str(rnd.db), str(rnd.first_number)]


def _verify_backup_files(folder: Path, acked: list[str]) -> tuple[int, int]:
    """Every ``.zip`` in ``folder`` verifies; every acknowledged one exists. Returns (zips,
    leftover temp files)."""
    from app.errors import AppError
    from app.exchange.backup import verify_backup

    zips = sorted(folder.glob("*.zip")) if folder.is_dir() else []
    for path in zips:
        try:
            verify_backup(path)
        except AppError as exc:
            raise CrashCheckFailed(
                f"a backup file that does not verify: {path}: {exc.message}"
            ) from exc
    for line in acked:
        if line.startswith("ACK ") and not Path(line[4:]).is_file():
            raise CrashCheckFailed(f"acknowledged backup {line[4:]} is missing")
    temps = [p for p in folder.glob(".*.tmp")] if folder.is_dir() else []
    return len(zips), len(temps)


def _verify_backup(rnd: Round) -> None:
    zips, temps = _verify_backup_files(_zip_folder(rnd), rnd.acked)
    _verify_receive_invariants(rnd)
    rnd.outcome = (
        "killed while writing a zip (its temp file left, no .zip of it)"
        if temps
        else "killed between backups (every zip complete)"
    )
    if zips < sum(1 for line in rnd.acked if line.startswith("ACK ")):
        raise CrashCheckFailed("fewer zips than acknowledged backups")


# --- target: restore (the whole database replaced by a backup's) ------------------------------

RESTORE_OLD = ("OLD", 5)
RESTORE_NEW = ("NEW", 9)
_restore_cache: dict[str, tuple[Path, Path, dict[str, int], dict[str, int]]] = {}


def _with_documents(base: Path, target: Path, marker: str, count: int) -> None:
    import datetime as dt

    from app.db import connect
    from app.services.obligations import list_obligations
    from app.services.submissions import SubmissionInput, record_submission

    target.write_bytes(base.read_bytes())
    today = dt.date(2018, 12, 31)
    db = connect(str(target))
    try:
        obligations = [r.id for r in list_obligations(db, today)]
        for i in range(count):
            record_submission(
                db,
                SubmissionInput(
                    obligation_id=obligations[i],
                    number_symbol=f"{i + 1}/{marker}-KIEMTHU",
                    signed_date=dt.date(2018, 12, 1),
                    received_date=dt.date(2018, 12, 2),
                    summary=marker,
                ),
                today=today,
            )
    finally:
        db.dispose()


def _restore_files(folder: Path) -> tuple[Path, Path, dict[str, int], dict[str, int]]:
    """(old database, backup zip of the new state, table counts of each), made once a run."""
    cached = _restore_cache.get(str(folder))
    if cached and cached[0].exists():
        return cached
    import datetime as dt

    from app.db import connect
    from app.db.engine import sqlite_backup
    from app.exchange.backup import create_backup, table_counts

    base = _sample_db(folder)
    old_live, new_live = folder / "restore-old-live.db", folder / "restore-new-live.db"
    _with_documents(base, old_live, *RESTORE_OLD)
    _with_documents(base, new_live, *RESTORE_NEW)
    old = folder / "restore-old.db"
    old.unlink(missing_ok=True)
    sqlite_backup(old_live, old)
    db = connect(str(new_live))
    try:
        zip_path = create_backup(
            db, folder / "restore-new.zip", now=dt.datetime(2019, 1, 2, 8, 0)
        ).path
    finally:
        db.dispose()
    result = (old, zip_path, table_counts(old), table_counts(new_live))
    _restore_cache[str(folder)] = result
    return result


def _prepare_restore(rnd: Round, number: int) -> None:
    import shutil

    old, _zip, _a, _b = _restore_files(rnd.work.parent / "_base")
    for suffix in ("", "-wal", "-shm"):
        Path(str(rnd.db) + suffix).unlink(missing_ok=True)
    shutil.rmtree(rnd.db.parent / "backups", ignore_errors=True)
    rnd.db.write_bytes(old.read_bytes())


def _command_restore(rnd: Round, number: int) -> list[str]:
    _old, zip_path, _a, _b = _restore_files(rnd.work.parent / "_base")
    return [PYTHON, str(DRIVER), "cli", "--db", str(rnd.db), "restore", str(zip_path)]


def _verify_restore(rnd: Round) -> None:
    """The old data or the backup's, entirely; a reported restore holds the backup's; the
    safety copy made first is either absent or a backup that verifies."""
    from app.exchange.backup import table_counts

    _old, _zip, old_counts, new_counts = _restore_files(rnd.work.parent / "_base")
    counts = table_counts(rnd.db)
    markers = {
        m: _query(
            rnd.db,
            "SELECT count(*) FROM submission WHERE number_symbol LIKE ?",
            (f"%/{m}-KIEMTHU",),
        )[0][0]
        for m in ("OLD", "NEW")
    }
    is_old = counts == old_counts and markers == {"OLD": RESTORE_OLD[1], "NEW": 0}
    is_new = counts == new_counts and markers == {"OLD": 0, "NEW": RESTORE_NEW[1]}
    if not (is_old or is_new):
        raise CrashCheckFailed(f"restore left a mix: markers {markers}, counts {counts}")
    reported = any(line.startswith("Đã khôi phục") for line in rnd.acked)
    if (reported or not rnd.killed) and not is_new:
        raise CrashCheckFailed("restore reported done but the old data is still there")
    zips, temps = _verify_backup_files(rnd.db.parent / "backups", [])
    _verify_receive_invariants(rnd)
    rnd.outcome = (
        "killed after the restore: the backup's data"
        if is_new
        else "killed before the restore: the old data, safety copy complete"
        if zips
        else "killed before the restore: the old data, safety copy half-written (temp file only)"
        if temps
        else "killed before the restore: the old data, no safety copy yet"
    )


def _started(rnd: Round) -> bool:
    return "READY" in rnd.acked


TARGETS: dict[str, WriteTarget] = {
    "receive": WriteTarget(
        "receive",
        "CLI `receive` in a loop (one document per transaction)",
        _prepare_receive,
        _command_receive,
        _verify_receive,
        min_delay=0.0,
        max_delay=1.5,
        ready=lambda rnd: bool(rnd.acked),
    ),
    "edit": WriteTarget(
        "edit",
        "services: record, correct and delete documents (one transaction each)",
        _prepare_receive,
        _command_edit,
        _verify_edit,
        min_delay=0.0,
        max_delay=1.5,
        ready=lambda rnd: bool(rnd.acked),
    ),
    "sample": WriteTarget(
        "sample",
        "new database: create, migrate to head, load the sample (`sample`)",
        _prepare_fresh,
        _command_sample,
        _verify_sample,
        min_delay=0.0,
        max_delay=0.3,
        ready=lambda rnd: rnd.db.exists(),
    ),
    "import": WriteTarget(
        "import",
        f"CLI `import submissions` of a {IMPORT_ROWS}-row Excel file (all or nothing)",
        _prepare_receive,
        _command_import,
        _verify_import,
        min_delay=0.0,
        max_delay=0.8,
        ready=_started,
    ),
    "backup": WriteTarget(
        "backup",
        "CLI `backup` in a loop (zip through a temp file, then renamed)",
        _prepare_backup,
        _command_backup,
        _verify_backup,
        min_delay=0.0,
        max_delay=1.0,
        ready=lambda rnd: bool(rnd.acked),
    ),
    "restore": WriteTarget(
        "restore",
        "CLI `restore` of a backup (safety copy first, then the data replaced)",
        _prepare_restore,
        _command_restore,
        _verify_restore,
        min_delay=0.0,
        max_delay=0.8,
        ready=_started,
    ),
}


# --- the loop -----------------------------------------------------------------------------------


def _reader(stream: io.TextIOBase, lines: list[str]) -> None:
    for line in stream:
        lines.append(line.rstrip("\n"))


def run_round(target: WriteTarget, work: Path, number: int, rng: random.Random) -> Round:
    """Start the target, SIGKILL it after a random delay, then run every check."""
    work.mkdir(parents=True, exist_ok=True)
    rnd = Round(work=work, db=work / "crash.db")
    target.prepare(rnd, number)
    env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        target.command(rnd, number),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
    )
    reader = threading.Thread(target=_reader, args=(proc.stdout, rnd.acked), daemon=True)
    reader.start()
    delay = rng.uniform(target.min_delay, target.max_delay)
    if target.ready is not None:
        deadline = time.monotonic() + 60
        while not target.ready(rnd) and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
    try:
        proc.wait(timeout=delay)
        rnd.killed = False
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    reader.join(timeout=5)
    rnd.returncode = proc.returncode
    rnd.stderr = proc.stderr.read() if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if not rnd.killed and proc.returncode != 0:
        raise CrashCheckFailed(
            f"{target.name} failed before the kill (exit {proc.returncode}): {rnd.stderr[-2000:]}"
        )
    integrity_check(rnd.db)
    target.verify(rnd)
    starts_normally(rnd.db)
    integrity_check(rnd.db)
    return rnd


@dataclass
class Report:
    rounds: dict[str, int] = field(default_factory=dict)
    kills: dict[str, int] = field(default_factory=dict)
    acked: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, dict[str, int]] = field(default_factory=dict)

    def describe(self) -> str:
        lines = []
        for name in self.rounds:
            lines.append(
                f"{name}: {self.rounds[name]} rounds, {self.kills[name]} killed by "
                f"SIGKILL mid-write, {self.acked[name]} acknowledged writes checked; "
                "integrity ok, nothing lost, the program starts normally"
            )
            for outcome, count in sorted(self.outcomes.get(name, {}).items()):
                lines.append(f"    {count:5d} × {outcome}")
        return "\n".join(lines)


def run_harness(
    kills: int,
    work: Path,
    target_names: list[str] | None = None,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """``kills`` rounds spread over the targets in turn; raises CrashCheckFailed on a loss."""
    if os.name != "posix":
        raise SystemExit("SIGKILL needs a POSIX system; run this on Linux or macOS.")
    rng = random.Random(seed)
    names = target_names or list(TARGETS)
    report = Report({n: 0 for n in names}, {n: 0 for n in names}, {n: 0 for n in names})
    for number in range(kills):
        name = names[number % len(names)]
        target = TARGETS[name]
        rnd = run_round(target, work / name, number, rng)
        report.rounds[name] += 1
        report.kills[name] += int(rnd.killed)
        report.acked[name] += sum(1 for line in rnd.acked if line.startswith("ACK "))
        if rnd.killed:
            by_name = report.outcomes.setdefault(name, {})
            by_name[rnd.outcome] = by_name.get(rnd.outcome, 0) + 1
        if progress:
            progress(
                f"[{number + 1}/{kills}] {name}: "
                f"{'killed' if rnd.killed else 'finished'} after "
                f"{len(rnd.acked)} acknowledged lines; checks ok"
            )
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else "")
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument(
        "--targets", default=",".join(TARGETS), help="comma-separated: " + ", ".join(TARGETS)
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="folder for the databases")
    args = parser.parse_args(argv)
    import tempfile

    work = args.work or Path(tempfile.mkdtemp(prefix="crash-"))
    started = time.monotonic()
    try:
        report = run_harness(args.kills, work, args.targets.split(","), args.seed, progress=print)
    except CrashCheckFailed as exc:
        print(f"FAILED: {exc}\n(files kept in {work})")
        return 1
    print(report.describe())
    print(f"{args.kills} rounds in {time.monotonic() - started:.0f} s (files in {work})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
