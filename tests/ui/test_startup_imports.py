"""The window's start imports the core it needs before PySide6 (``ui.app.CORE_BEFORE_QT``):
every name there is a module, and starting the window imports each of them before PySide6."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from ui.app import CORE_BEFORE_QT

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("name", CORE_BEFORE_QT)
def test_every_module_imported_before_qt_exists(name):
    assert importlib.import_module(name).__name__ == name


def test_the_core_is_imported_before_pyside6():
    code = (
        "import sys, ui.app\n"
        "order = []\n"
        "class Watch:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        order.append(name)\n"
        "sys.meta_path.insert(0, Watch())\n"
        "ui.app._import_core_before_qt()\n"
        "import PySide6.QtWidgets\n"
        "print(' '.join(order))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    order = result.stdout.split()
    first_qt = order.index("PySide6")
    assert "sqlalchemy" in order[:first_qt] and "app.services.dashboard" in order[:first_qt]
