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
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_qt_import_statement_in_core_sources():
    # app/__main__.py alone opens the window, importing ui lazily when no command is given.
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "app").rglob("*.py")
        if p.name != "__main__.py"
        and ("PySide6" in p.read_text(encoding="utf-8")
             or "from ui" in p.read_text(encoding="utf-8"))
    ]
    assert offenders == []
