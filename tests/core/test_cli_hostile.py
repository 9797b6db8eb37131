"""No traceback ever reaches her: hostile names, numbers, files and environments given to the
command line each get one Vietnamese ``Lỗi: …`` line (the traceback, if any, goes to the log
file), and nothing is half written or left behind. See docs/reliability.md, section 6."""

from __future__ import annotations

import errno
import io
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.cli import run
from app.db import connect
from app.db.engine import sqlite_backup
from app.errors import DatabaseError
from app.services.sample import load_sample

ROOT = Path(__file__).resolve().parents[2]
BIG = "9" * 5000  # over Python's 4,300-digit limit for int("…")


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sample")
    live = folder / "live.db"
    db = connect(str(live))
    load_sample(db)
    db.dispose()
    clean = folder / "sample.db"
    sqlite_backup(live, clean)
    return clean


@pytest.fixture
def data(sample_file: Path, tmp_path: Path) -> Path:
    target = tmp_path / "du-lieu" / "sotheodoi.db"
    target.parent.mkdir()
    shutil.copyfile(sample_file, target)
    return target


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def _one_clear_line(err: str) -> None:
    assert err.startswith("Lỗi: ") and err.count("Lỗi") == 1, err
    assert "Traceback" not in err and "không mong đợi" not in err
    assert len(err) < 1500  # a 5,000-character value is not repeated whole


def _process(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "app", *argv],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=dict(os.environ, PYTHONPATH=str(ROOT), **env),
        timeout=120,
    )


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


# --- names and numbers ---------------------------------------------------------------------------


def test_a_300_character_database_name(tmp_path: Path) -> None:
    name = tmp_path / ("sổ-theo-dõi-" * 25 + ".db")
    assert len(name.name) > 255
    code, out, err = _cli("--db", str(name), "status")
    assert code == DatabaseError.exit_code and out == ""
    _one_clear_line(err)
    assert "quá dài" in err and "Hãy chọn tệp có tên ngắn hơn" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "command",
    [
        ["backup", "--out", "{long}.zip"],
        ["restore", "{long}.zip"],
        ["restore", "{long}.zip", "--check-only"],
        ["export", "units", "--out", "{long}.xlsx"],
        ["import", "units", "{long}.xlsx"],
        ["template", "units", "--out", "{long}.xlsx"],
        ["report", "summary", "--directive", "2116/UBND-NC", "--out", "{long}.pdf"],
    ],
)
def test_300_character_file_names_in_commands(
    data: Path, tmp_path: Path, command: list[str]
) -> None:
    long = str(tmp_path / ("tệp-" * 75))
    before = _counts(data)
    code, out, err = _cli("--db", str(data), *(a.format(long=long) for a in command))
    assert code in (1, 2) and out == ""
    _one_clear_line(err)
    assert "quá dài" in err or "Không tìm thấy" in err
    assert _counts(data) == before


ARGUMENTS_WITH_5000_DIGITS = {
    "period": [
        "receive",
        "--unit",
        "Sở Y tế",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "6 tháng",
        "--period",
        f"Năm {BIG}",
        "--number",
        "1/BC",
        "--signed",
        "01/06/2018",
        "--received",
        "02/06/2018",
        "--today",
        "03/06/2018",
    ],
    "period key": [
        "receive",
        "--unit",
        "Sở Y tế",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "6 tháng",
        "--period",
        f"{BIG}-H1",
        "--number",
        "1/BC",
        "--signed",
        "01/06/2018",
        "--received",
        "02/06/2018",
        "--today",
        "03/06/2018",
    ],
    "directive": ["status", "--directive", BIG],
    "unit": ["status", "--unit", BIG],
    "date": ["status", "--as-of", f"01/01/{BIG}"],
    "integer option": ["migrate-data", "--to", "khac.db", "--batch-size", BIG],
    "export period": ["export", "status", "--out", "x.xlsx", "--period", f"Năm {BIG}"],
}


@pytest.mark.parametrize("case", list(ARGUMENTS_WITH_5000_DIGITS))
def test_numbers_of_5000_digits_in_arguments(data: Path, case: str) -> None:
    before = _counts(data)
    code, _, err = _cli("--db", str(data), *ARGUMENTS_WITH_5000_DIGITS[case])
    assert code in (2, 4), err
    if err.startswith("Cách dùng"):  # an argument error: the usage, then the error
        assert err.count("Cách dùng") == 1
        err = err[err.index("Lỗi") :]
    _one_clear_line(err)
    assert _counts(data) == before


