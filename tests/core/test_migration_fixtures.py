"""Every released schema's fixture upgrades to head keeping every record; a failed upgrade puts
the pre-upgrade copy back by itself; a failed set-up leaves no half schema."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import app.db.migrate as migrate
from app.db import connect
from app.db.migrate import current_revision, head_revision
from app.errors import DatabaseError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "migrations"
FIXTURE_FILES = sorted(FIXTURES.glob("*.db"))

# The values that identify records; they must survive every upgrade unchanged.
KEYS = {
    "unit": "SELECT id, name, short_name, kind, valid_to FROM unit",
    "directive": "SELECT id, number_symbol, signed_date FROM directive",
    "task": "SELECT id, directive_id, title, kind, period_kind FROM task",
    "obligation": "SELECT id, task_id, unit_id, period_key, due_date, waived FROM obligation",
    "submission": "SELECT id, obligation_id, number_symbol, signed_date, received_date "
    "FROM submission",
    "audit_entry": "SELECT id, action, entity, entity_id FROM audit_entry",
    "setting": "SELECT key, value FROM setting",
    "submission_files": "SELECT id, attachment_path FROM submission",
}
# Tables added by a later revision: compared when the fixture has them.
LATER_KEYS = {
    "attachment_blob": "SELECT id, entity, entity_id, filename, content, sha256, size "
    "FROM attachment_blob",
    "issued_document": "SELECT id, kind, directive_id, as_of, number, edits FROM issued_document",
    "issued_document_unit": "SELECT id, document_id, unit_id FROM issued_document_unit",
    "calendar_day": "SELECT id, day, working, name, known_from, removed_on FROM calendar_day",
    "import_batch": "SELECT id, kind, file_name, added, updated FROM import_batch",
}


def snapshot(path: Path) -> dict[str, Any]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version'"
            )
        ]
        data: dict[str, Any] = {
            f"count:{t}": con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables
        }
        for table, sql in KEYS.items():
            data[table] = sorted(con.execute(sql).fetchall(), key=repr)
        for table, sql in LATER_KEYS.items():
            if table in tables:
                data[table] = sorted(con.execute(sql).fetchall(), key=repr)
        return data
    finally:
        con.close()


def test_there_is_a_fixture_for_every_revision_since_the_first_release() -> None:
    from alembic.script import ScriptDirectory

    revisions = {r.revision for r in ScriptDirectory(str(migrate.MIGRATIONS_DIR)).walk_revisions()}
    assert "0001" in revisions
    assert {p.stem for p in FIXTURE_FILES} == revisions  # one per revision, head included


@pytest.mark.parametrize(
    "fixture", [p for p in FIXTURE_FILES if p.stem >= "0002"], ids=lambda p: p.stem
)
def test_fixtures_from_0002_hold_a_file_stored_in_the_database(fixture: Path) -> None:
    data = snapshot(fixture)
    assert data["count:attachment_blob"] >= 1
    blob_id = data["attachment_blob"][0][0]
    assert (blob_id, f"db:{blob_id}") in data["submission_files"]


@pytest.mark.parametrize("fixture", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_upgrades_to_head_keeping_every_record(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    before = snapshot(path)
    assert before["count:submission"] > 0 and before["count:audit_entry"] > 0
    db = connect(str(path))
    try:
        assert current_revision(db) == head_revision()
    finally:
        db.dispose()
    after = snapshot(path)  # later revisions may add tables; every old record is kept
    assert {key: after[key] for key in before} == before
    if fixture.stem != head_revision():  # behind head: a copy was kept before upgrading
        assert list((tmp_path / "backups").glob("truoc-nang-cap-*.db"))


def _behind_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend a newer revision 0099 exists, so that a head fixture is behind."""
    known = migrate._known_revisions()
    monkeypatch.setattr(migrate, "head_revision", lambda: "0099_test")
    monkeypatch.setattr(migrate, "_known_revisions", lambda: known | {"0099_test"})
    monkeypatch.setattr(migrate, "_at_head_quickly", lambda db: False)


def test_failed_upgrade_restores_the_pre_upgrade_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sotheodoi.db"
    shutil.copyfile(FIXTURES / "0001.db", path)
    before = snapshot(path)
    _behind_head(monkeypatch)

    def half_done_then_fails(config: Any, revision: str) -> None:
        # A migration that commits part of its work (as non-transactional steps can), then dies.
        con = sqlite3.connect(path)
        con.execute("DELETE FROM submission")
        con.execute("DROP TABLE audit_entry")
        con.execute("ALTER TABLE unit ADD COLUMN new_field TEXT")
        con.commit()
        con.close()
        raise RuntimeError("migration 0099 failed half-way")

    monkeypatch.setattr(__import__("alembic").command, "upgrade", half_done_then_fails)
    with pytest.raises(DatabaseError) as caught:
        connect(str(path))
    assert "trả lại như trước khi nâng cấp" in caught.value.message
    after = snapshot(path)  # later revisions may add tables; every old record is kept
    assert {key: after[key] for key in before} == before
    backups = list((tmp_path / "backups").glob("truoc-nang-cap-0001-*.db"))
    assert len(backups) == 1 and snapshot(backups[0]) == before
    assert not list(tmp_path.glob("*.tmp"))
    monkeypatch.undo()
    db = connect(str(path))  # the program starts on the restored file
    db.dispose()


def test_failed_setup_of_a_new_database_leaves_no_half_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DDL runs in one transaction: the 4th table failing undoes the first three."""
    from alembic import op

    created: list[str] = []
    real_create_table = op.create_table

    def create_table(name: str, *args: Any, **kwargs: Any) -> Any:
        if len(created) == 3:
            raise RuntimeError("power cut simulated in the middle of the first migration")
        created.append(name)
        return real_create_table(name, *args, **kwargs)

    monkeypatch.setattr(op, "create_table", create_table)
    path = tmp_path / "new.db"
    with pytest.raises(DatabaseError, match="Không thiết lập được"):
        connect(str(path))
    assert len(created) == 3
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    con.close()
    assert tables == []
    monkeypatch.undo()
    db = connect(str(path))  # next start: set up normally
    assert current_revision(db) == head_revision()
    db.dispose()


def test_no_upgrade_without_a_safety_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The disk is full when the pre-upgrade copy is written: say so, upgrade nothing."""
    import errno

    import app.db.engine as engine

    path = tmp_path / "sotheodoi.db"
    shutil.copyfile(FIXTURES / "0001.db", path)
    before = snapshot(path)
    _behind_head(monkeypatch)
    upgraded: list[str] = []
    monkeypatch.setattr(
        __import__("alembic").command, "upgrade", lambda *_a: upgraded.append("yes")
    )
    real_connect = engine.sqlite3.connect

    def full_disk(target: str, *args: Any, **kwargs: Any) -> Any:
        if str(target).endswith(".tmp"):
            Path(target).write_bytes(b"partial")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_connect(target, *args, **kwargs)

    monkeypatch.setattr(engine.sqlite3, "connect", full_disk)
    with pytest.raises(DatabaseError) as caught:
        connect(str(path))
    assert "Ổ đĩa đã đầy" in caught.value.message
    assert "dữ liệu không thay đổi" in caught.value.message
    monkeypatch.undo()
    assert upgraded == [] and snapshot(path) == before
    assert not list(tmp_path.rglob("*.tmp"))  # no half-written copy left behind
