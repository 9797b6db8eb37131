"""Filesystem locations. Minimal: the resource root (PyInstaller-aware)."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """Path under ``resources/``: in a frozen build under ``sys._MEIPASS``, else the repository root
    (the parent of the ``app`` package)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    root = Path(frozen_root) if frozen_root else Path(__file__).resolve().parent.parent
    return root.joinpath("resources", *parts)
