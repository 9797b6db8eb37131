"""Sổ theo dõi — the Qt-free core.

Everything a user can do in the window can be done through this package without Qt.
"""

from __future__ import annotations

APP_NAME = "Sổ theo dõi"
APP_ID = "sotheodoi"
ORG_NAME = "SoTheoDoi"

# The program's version, written only here: pyproject.toml reads it for the package
# (``dynamic = ["version"]``), build.spec for the bundle and its Windows version resource;
# ``--version`` and the window title use it without importing importlib.metadata (~25 ms).
__version__ = "0.1.0"
