"""Start-up without the cyclic garbage collector.

Importing SQLAlchemy, mapping the ORM classes and loading the Qt bindings make ~60,000 objects
the collector tracks, and they live as long as the process. While they are made the collector
scans them again and again, and once more when the process ends: a bare ``import
sqlalchemy.orm`` takes 0.28 s, 0.205 s without that (docs/performance.md, "Start-up and the
command line"). ``python -m app`` pauses the collector before anything is imported; once the
start-up's imports are done (the database opened for a command, the window's modules loaded)
:func:`resume_collector` moves what exists into the collector's permanent generation
(``gc.freeze``), never scanned again, and turns collection back on for the work itself.
"""

from __future__ import annotations

import gc


def pause_collector() -> None:
    """The first thing ``python -m app`` does (and ``bench/probe.py``, which times the
    window's start the same way)."""
    gc.disable()


def resume_collector() -> None:
    """The start-up's imports are done. A no-op when the collector was not paused (tests that
    call the command line or the window's start in their own process)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
