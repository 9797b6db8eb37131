"""Short version of tools/crash_harness.py: SIGKILL mid-write, then nothing is lost."""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))

import crash_harness  # noqa: E402

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL needs POSIX")


def test_receive_loop_survives_sigkill(tmp_path: Path) -> None:
    report = crash_harness.run_harness(3, tmp_path, ["receive"], seed=11)
    assert report.kills["receive"] == 3
    assert report.acked["receive"] > 0  # the kills came after real, acknowledged writes


def test_new_database_and_sample_survive_sigkill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Set-up and sample take about 0.25 s once the file exists: kill inside that window.
    target = dataclasses.replace(crash_harness.TARGETS["sample"], max_delay=0.15)
    monkeypatch.setitem(crash_harness.TARGETS, "sample", target)
    report = crash_harness.run_harness(4, tmp_path, ["sample"], seed=5)
    assert report.rounds["sample"] == 4
    assert report.kills["sample"] >= 1


def test_checks_detect_a_lost_acknowledged_write(tmp_path: Path) -> None:
    """The harness itself: an acknowledged id that is not in the file is reported."""
    rnd = crash_harness.Round(work=tmp_path, db=tmp_path / "crash.db")
    crash_harness._prepare_receive(rnd, 0)
    rnd.acked = ["ACK 999999 1/BC-KIEMTHU"]
    with pytest.raises(crash_harness.CrashCheckFailed, match="missing"):
        crash_harness._verify_receive(rnd)


