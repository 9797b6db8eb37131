"""Sổ theo dõi — the Qt-free core.

Everything a user can do in the window can be done through this package without Qt.
"""

from __future__ import annotations

from importlib import metadata as _metadata

APP_NAME = "Sổ theo dõi"
APP_ID = "sotheodoi"
ORG_NAME = "SoTheoDoi"

try:  # installed (pip install -e .) or bundled with its metadata
    __version__ = _metadata.version("sotheodoi")
except _metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.1.0"
