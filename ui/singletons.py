"""References the Qt bindings take from ``None``, ``True`` and ``False`` and never give back.

With PySide6 6.12.0 on Python 3.11, every call of a Qt method that returns nothing costs
``None`` one reference (500 calls of ``QWidget.setEnabled`` or ``QWidget.repaint`` leave
``sys.getrefcount(None)`` 500 lower; ``tests/ui/test_singletons.py`` measures it), and some
calls that return a truth value do the same to ``True`` and ``False``. A window in use makes such
calls by the thousand at every repaint: after a few hours (or ~20 s of searching the warnings of
ten-year data, ``bench/run.py --only search_page --scales L``) the count reaches zero and the
interpreter aborts with "Fatal Python error: none_dealloc" (or ``bool_dealloc``), at the latest
when the program closes.

From Python 3.12 these three objects are immortal and a lost reference changes nothing. On an
older Python, :func:`protect` gives them once, when the package is imported, a reserve of
references no session can use up (2**60; a 64-bit count), which is what 3.12 does for them.
"""

from __future__ import annotations

import ctypes
import sys

RESERVE = 1 << 60
PROTECTED = (None, True, False)


def protect() -> bool:
    """Give ``None``, ``True`` and ``False`` their reserve (once); False where there is no need
    (Python 3.12 and later, or an interpreter other than CPython)."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return False
    for obj in PROTECTED:
        count = ctypes.c_ssize_t.from_address(id(obj))  # ob_refcnt, the object's first field
        if count.value < RESERVE:
            count.value += RESERVE
    return True
