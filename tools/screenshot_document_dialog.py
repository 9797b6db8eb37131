"""Screenshot of the document dialog (offscreen) on the sample data, after generating the
synthesis report as of 25/06/2018: docs/documents/hop-thoai-in.png.

Usage: python tools/screenshot_document_dialog.py [OUTPUT.png]
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.db import connect  # noqa: E402
from app.documents.sample_scenario import record_sample_submissions  # noqa: E402
from app.services.sample import load_sample  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "docs" / "documents" / "hop-thoai-in.png"
    app = QApplication.instance() or QApplication([])
    from ui import tasks
    from ui.main_window import MainWindow

    tasks.set_synchronous(True)
    with tempfile.TemporaryDirectory() as tmp:
        db = connect(str(Path(tmp) / "shot.db"))
        try:
            load_sample(db)
            record_sample_submissions(db)
            window = MainWindow(db, today=dt.date(2018, 6, 25))
            dialog = window.open_document_dialog("summary")
            dialog.generate()  # type: ignore[attr-defined]
            end = time.monotonic() + 2  # the preview renders its pages asynchronously
            while time.monotonic() < end:
                app.processEvents()  # type: ignore[union-attr]
                time.sleep(0.05)
            dialog.grab().save(str(out))
            dialog.close()
            window.close()
        finally:
            db.dispose()
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
