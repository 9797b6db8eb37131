"""The command line imports what a command needs, when it needs it: ``--version`` and ``--help``
load neither the database layer nor the document, Excel or window libraries; a listing loads the
database layer only. Each case runs in a fresh interpreter (``sys.modules`` of this one is full)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import app
from app.exchange import commands as exchange_commands

ROOT = Path(__file__).resolve().parent.parent.parent

HEAVY = (
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "reportlab",
    "docx",
    "PySide6",
    "pypdfium2",
    "pyhanko",
    "PIL",
    "holidays",
    "icalendar",
    "psycopg",
    "keyring",
    "lxml",
)

# Runs ``python -m app ARGS`` the way the entry point does, then reports the exit code, what it
# printed and which of HEAVY (and of ``ui``) were imported.
PROBE = (
    f"HEAVY = {HEAVY!r}\n"
    + """
import contextlib, gc, io, json, sys
from app.__main__ import main
out, err = io.StringIO(), io.StringIO()
with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
    code = main(sys.argv[1:])
heavy = sorted({n.split(".")[0] for n in sys.modules} & set(HEAVY) | ({"ui"} & set(sys.modules)))
print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue(), "heavy": heavy,
                  "collector": gc.isenabled(), "frozen": gc.get_freeze_count()}))
"""
)


def _probe(*args: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE, *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


@pytest.mark.parametrize(
    "args",
    [
        ("--version",),
        ("--help",),
        ("-h",),
        ("export", "--help"),
        ("report", "--help"),
        ("receive", "--help"),
        ("--db", "x.db", "status", "--help"),
        ("status", "--kind", "tinh"),  # a usage error: refused before anything is opened
    ],
)
def test_version_help_and_usage_errors_import_nothing_heavy(args):
    data = _probe(*args)
    assert data["heavy"] == [], f"{args}: {data['heavy']}"
    assert data["collector"] is True  # paused while starting, back on (app/startup.py)
    if args == ("--version",):
        assert data["code"] == 0 and data["out"] == f"{app.APP_NAME} {app.__version__}\n"
    elif args[-1] in ("--help", "-h"):
        assert data["code"] == 0 and "Cách dùng: sotheodoi" in str(data["out"])
        assert data["err"] == ""
    else:
        assert data["code"] == 2 and "lựa chọn không hợp lệ" in str(data["err"])


def test_a_listing_imports_the_database_layer_only(sample_db):
    if sample_db.path is None:  # pragma: no cover - the PostgreSQL run
        pytest.skip("the listing is probed on the SQLite file")
    data = _probe("--db", str(sample_db.path), "units", "--json")
    assert data["code"] == 0, data["err"]
    assert len(json.loads(str(data["out"]))) == 34
    assert data["heavy"] == ["sqlalchemy"], data["heavy"]  # no Alembic, Excel, PDF, Word, Qt
    # the start-up's objects (SQLAlchemy, the ORM mapping) out of the collector's sight, and
    # collection back on for the command's work
    assert data["collector"] is True and int(str(data["frozen"])) > 20_000


def test_a_command_works_with_the_collector_on_after_a_start_without_it(sample_db):
    if sample_db.path is None:  # pragma: no cover - the PostgreSQL run
        pytest.skip("the listing is probed on the SQLite file")
    code = (
        "import gc, io, contextlib, sys\n"
        "import app.cli as cli\n"
        "seen = []\n"
        "real = cli.cmd_units\n"
        "def cmd_units(*args):\n"
        "    seen.append((gc.isenabled(), 'sqlalchemy.orm' in sys.modules))\n"
        "    return real(*args)\n"
        "cli.cmd_units = cmd_units\n"
        "from app.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(sys.argv[1:]) == 0\n"
        "print(seen)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--db", str(sample_db.path), "units"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[(True, True)]"  # imported while paused, run with it on


def test_the_version_is_written_once_in_the_package():
    """pyproject.toml reads ``app.__version__`` (no second number to keep equal)."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        config = tomllib.load(handle)
    assert "version" not in config["project"] and "version" in config["project"]["dynamic"]
    assert config["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "app.__version__"}
    # build.spec's reader, run on its own: the bundle carries the same number
    spec = ast.parse((ROOT / "build.spec").read_text(encoding="utf-8"))
    (reader,) = [n for n in spec.body if getattr(n, "name", "") == "_program_version"]
    namespace: dict[str, object] = {"ROOT": ROOT}
    exec(compile(ast.Module([reader], []), "build.spec", "exec"), namespace)
    assert namespace["_program_version"]() == app.__version__  # type: ignore[operator]


def test_the_export_lists_named_by_the_parser_are_the_exporters():
    from app.exchange.xlsx_export import TABLES

    assert exchange_commands.EXPORT_TABLES == TABLES


@pytest.mark.parametrize(
    ("argv", "window"),
    [
        ([], True),
        (["--db", "x.db"], True),
        (["--db=x.db", "--self-test"], True),
        (["--database-url", "postgresql://a@may-chu/sotheodoi"], True),
        (["--db"], False),  # the command line says what is missing
        (["--db", "x.db", "units"], False),
        (["units"], False),
        (["--version"], False),
    ],
)
def test_the_window_is_told_apart_from_a_command(argv, window):
    from app.__main__ import _wants_window

    assert _wants_window(argv)[0] is window


def test_opening_the_window_does_not_build_the_command_parser():
    code = (
        "import sys\nfrom app.__main__ import _wants_window\n"
        "assert _wants_window(['--db', 'x.db']) == (True, None)\n"
        "assert 'app.cli' not in sys.modules and 'argparse' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
