"""Sổ theo dõi — the Qt-free core.

Everything a user can do in the window can be done through this package without Qt.
"""

from __future__ import annotations

APP_NAME = "Sổ theo dõi"
APP_ID = "sotheodoi"
ORG_NAME = "SoTheoDoi"

# The version of pyproject.toml's [project] (the one source: the bundle and the changelog read
# it there), written here too so that ``--version`` and start-up do not import importlib.metadata
# (~25 ms); tests/core/test_cli_startup.py keeps the two equal.
__version__ = "0.1.0"