def test_a_one_off_task_has_no_period(data: Path) -> None:
    before = _counts(data)
    code, _, err = _cli(
        "--db",
        str(data),
        "receive",
        "--unit",
        "Bình Sơn",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "kế hoạch phối hợp",
        "--period",
        "Năm 2018",
        "--number",
        "45/KH-UBND",
        "--signed",
        "25/04/2018",
        "--received",
        "27/04/2018",
        "--today",
        "02/05/2018",
    )
    assert code == 2
    _one_clear_line(err)
    assert "báo cáo một lần" in err and "bỏ tham số --period" in err
    assert _counts(data) == before


# --- Excel files given to import -----------------------------------------------------------------


def _template_with(tmp_path: Path, name: str, change: object) -> Path:
    from app.exchange.xlsx_import import write_template

    source = write_template("units", tmp_path / "mau.xlsx")
    target = tmp_path / name
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.namelist():
            content = zin.read(item)
            if item == "xl/worksheets/sheet1.xml":
                content = change(content)  # type: ignore[operator]
            zout.writestr(item, content)
    return target


def _cut_in_half(xml: bytes) -> bytes:
    return xml[: len(xml) // 2]


def _number_of_5000_digits(xml: bytes) -> bytes:
    text = xml.decode()
    end = text.index("</row>") + len("</row>")
    return (text[:end] + f'<row r="40"><c r="A40"><v>{BIG}</v></c></row>' + text[end:]).encode()


@pytest.mark.parametrize(
    "change, reason",
    [
        (_cut_in_half, "bị cắt cụt hoặc sai cấu trúc"),
        (_number_of_5000_digits, "số dài hơn 4.300 chữ số"),
    ],
)
def test_a_broken_workbook_given_to_import(
    data: Path, tmp_path: Path, change: object, reason: str
) -> None:
    workbook = _template_with(tmp_path, "hong.xlsx", change)
    before = _counts(data)
    result = _process("--db", str(data), "import", "units", str(workbook))
    assert result.returncode == 2, result.stderr
    _one_clear_line(result.stderr)
    assert reason in result.stderr and result.stdout == ""
    assert _counts(data) == before


# --- files written: folders, full disks, read-only folders, permissions --------------------------


def test_report_and_export_into_a_folder_use_the_default_name(data: Path, tmp_path: Path) -> None:
    folder = tmp_path / "xuat"
    folder.mkdir()
    code, out, err = _cli(
        "--db",
        str(data),
        "report",
        "summary",
        "--directive",
        "2116/UBND-NC",
        "--as-of",
        "02/05/2018",
        "--out",
        str(folder),
    )
    assert code == 0, err
    pdf = folder / "bao-cao-tong-hop-2018-05-02.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in out
    code, out, err = _cli(
        "--db", str(data), "export", "status", "--as-of", "02/05/2018", "--out", f"{folder}{os.sep}"
    )
    assert code == 0, err
    xlsx = folder / "tinh-trang-nop-2018-05-02.xlsx"
    assert zipfile.is_zipfile(xlsx)
    code, _, err = _cli(
        "--db", str(data), "export", "units", "--out", str(folder / "chua-co") + "/"
    )
    assert code == 2 and "Không có thư mục" in err
    assert not (folder / "chua-co").exists()
    assert sorted(p.name for p in folder.iterdir()) == [pdf.name, xlsx.name]
    mask = os.umask(0o022)
    os.umask(mask)
    for written in (pdf, xlsx):  # not 0600: a colleague or a backup tool may read them
        assert stat.S_IMODE(written.stat().st_mode) == 0o666 & ~mask


@pytest.mark.parametrize(
    "fault, expected",
    [
        (errno.ENOSPC, "Ổ đĩa đã đầy"),
        (errno.EACCES, "Không có quyền ghi"),
        (errno.EROFS, "Không có quyền ghi"),
    ],
)
def test_a_pdf_on_a_full_disk_or_a_read_only_folder(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: int, expected: str
) -> None:
    target = tmp_path / "bao-cao.pdf"
    target.write_bytes(b"%PDF-1.4 the previous report")
    real_replace = os.replace

    def refuse(src: object, dst: object, *a: object, **k: object) -> None:
        if Path(str(dst)) == target:
            raise OSError(fault, os.strerror(fault))
        real_replace(src, dst, *a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", refuse)
    code, out, err = _cli(
        "--db",
        str(data),
        "report",
        "summary",
        "--directive",
        "2116/UBND-NC",
        "--as-of",
        "02/05/2018",
        "--out",
        str(target),
    )
    assert code == 1 and out == ""
    _one_clear_line(err)
    assert expected in err
    assert target.read_bytes() == b"%PDF-1.4 the previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao.pdf", "du-lieu"]


DISK_LIMIT = r"""
import resource, signal, sys, tempfile
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
real = tempfile.mkstemp
def mkstemp(*a, **k):  # from the first file written for her on, the "disk" holds `limit` bytes
    made = real(*a, **k)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    return made
tempfile.mkstemp = mkstemp
from app.__main__ import main
sys.exit(main(sys.argv[2:]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_FSIZE (Linux)")
@pytest.mark.parametrize("limit", [1500, 6000])
@pytest.mark.parametrize(
    "command",
    [
        ["template", "units", "--out", "mau.xlsx"],
        ["export", "warnings", "--as-of", "02/05/2018", "--out", "canh-bao.xlsx"],
        ["export", "status", "--as-of", "02/05/2018", "--out", "tinh-trang.xlsx"],
        ["backup", "--out", "sao-luu.zip"],
    ],
)
def test_a_file_cut_short_by_the_disk_leaves_no_noise_and_no_half_file(
    data: Path, tmp_path: Path, command: list[str], limit: int
) -> None:
    """openpyxl's ZipFile and lxml's writer, left half-open by a failed save, used to print
    "Exception ignored in: <function ZipFile.__del__>" and a traceback at exit."""
    out_folder = tmp_path / "ra"
    out_folder.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", DISK_LIMIT, str(limit), "--db", str(data), *command],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=out_folder,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    _one_clear_line(result.stderr)
    assert "Exception ignored" not in result.stderr and "quá lớn" in result.stderr
    assert list(out_folder.iterdir()) == []


# --- output, help, errors -----------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly(data: Path) -> None:
    """`sotheodoi units --json | head -1`: the reader is gone before the output is written."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app",
            "--db",
            str(data),
            "status",
            "--as-of",
            "02/05/2018",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()  # like `head` that has read its line and left
    stderr = child.stderr.read().decode("utf-8")
    assert child.wait(timeout=120) == 0
    assert stderr == ""


def test_help_and_argument_errors_print_once() -> None:
    shown = _process("--help")
    assert shown.returncode == 0 and shown.stdout.count("Cách dùng") == 1
    wrong = _process("status", "--as-of", "30/02/2018")
    assert wrong.returncode == 2 and wrong.stderr.count("Lỗi") == 1
    assert wrong.stderr.count("Cách dùng") == 1 and wrong.stdout == ""
    report = _process("report", "summary", "--help")
    assert (
        report.returncode == 0 and report.stdout.count("Cách dùng: sotheodoi report summary") == 1
    )
    assert "--signer-name" in report.stdout and "2116/UBND-NC (bắt buộc)" in report.stdout
    assert "--units" not in report.stdout and "--reply-by" not in report.stdout  # its own options
    reminder = _process("report", "reminder", "--help")
    assert "--units" in reminder.stdout and "--reply-by" in reminder.stdout
    assert _process("--version").stdout.count("Sổ theo dõi") == 1


def test_an_unexpected_error_goes_to_the_log_not_the_screen(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import app.cli

    def broken(*_args: object) -> int:
        raise ZeroDivisionError("a bug")

    parser = app.cli.build_parser
    monkeypatch.setattr(app.cli, "build_parser", lambda: _with_units_handler(parser(), broken))
    code, out, err = _cli("--db", str(data), "units")
    assert code == 1 and out == ""
    assert err.startswith("Lỗi không mong đợi (ZeroDivisionError).") and "Traceback" not in err
    log_file = Path(os.environ["SOTHEODOI_DATA"]) / "logs" / "sotheodoi.log"
    assert str(log_file) in err
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged and "ZeroDivisionError: a bug" in logged


def _with_units_handler(parser: object, handler: object) -> object:
    import argparse

    assert isinstance(parser, argparse.ArgumentParser)
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        action.choices["units"].set_defaults(handler=handler)  # type: ignore[index]
    return parser


def test_warnings_of_the_core_go_to_the_log_not_the_screen(data: Path, tmp_path: Path) -> None:
    """The Excel reader logs why it refused a file: in the log file, never on stderr."""
    workbook = _template_with(tmp_path, "hong.xlsx", _cut_in_half)
    result = _process(
        "--db", str(data), "import", "units", str(workbook), SOTHEODOI_DATA=str(tmp_path / "data")
    )
    assert result.stderr.startswith("Lỗi: ") and "Cannot read" not in result.stderr
    assert "Cannot read" in (tmp_path / "data" / "logs" / "sotheodoi.log").read_text("utf-8")


# --- the server went away ------------------------------------------------------------------------


def test_a_server_killed_mid_command_is_explained(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What psycopg raises when PostgreSQL is stopped while a command runs (the same check
    against a real server: test_a_real_server_killed_mid_command)."""
    import psycopg
    from sqlalchemy.exc import OperationalError

    import app.cli

    def server_gone(*_args: object) -> int:
        orig = psycopg.OperationalError("terminating connection due to administrator command")
        raise OperationalError("SELECT …", {}, orig)

    parser = app.cli.build_parser
    monkeypatch.setattr(app.cli, "build_parser", lambda: _with_units_handler(parser(), server_gone))
    code, out, err = _cli("--db", str(data), "units")
    assert code == DatabaseError.exit_code and out == ""
    _one_clear_line(err)
    assert "Mất kết nối tới máy chủ" in err


@pytest.mark.pg_only
def test_a_real_server_killed_mid_command(sample_db, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server ends this program's connection in the middle of a command."""
    from sqlalchemy import text

    import app.services.units as units_service

    real = units_service.list_units

    def killed(db, **kwargs):  # type: ignore[no-untyped-def]
        with db.read() as session:
            session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
        return real(db, **kwargs)

    monkeypatch.setattr(units_service, "list_units", killed)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["--database-url", sample_db.url.replace("postgresql+psycopg", "postgresql"), "units"],
        out=out,
        err=err,
    )
    assert code == DatabaseError.exit_code, err.getvalue()
    _one_clear_line(err.getvalue())
    assert "Mất kết nối tới máy chủ" in err.getvalue()


# --- restore when the current file is damaged ----------------------------------------------------


def test_restore_works_from_the_cli_when_the_current_file_is_damaged(
    data: Path, tmp_path: Path
) -> None:
    backup = tmp_path / "sao-luu.zip"
    assert _cli("--db", str(data), "backup", "--out", str(backup))[0] == 0
    content = data.read_bytes()
    data.write_bytes(content[: len(content) // 2])  # damaged: the header is still SQLite's
    damaged = data.read_bytes()
    code, _, err = _cli("--db", str(data), "status")
    assert code == DatabaseError.exit_code and "bị hỏng" in err
    code, out, err = _cli("--db", str(data), "restore", str(backup), "--check-only")
    assert code == 0 and "Tệp hợp lệ" in out, err
    assert data.read_bytes() == damaged  # checking changes nothing
    code, out, err = _cli("--db", str(data), "restore", str(backup))
    assert code == 0, err
    aside = [
        p
        for p in data.parent.iterdir()
        if p.name.startswith("sotheodoi.hong-") and p.suffix == ".db"
    ]
    assert len(aside) == 1 and aside[0].read_bytes() == damaged  # kept whole, never deleted
    assert str(aside[0]) in out and "Đã khôi phục" in out
    code, out, _ = _cli("--db", str(data), "units")
    assert code == 0 and "34 đơn vị" in out
    assert not [p for p in data.parent.iterdir() if p.name.startswith(".sotheodoi-tam")]


def test_restore_never_takes_the_place_of_another_programs_file(data: Path, tmp_path: Path) -> None:
    backup = tmp_path / "sao-luu.zip"
    assert _cli("--db", str(data), "backup", "--out", str(backup))[0] == 0
    other = tmp_path / "danh-ba.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE contact (name TEXT)")
    con.execute("INSERT INTO contact VALUES ('Nguyễn Văn A')")
    con.commit()
    con.close()
    before = other.read_bytes()
    code, _, err = _cli("--db", str(other), "restore", str(backup))
    assert code == DatabaseError.exit_code and "của một chương trình khác" in err
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["danh-ba.db", "du-lieu", "sao-luu.zip"]
