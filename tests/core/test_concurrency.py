"""Two specialists, two PCs, one database: the second save of the same record never overwrites
the first silently. Runs on SQLite and, with SOTHEODOI_TEST_DATABASE_URL, on PostgreSQL."""

import datetime as dt
from collections.abc import Iterator

import pytest

from app.db import Database, open_database
from app.errors import StaleEdit
from app.models import Unit
from app.services import audit, directives, submissions, units

D = dt.date


@pytest.fixture
def two_pcs(
    sample_db: Database, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Database, Database]]:
    """PC A (the fixture's engine) and PC B (a second engine on the same database)."""
    other = open_database(sample_db.url)
    yield sample_db, other
    other.dispose()


def _unit_input(info: units.UnitInfo, **changes: object) -> units.UnitInput:
    fields = dict(
        name=info.name,
        kind=info.kind,
        short_name=info.short_name,
        head_title=info.head_title,
        address=info.address,
        phone=info.phone,
        email=info.email,
        contact_person=info.contact_person,
        note=info.note,
        active=info.active,
        valid_from=info.valid_from,
        valid_to=info.valid_to,
    )
    fields.update(changes)
    return units.UnitInput(**fields)  # type: ignore[arg-type]


def _find(db: Database, name: str) -> units.UnitInfo:
    with db.read() as session:
        unit_id = units.find_unit(session, name).id
    return units.get_unit(db, unit_id)


def test_second_save_gets_stale_edit_with_the_first_persons_values(two_pcs, monkeypatch):
    pc_a, pc_b = two_pcs
    seen_by_a = _find(pc_a, "Sơn Tịnh")
    seen_by_b = units.get_unit(pc_b, seen_by_a.id)
    assert seen_by_a.version == seen_by_b.version

    monkeypatch.setenv("SOTHEODOI_USER", "Nguyễn Văn A")
    saved = units.update_unit(
        pc_a,
        seen_by_a.id,
        _unit_input(seen_by_a, phone="0255 3841 111"),
        expected_version=seen_by_a.version,
    )
    assert saved.version == seen_by_a.version + 1

    monkeypatch.setenv("SOTHEODOI_USER", "Trần Thị B")
    with pytest.raises(StaleEdit) as err:
        units.update_unit(
            pc_b,
            seen_by_b.id,
            _unit_input(seen_by_b, phone="0999 999 999"),
            expected_version=seen_by_b.version,
        )
    stale = err.value
    assert stale.entity == "unit" and stale.entity_id == seen_by_a.id
    assert stale.current["phone"] == "0255 3841 111"
    assert stale.current_version == saved.version
    assert stale.changed_by == "Nguyễn Văn A"
    assert "Nguyễn Văn A" in stale.message and "không có gì bị ghi đè" in stale.message
    # nothing overwritten, and B's attempt left no trace in the history
    assert units.get_unit(pc_a, seen_by_a.id).phone == "0255 3841 111"
    history = audit.history(pc_a, "unit", seen_by_a.id)
    assert [h.user for h in history][:1] == ["Nguyễn Văn A"]
    assert all(h.after.get("phone") != "0999 999 999" for h in history)

    # B chooses to save over it, knowingly: with the version it has now seen
    final = units.update_unit(
        pc_b,
        seen_by_b.id,
        _unit_input(seen_by_b, phone="0999 999 999"),
        expected_version=stale.current_version,
    )
    assert final.phone == "0999 999 999" and final.version == saved.version + 1
    assert audit.history(pc_a, "unit", seen_by_a.id)[0].user == "Trần Thị B"


@pytest.mark.pg_only  # SQLite (WAL) refuses B's write outright: its read snapshot is stale
def test_race_between_read_and_write_is_caught_by_the_version_column(two_pcs, monkeypatch):
    """B has read the row in its transaction; A commits; B's UPDATE matches no row
    (StaleDataError) and Database.write turns it into StaleEdit with A's values."""
    pc_a, pc_b = two_pcs
    info = _find(pc_a, "Bình Sơn")
    monkeypatch.setenv("SOTHEODOI_USER", "Người A")
    with pytest.raises(StaleEdit) as err, pc_b.write() as session:
        unit = session.get(Unit, info.id)
        assert unit is not None
        unit.note = "ghi chú của B"
        units.update_unit(pc_a, info.id, _unit_input(info, note="ghi chú của A"))
        session.flush()
    assert err.value.current["note"] == "ghi chú của A"
    assert err.value.changed_by == "Người A"
    assert units.get_unit(pc_a, info.id).note == "ghi chú của A"


