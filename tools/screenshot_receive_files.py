"""Screenshot of "Nhận văn bản từ tệp" (the review table), offscreen at 1366×768, on the sample
seen on 02/05/2018: the 14 district plans, a report signed after that day (unsure date), a scan
(OCR when Tesseract is installed), a damaged file, and one row already confirmed.

    python tools/screenshot_receive_files.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

AS_OF = dt.date(2018, 5, 2)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setOrganizationName("sotheodoi-screenshots")
    QSettings().clear()
    from app.db import connect
    from app.reading.text import ocr_available
    from app.services.sample import load_sample
    from tests.data.received.generate import build
    from ui import tasks
    from ui.main_window import MainWindow
    from ui.receive_actions import receive_files

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        corpus = folder / "van-ban-nhan"
        docs = build(corpus, scans=ocr_available(), signed=False)
        db = connect(str(folder / "so-theo-doi.db"))
        load_sample(db)
        tasks.set_synchronous(True)
        window = MainWindow(db, today=AS_OF)
        window.set_as_of(AS_OF)
        window.resize(1366, 768)
        window.show()
        damaged = corpus / "ke-hoach-bi-hong.pdf"
        damaged.write_bytes((corpus / "ke-hoach-01.pdf").read_bytes()[:600])
        files = [corpus / d.file_name for d in docs if d.task == "plan" and d.fmt == "pdf"]
        files += [corpus / "bao-cao-6t-so-03.pdf"]
        scans = [corpus / d.file_name for d in docs if d.fmt == "scan"]
        files += [*scans[:1], damaged]
        dialog = receive_files(window, files)
        dialog.resize(1366, 700)
        dialog.table.selectRow(0)
        dialog.confirm([dialog.model.row_at(0)], ask=False)
        dialog.table.selectRow(dialog.model.rowCount() - 1)  # the damaged file: its message below
        app.processEvents()
        target = out / "nhan-van-ban-tu-tep.png"
        dialog.grab().save(str(target))
        print(f"Đã ghi {target}")
        dialog.close()
        window.close()
        tasks.wait_for_background()
        db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