def test_checks_detect_half_a_schema(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "crash.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("CREATE TABLE unit (id INTEGER PRIMARY KEY)")
    con.commit()
    con.close()
    with pytest.raises(crash_harness.CrashCheckFailed, match="half a schema"):
        crash_harness._verify_sample(crash_harness.Round(work=tmp_path, db=db))


def test_edits_survive_sigkill(tmp_path: Path) -> None:
    report = crash_harness.run_harness(2, tmp_path, ["edit"], seed=3)
    assert report.kills["edit"] == 2 and report.acked["edit"] > 0


def test_checks_detect_a_document_back_from_the_dead(tmp_path: Path) -> None:
    """An acknowledged deletion whose document is still there is reported."""
    import datetime as dt

    from app.db import connect
    from app.services.obligations import list_obligations
    from app.services.submissions import SubmissionInput, record_submission

    rnd = crash_harness.Round(work=tmp_path, db=tmp_path / "crash.db")
    crash_harness._prepare_receive(rnd, 0)
    db = connect(str(rnd.db))
    try:
        obligation = list_obligations(db, dt.date(2018, 12, 31))[0].id
        info = record_submission(
            db,
            SubmissionInput(
                obligation_id=obligation,
                number_symbol="3/BC-KIEMTHU",
                signed_date=dt.date(2018, 12, 1),
                received_date=dt.date(2018, 12, 2),
                summary="v2",
            ),
            today=dt.date(2018, 12, 31),
        )
    finally:
        db.dispose()
    rnd.acked = [
        f"ACK add {info.id} 3/BC-KIEMTHU",
        f"ACK upd {info.id} 3/BC-KIEMTHU",
        f"ACK del {info.id} 3/BC-KIEMTHU",
    ]
    with pytest.raises(crash_harness.CrashCheckFailed, match="after an acknowledged del"):
        crash_harness._verify_edit(rnd)


def test_checks_allow_sqlite_to_reuse_a_deleted_id(tmp_path: Path) -> None:
    """Deleted 3/…, then 4/… committed with the same id before the kill: nothing lost."""
    import datetime as dt

    from app.db import connect
    from app.services.obligations import list_obligations
    from app.services.submissions import (
        SubmissionInput,
        delete_submission,
        record_submission,
    )

    rnd = crash_harness.Round(work=tmp_path, db=tmp_path / "crash.db", first_number=1)
    crash_harness._prepare_receive(rnd, 0)
    db = connect(str(rnd.db))
    try:
        obligation = list_obligations(db, dt.date(2018, 12, 31))[0].id

        def add(number: str, summary: str) -> int:
            return record_submission(
                db,
                SubmissionInput(
                    obligation_id=obligation,
                    number_symbol=number,
                    signed_date=dt.date(2018, 12, 1),
                    received_date=dt.date(2018, 12, 2),
                    summary=summary,
                ),
                today=dt.date(2018, 12, 31),
            ).id

        first = add("3/BC-KIEMTHU", "v2")
        delete_submission(db, first)
        second = add("4/BC-KIEMTHU", "v1")
    finally:
        db.dispose()
    assert second == first  # SQLite gave the deleted document's id to the next one
    rnd.acked = [
        f"ACK add {first} 3/BC-KIEMTHU",
        f"ACK upd {first} 3/BC-KIEMTHU",
        f"ACK del {first} 3/BC-KIEMTHU",
    ]
    crash_harness._verify_edit(rnd)
    assert rnd.outcome == "killed between a commit and its acknowledgement"


# --- import, backup, restore ------------------------------------------------------------------


def test_import_survives_sigkill(tmp_path: Path) -> None:
    """All of the Excel file's rows or none, after each kill."""
    report = crash_harness.run_harness(3, tmp_path, ["import"], seed=21)
    assert report.rounds["import"] == 3
    assert sum(report.outcomes.get("import", {}).values()) == report.kills["import"]


def test_backup_loop_survives_sigkill(tmp_path: Path) -> None:
    """Every zip left verifies; every acknowledged one is there."""
    report = crash_harness.run_harness(3, tmp_path, ["backup"], seed=22)
    assert report.kills["backup"] == 3 and report.acked["backup"] > 0


def test_restore_survives_sigkill(tmp_path: Path) -> None:
    """The old data or the backup's, never a mix; the program starts."""
    report = crash_harness.run_harness(3, tmp_path, ["restore"], seed=23)
    assert report.rounds["restore"] == 3


def test_checks_detect_a_half_applied_import(tmp_path: Path) -> None:
    import datetime as dt

    from app.db import connect
    from app.services.obligations import list_obligations
    from app.services.submissions import SubmissionInput, record_submission

    rnd = crash_harness.Round(work=tmp_path, db=tmp_path / "crash.db")
    crash_harness._prepare_receive(rnd, 0)
    crash_harness._import_file(rnd, 1)
    db = connect(str(rnd.db))
    try:
        obligation = list_obligations(db, dt.date(2018, 12, 31))[0].id
        record_submission(
            db,
            SubmissionInput(
                obligation_id=obligation,
                number_symbol=f"{rnd.first_number}/{crash_harness.IMPORT_SUFFIX}",
                signed_date=dt.date(2018, 12, 1),
                received_date=dt.date(2018, 12, 2),
            ),
            today=dt.date(2018, 12, 31),
        )
    finally:
        db.dispose()
    with pytest.raises(crash_harness.CrashCheckFailed, match="half-applied"):
        crash_harness._verify_import(rnd)


def test_checks_detect_a_damaged_backup_zip(tmp_path: Path) -> None:
    folder = tmp_path / "kill-zips"
    folder.mkdir()
    (folder / "b-1.zip").write_bytes(b"PK\x03\x04 not a whole zip")
    with pytest.raises(crash_harness.CrashCheckFailed, match="does not verify"):
        crash_harness._verify_backup_files(folder, [])
    with pytest.raises(crash_harness.CrashCheckFailed, match="missing"):
        crash_harness._verify_backup_files(tmp_path, [f"ACK {tmp_path / 'gone.zip'}"])


def test_checks_detect_a_restore_that_mixed_old_and_new(tmp_path: Path) -> None:
    """Old data plus one of the backup's documents is neither state: reported."""
    import datetime as dt

    from app.db import connect
    from app.services.obligations import list_obligations
    from app.services.submissions import SubmissionInput, record_submission

    rnd = crash_harness.Round(
        work=tmp_path / "restore", db=tmp_path / "restore" / "crash.db", killed=True
    )
    rnd.work.mkdir()
    crash_harness._prepare_restore(rnd, 0)
    crash_harness._verify_restore(rnd)  # untouched old data passes
    assert rnd.outcome.startswith("killed before the restore")
    db = connect(str(rnd.db))
    try:
        obligation = list_obligations(db, dt.date(2018, 12, 31))[-1].id
        record_submission(
            db,
            SubmissionInput(
                obligation_id=obligation,
                number_symbol="1/NEW-KIEMTHU",
                signed_date=dt.date(2018, 12, 1),
                received_date=dt.date(2018, 12, 2),
            ),
            today=dt.date(2018, 12, 31),
        )
    finally:
        db.dispose()
    with pytest.raises(crash_harness.CrashCheckFailed, match="mix"):
        crash_harness._verify_restore(rnd)