@pytest.mark.pg_only  # SQLite (WAL) refuses B's write outright: its read snapshot is stale
def test_record_deleted_by_the_other_person(two_pcs):
    pc_a, pc_b = two_pcs
    created = units.create_unit(pc_a, units.UnitInput(name="Ban Quản lý thử nghiệm", kind="khac"))
    with pytest.raises(StaleEdit) as err, pc_b.write() as session:
        unit = session.get(Unit, created.id)
        assert unit is not None
        unit.note = "sửa"
        units.delete_unit(pc_a, created.id)
        session.flush()
    assert err.value.deleted and "xoá" in err.value.message


def test_directive_task_and_submission_versions(two_pcs):
    pc_a, pc_b = two_pcs
    (directive,) = directives.list_directives(pc_a)
    data = directives.DirectiveInput(
        number_symbol=directive.number_symbol,
        signed_date=directive.signed_date,
        issuer=directive.issuer,
        signer=directive.signer,
        subject=directive.subject + " (A)",
    )
    directives.update_directive(pc_a, directive.id, data, expected_version=directive.version)
    with pytest.raises(StaleEdit) as err:
        directives.update_directive(pc_b, directive.id, data, expected_version=directive.version)
    assert err.value.current["subject"].endswith("(A)")

    task = directive.tasks[0]
    task_data = directives.TaskInput(
        title=task.title + " (A)",
        kind=task.kind,
        due_date=task.due_date,
        unit_kinds=task.unit_kinds,
        unit_ids=task.unit_ids,
    )
    directives.update_task(pc_a, task.id, task_data, expected_version=task.version)
    with pytest.raises(StaleEdit) as err:
        directives.update_task(pc_b, task.id, task_data, expected_version=task.version)
    assert err.value.current["title"] == task.title + " (A)"

    with pc_a.read() as session:
        obligation = submissions.resolve_obligation(
            session,
            unit="Sơn Tịnh",
            directive=directive.number_symbol,
            task=task.title + " (A)",
            period=None,
        )
        obligation_id = obligation.id
    sub_in = submissions.SubmissionInput(
        obligation_id=obligation_id,
        number_symbol="45/KH-UBND",
        signed_date=D(2018, 4, 25),
        received_date=D(2018, 4, 28),
    )
    first = submissions.record_submission(pc_a, sub_in, today=D(2018, 5, 2))
    changed = submissions.SubmissionInput(**{**sub_in.__dict__, "signer": "Chủ tịch"})
    submissions.update_submission(
        pc_a, first.id, changed, today=D(2018, 5, 2), expected_version=first.version
    )
    with pytest.raises(StaleEdit) as err:
        submissions.update_submission(
            pc_b, first.id, sub_in, today=D(2018, 5, 2), expected_version=first.version
        )
    assert err.value.current["signer"] == "Chủ tịch"
    assert submissions.get_submission(pc_a, first.id).signer == "Chủ tịch"


def test_on_a_server_the_shared_settings_name_is_not_everyones(two_pcs, monkeypatch):
    """The audit trail names who changed a record; on a server, the shared settings'
    user_name would name everybody the same, so the PC's own name or the OS user is used."""
    pc_a, _pc_b = two_pcs
    from app.settings import save_settings

    with pc_a.write() as session:
        save_settings(session, user_name="Tên chung trong cài đặt")
    with pc_a.read() as session:
        name = audit.current_user(session)
    if pc_a.is_sqlite:
        assert name == "Tên chung trong cài đặt"
    else:
        assert name != "Tên chung trong cài đặt" and name
    monkeypatch.setenv("SOTHEODOI_USER", "Máy của chị Lan")
    with pc_a.read() as session:
        assert audit.current_user(session) == "Máy của chị Lan"


