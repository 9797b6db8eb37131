"""The core never imports Qt or the ui package."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_app_imports_neither_qt_nor_ui():
    code = (
        "import importlib, pkgutil, sys, app\n"
        "for m in pkgutil.walk_packages(app.__path__, 'app.'):\n"
        "    if '.migrations' in m.name: continue\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.startswith(('PySide6', 'ui.')) or n == 'ui')\n"
        "print(bad); sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_statement_in_core_sources():
    # app/__main__.py alone opens the window, importing ui lazily when no command is given.
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if p.name != "__main__.py"
        and (
            "PySide6" in p.read_text(encoding="utf-8") or "from ui" in p.read_text(encoding="utf-8")
        )
    ]
    assert offenders == []


def test_ui_never_imports_sqlalchemy_nor_opens_a_session():
    # The window talks to the services, which open the sessions (docs/architecture.md, "ui/").
    import ast

    offenders = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(n == "sqlalchemy" or n.startswith("sqlalchemy.") for n in names):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} imports sqlalchemy")
            # ``db.read()`` / ``db.write()`` / ``db.session()``: a session opened by the UI
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"read", "write", "session", "sessions"}
                and isinstance(node.func.value, ast.Attribute | ast.Name)
                and (
                    node.func.value.attr
                    if isinstance(node.func.value, ast.Attribute)
                    else node.func.value.id
                )
                == "db"
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} opens a session")
    assert offenders == []


def test_pages_keep_the_page_contract():
    # Every tab page is a ui.pages.base.Page; the window calls it without duck typing.
    import re

    from_pages = (ROOT / "ui" / "main_window.py").read_text(encoding="utf-8")
    assert "getattr(" not in from_pages
    for path in sorted((ROOT / "ui" / "pages").glob("*_page.py")):
        text = path.read_text(encoding="utf-8")
        assert re.search(r"^class \w+\((Page|IntakePage)\):", text, re.M), path.name
        assert not re.search(r"\bwindow_\b", text), path.name  # one name: main_window
        assert "getattr(" not in text, path.name
