"""Damaged and foreign database files: a clear Vietnamese message, exit code 4, no traceback,
and the file is never changed ("repaired") without asking."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.cli import run
from app.db import connect
from app.db.engine import sqlite_backup
from app.errors import DatabaseError
from app.services.sample import load_sample

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed, checkpointed copy of the sample database (no -wal beside it)."""
    folder = tmp_path_factory.mktemp("sample")
    live = folder / "live.db"
    db = connect(str(live))
    load_sample(db)
    db.dispose()
    clean = folder / "sample.db"
    sqlite_backup(live, clean)
    return clean


@pytest.fixture
def copy(sample_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "data" / "sotheodoi.db"
    target.parent.mkdir()
    shutil.copyfile(sample_file, target)
    return target


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _truncate_half(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # the SQLite header stays valid


def _random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(64 * 1024))


def _text_file(path: Path) -> None:
    path.write_text("Họ và tên,Đơn vị\nNguyễn Văn A,Sở Nội vụ\n", encoding="utf-8")


def _zip_file(path: Path) -> None:  # an .xlsx renamed: PK header
    path.write_bytes(b"PK\x03\x04" + os.urandom(4000))


def _damaged_page(path: Path) -> None:
    with path.open("r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096)


def _newer_version(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()


def _other_program(path: Path) -> None:
    """Another program's SQLite database (a contacts list) in place of ours."""
    path.unlink()
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE contact (id INTEGER PRIMARY KEY, name TEXT, phone TEXT)")
    con.executemany(
        "INSERT INTO contact (name, phone) VALUES (?, ?)",
        [("Nguyễn Văn A", "0255 3822 111"), ("Trần Thị B", "0255 3822 222")],
    )
    con.commit()
    con.close()


def _other_program_with_alembic(path: Path) -> None:
    """Another program that also uses Alembic: a revision stamp that is not one of ours."""
    _other_program(path)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    con.execute("INSERT INTO alembic_version VALUES ('ae1027a6acf')")
    con.commit()
    con.close()


def _no_revision_stamp(path: Path) -> None:
    """A file of ours whose alembic_version table was dropped (by a tool, by hand)."""
    con = sqlite3.connect(path)
    con.execute("DROP TABLE alembic_version")
    con.commit()
    con.close()


DAMAGES: dict[str, tuple[Callable[[Path], None], str]] = {
    "another program's SQLite file": (_other_program, "của một chương trình khác"),
    "another program using Alembic": (_other_program_with_alembic, "của một chương trình khác"),
    "ours without alembic_version": (_no_revision_stamp, "thiếu thông tin phiên bản lược đồ"),
    "truncated": (_truncate_half, "hỏng"),
    "random bytes": (_random_bytes, "không phải tệp SQLite"),
    "text file": (_text_file, "không phải tệp SQLite"),
    "xlsx renamed .db": (_zip_file, "không phải tệp SQLite"),
    "damaged page": (_damaged_page, "hỏng"),
    "newer program": (_newer_version, "phiên bản mới hơn"),
}


@pytest.mark.parametrize("damage", list(DAMAGES))
def test_damaged_file_is_refused_clearly_and_left_untouched(copy: Path, damage: str) -> None:
    make, expected = DAMAGES[damage]
    make(copy)
    before = _digest(copy)
    for argv in (("status", "--as-of", "02/05/2018"), ("sample",)):
        code, out, err = _cli("--db", str(copy), *argv)
        assert code == DatabaseError.exit_code
        assert err.startswith("Lỗi: ") and expected in err
        assert "Traceback" not in err and out == ""
    assert _digest(copy) == before  # never "repaired" or overwritten
    assert not (copy.parent / "backups").exists()  # refused before any backup or migration


def test_damaged_file_in_a_real_process_gives_no_traceback(copy: Path) -> None:
    _truncate_half(copy)
    result = subprocess.run(
        [sys.executable, "-m", "app", "--db", str(copy), "status"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 4
    assert "Traceback" not in result.stderr
    assert "khôi phục từ bản sao lưu gần nhất" in result.stderr


def test_read_only_file_is_refused_with_what_to_do(copy: Path) -> None:
    copy.chmod(0o444)
    try:
        before = _digest(copy)
        code, _, err = _cli("--db", str(copy), "status")
        assert code == 4 and "chỉ đọc" in err and "Read-only" in err
        assert _digest(copy) == before
        assert not Path(str(copy) + "-wal").exists()
    finally:
        copy.chmod(0o644)


def test_missing_data_folder_is_not_silently_replaced_by_an_empty_database(tmp_path: Path) -> None:
    target = tmp_path / "o-usb-da-rut" / "sotheodoi.db"
    code, _, err = _cli("--db", str(target), "status")
    assert code == 4 and "Không tìm thấy thư mục dữ liệu" in err
    assert not target.parent.exists()


def test_a_folder_given_as_the_database_is_refused(tmp_path: Path) -> None:
    code, _, err = _cli("--db", str(tmp_path), "status")
    assert code == 4 and "thư mục" in err


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    import app.db.engine as engine

    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)


@pytest.fixture
def locked(copy: Path) -> Iterator[sqlite3.Connection]:
    """Another process's connection holding an exclusive lock (and a write in progress)."""
    con = sqlite3.connect(copy, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA locking_mode=EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("INSERT INTO setting(key, value) VALUES ('other_program', '1')")
    yield con
    con.execute("ROLLBACK")
    con.close()


RECEIVE = (
    "receive",
    "--unit",
    "Sở Tư pháp",
    "--directive",
    "2116/UBND-NC",
    "--task",
    "Báo cáo định kỳ năm",
    "--period",
    "Năm 2018",
    "--number",
    "7/BC-STP",
    "--signed",
    "01/12/2018",
    "--received",
    "02/12/2018",
    "--today",
    "31/12/2018",
)


def test_locked_database_waits_then_says_so(
    copy: Path, short_busy_timeout: None, locked: sqlite3.Connection
) -> None:
    for argv in (("status",), RECEIVE):
        code, out, err = _cli("--db", str(copy), *argv)
        assert code == 4, err
        assert "chương trình khác" in err and "Traceback" not in err
        assert out == ""


def test_write_blocked_by_a_writer_is_not_half_done(copy: Path, short_busy_timeout: None) -> None:
    """WAL lets readers in while another program writes; the write waits, then gives up."""
    other = sqlite3.connect(copy, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, out, err = _cli("--db", str(copy), *RECEIVE)
        assert code == 4 and "chương trình khác" in err and out == ""
    finally:
        other.execute("ROLLBACK")
        other.close()
    con = sqlite3.connect(copy)
    assert con.execute("SELECT count(*) FROM submission").fetchone()[0] == 0
    assert (
        con.execute("SELECT count(*) FROM audit_entry WHERE entity='submission'").fetchone()[0] == 0
    )
    con.close()
    code, out, _ = _cli("--db", str(copy), *RECEIVE)  # once the other program is done: fine
    assert code == 0 and out.strip().isdigit()


def test_disk_full_during_a_write_loses_nothing(
    copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLITE_FULL (simulated with max_page_count): clear message, counts unchanged."""
    import app.db.engine as engine

    original = engine._on_sqlite_connect

    def full_disk(dbapi_connection: sqlite3.Connection, record: object) -> None:
        original(dbapi_connection, record)
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    monkeypatch.setattr(engine, "_on_sqlite_connect", full_disk)
    counts = _counts(copy)
    # Enough text to need new pages.
    code, out, err = _cli("--db", str(copy), *RECEIVE, "--summary", "Nội dung dài. " * 1400)
    assert code == 4, err
    assert "Ổ đĩa đã đầy" in err and out == ""
    assert _counts(copy) == counts


def _counts(path: Path) -> dict[str, int]:
    con = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def test_empty_file_becomes_a_new_database(tmp_path: Path) -> None:
    """A 0-byte file is what a new, never-written database looks like: it is set up."""
    target = tmp_path / "new.db"
    target.touch()
    code, _, err = _cli("--db", str(target), "status")
    assert code == 0, err
    assert _counts(target)["unit"] == 0


def test_migrate_data_never_writes_into_another_programs_file(copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "chuong-trinh-khac.db"
    other.touch()
    _other_program(other)
    before = _digest(other)
    code, _out, err = _cli("--db", str(copy), "migrate-data", "--to", str(other))
    assert code == DatabaseError.exit_code, err
    assert "của một chương trình khác" in err and "Traceback" not in err
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chuong-trinh-khac.db", "data"]


def test_a_file_with_no_table_at_all_is_set_up(tmp_path: Path) -> None:
    """An SQLite file without any table (a first set-up rolled back by a crash, or a file made
    empty by a tool) holds nothing of anyone: it is set up as a new database."""
    target = tmp_path / "trong.db"
    con = sqlite3.connect(target)
    con.execute("PRAGMA user_version = 7")  # writes the header page: a non-empty file
    con.close()
    assert target.stat().st_size > 0
    code, _, err = _cli("--db", str(target), "status")
    assert code == 0, err
    assert _counts(target)["unit"] == 0


# --- a listing on a file unchanged since a check found it sound (app/db/checked.py) ----------


@pytest.fixture
def checks(copy: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The files ``PRAGMA quick_check`` read, in order. The copy is first put in WAL mode, as
    every file is once the program has opened it (the switch rewrites the header: a file
    switched right after its check is checked once more)."""
    import app.db.engine as engine

    con = sqlite3.connect(copy)
    con.execute("PRAGMA journal_mode=WAL")
    con.close()

    seen: list[Path] = []
    real = engine._quick_check

    def counted(con: sqlite3.Connection, path: Path) -> DatabaseError | None:
        seen.append(path)
        return real(con, path)

    monkeypatch.setattr(engine, "_quick_check", counted)
    return seen


def test_a_listing_checks_a_file_once_while_it_is_unchanged(copy: Path, checks: list[Path]) -> None:
    from app.db.checked import CHECKED_FILE
    from app.paths import data_dir

    for argv in (("status", "--as-of", "02/05/2018"), ("units",), ("dashboard",)):
        code, out, err = _cli("--db", str(copy), *argv)
        assert code == 0 and out, err
    assert checks == [copy]  # the first listing checked it; the file has not changed since
    assert (data_dir() / CHECKED_FILE).is_file()  # remembered in the data folder…
    assert sorted(p.name for p in copy.parent.iterdir()) == ["sotheodoi.db"]  # …not beside it


def test_a_command_that_writes_always_checks(copy: Path, checks: list[Path]) -> None:
    assert _cli("--db", str(copy), "units")[0] == 0
    code, _, err = _cli("--db", str(copy), *RECEIVE)
    assert code == 0, err
    assert _cli("--db", str(copy), "units")[0] == 0  # written since: checked again
    assert checks == [copy, copy, copy]


@pytest.mark.parametrize("same_time", [False, True], ids=["written", "time put back"])
def test_a_file_damaged_after_a_clean_check_is_still_refused(
    copy: Path, checks: list[Path], same_time: bool
) -> None:
    if same_time and sys.platform == "win32":
        pytest.skip("the change time is the creation time on Windows")
    assert _cli("--db", str(copy), "units")[0] == 0
    before = copy.stat()
    _damaged_page(copy)  # same size
    if same_time:  # a tool that puts the modification time back: the change time moves
        os.utime(copy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert copy.stat().st_size == before.st_size
    code, out, err = _cli("--db", str(copy), "status", "--as-of", "02/05/2018")
    assert code == DatabaseError.exit_code and "hỏng" in err and out == ""
    assert checks == [copy, copy]


def test_a_write_ahead_log_beside_the_file_means_a_full_check(
    copy: Path, checks: list[Path]
) -> None:
    assert _cli("--db", str(copy), "units")[0] == 0
    other = sqlite3.connect(copy, isolation_level=None)  # another program, writing
    try:
        other.execute("PRAGMA journal_mode=WAL")
        other.execute("INSERT INTO setting(key, value) VALUES ('other_program', '1')")
        assert Path(f"{copy}-wal").stat().st_size > 0
        assert _cli("--db", str(copy), "units")[0] == 0
    finally:
        other.close()
    assert checks == [copy, copy]


def test_an_unreadable_memo_only_means_a_full_check(copy: Path, checks: list[Path]) -> None:
    from app.db.checked import CHECKED_FILE
    from app.paths import data_dir

    (data_dir() / CHECKED_FILE).write_text("{không phải json", encoding="utf-8")
    assert _cli("--db", str(copy), "units")[0] == 0
    assert _cli("--db", str(copy), "units")[0] == 0  # the memo written anew
    assert checks == [copy]