def test_report_texts_deactivate_and_delete_check_the_version_too(two_pcs):
    """The free-text report sections are edited at length: a second save never replaces the
    first silently; nor does deactivating or deleting what someone just changed."""
    pc_a, pc_b = two_pcs
    (directive,) = directives.list_directives(pc_a)
    directives.save_report_texts(
        pc_a,
        directive.id,
        assessment="Đánh giá của A",
        difficulties="",
        proposals="",
        expected_version=directive.version,
    )
    with pytest.raises(StaleEdit) as err:
        directives.save_report_texts(
            pc_b,
            directive.id,
            assessment="Đánh giá của B",
            difficulties="",
            proposals="",
            expected_version=directive.version,
        )
    assert err.value.current["report_assessment"] == "Đánh giá của A"
    with pytest.raises(StaleEdit):
        directives.delete_directive(pc_b, directive.id, expected_version=directive.version)
    assert directives.get_directive(pc_a, directive.id).report_assessment == "Đánh giá của A"

    unit = _find(pc_a, "Trà Bồng")
    units.update_unit(pc_a, unit.id, _unit_input(unit, note="đổi"), expected_version=unit.version)
    with pytest.raises(StaleEdit):
        units.set_active(pc_b, unit.id, False, expected_version=unit.version)
    with pytest.raises(StaleEdit):
        units.delete_unit(pc_b, unit.id, expected_version=unit.version)
    assert units.get_unit(pc_a, unit.id).active


@pytest.mark.pg_only
def test_waiting_behind_another_pcs_lock_gives_up_with_a_message(sample_db, monkeypatch):
    """PC A holds the unit's row in a long transaction; PC B's save does not hang for ever."""
    from sqlalchemy import text

    from app.db import engine as engine_module
    from app.errors import Conflict

    monkeypatch.setattr(engine_module, "LOCK_TIMEOUT_MS", 300)
    pc_b = open_database(sample_db.url)
    info = _find(sample_db, "Sơn Hà")
    try:
        with sample_db.engine.connect() as holder:
            holder.execute(text("SELECT 1 FROM unit WHERE id = :i FOR UPDATE"), {"i": info.id})
            with pytest.raises(Conflict) as err:
                units.update_unit(
                    pc_b, info.id, _unit_input(info, note="B"), expected_version=info.version
                )
            assert "máy khác cập nhật" in err.value.message
            holder.rollback()
        assert (
            units.update_unit(
                pc_b, info.id, _unit_input(info, note="B"), expected_version=info.version
            ).note
            == "B"
        )
    finally:
        pc_b.dispose()


@pytest.mark.sqlite_only
def test_two_receive_loops_on_one_file_all_wait_and_succeed(tmp_path):
    """Two processes each record 200 documents through the real CLI on one SQLite file at the
    same time. Writes begin as writes (BEGIN IMMEDIATE), so each waits behind the other
    instead of being refused at once (a deferred BEGIN followed by a read never reached
    SQLite's busy handler: 2-7 % of writes were refused with "đã chờ 5 giây")."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    from app.cli import run
    from app.db import connect
    from app.models import Submission

    root = Path(__file__).resolve().parents[2]
    db_file = tmp_path / "chung.db"
    assert run(["--db", str(db_file), "sample"]) == 0
    env = dict(os.environ, PYTHONPATH=str(root))
    driver = str(root / "tools" / "crash_driver.py")
    loops = [
        subprocess.Popen(
            [sys.executable, driver, "receive", str(db_file), str(first), "200"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for first in (0, 1000)
    ]
    results = [p.communicate(timeout=300) for p in loops]
    for process, (stdout, stderr) in zip(loops, results, strict=True):
        assert process.returncode == 0, stderr
        assert stderr == ""
        assert len([line for line in stdout.splitlines() if line.startswith("ACK ")]) == 200
    acknowledged = {int(line.split()[1]) for stdout, _ in results for line in stdout.splitlines()}
    db = connect(str(db_file))
    try:
        with db.read() as session:
            from sqlalchemy import select

            stored = set(
                session.scalars(
                    select(Submission.id).where(Submission.number_symbol.like("%/BC-KIEMTHU"))
                )
            )
    finally:
        db.dispose()
    assert len(acknowledged) == 400
    assert stored == acknowledged
