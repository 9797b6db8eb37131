"""``sotheodoi --self-test``: prove that a build works, without a screen and without touching
the user's data.

In a temporary folder: open a new database, migrate it, load the sample, list the obligations,
build one PDF, open and close the main window offscreen, check Qt's text services (and the ICU
data the Linux bundle carries, see ``check_text_services``). Prints one line,
``SELF-TEST OK …`` or ``SELF-TEST FAILED: …``, and returns 0 or 1.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

# The sample's scenario day: two days after the plans were due (30/04/2018).
SAMPLE_DAY = dt.date(2018, 5, 2)


def build_test_pdf(db: object, target: Path, day: dt.date) -> Path:
    """Build the sample's synthesis report (báo cáo tổng hợp) with the bundled fonts, and check
    that its text layer carries Vietnamese."""
    from app.db import Database
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import build
    from app.services.directives import list_directives

    assert isinstance(db, Database)
    directive = list_directives(db)[0]
    build(db, DocumentOptions(kind=DocumentKind.SUMMARY, as_of=day, directive_id=directive.id,
                              today=day), target)
    return target


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def _steps(folder: Path) -> str:
    from app.db import connect
    from app.db.migrate import current_revision, head_revision
    from app.paths import resource_path
    from app.services.obligations import list_obligations
    from app.services.sample import load_sample

    started = time.perf_counter()
    for part in (("icons", "sotheodoi.png"), ("sample", "quang-ngai-2018.json")):
        _check(resource_path(*part).is_file(), f"thiếu tệp tài nguyên {'/'.join(part)}")
    db = connect(str(folder / "self-test.db"))
    try:
        _check(current_revision(db) == head_revision(), "cơ sở dữ liệu chưa ở lược đồ mới nhất")
        sample = load_sample(db)
        _check(sample.units_added > 0 and sample.obligations_added > 0,
               "không nạp được dữ liệu mẫu")
        rows = list_obligations(db, SAMPLE_DAY)
        _check(len(rows) == sample.obligations_added, "số nghĩa vụ không khớp")
        pdf = build_test_pdf(db, folder / "self-test.pdf", SAMPLE_DAY)
        _check(pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-", "không tạo được tệp PDF")
        from app.workdays import WorkCalendar

        tet = WorkCalendar().day_off_reason(dt.date(2018, 2, 16)) or ""
        _check("Tết" in tet, "không đọc được lịch ngày lễ, Tết (gói holidays)")
        pages = _open_window(db)
        text = check_text_services()
        elapsed = time.perf_counter() - started
        return (f"{sample.units_added} units, {len(rows)} obligations, "
                f"PDF {pdf.stat().st_size} bytes, window with {pages} tab(s), "
                f"{text}, {elapsed:.2f} s")
    finally:
        db.dispose()


def check_text_services() -> str:
    """What Qt does with text and time besides drawing: word boundaries, IDN host names, case
    mapping, and (Linux, where Qt uses the ICU the bundle carries, trimmed at build time by
    tools/trim_icu.py) Vietnamese collation, time-zone names and a legacy code page."""
    from PySide6.QtCore import (
        QCollator,
        QLocale,
        QStringDecoder,
        QTextBoundaryFinder,
        QTimeZone,
        QUrl,
    )

    sentence = "Sở Nội vụ tỉnh Quảng Ngãi báo cáo"
    finder = QTextBoundaryFinder(QTextBoundaryFinder.BoundaryType.Word, sentence)
    words = 0
    while finder.toNextBoundary() != -1:
        if finder.boundaryReasons() & QTextBoundaryFinder.BoundaryReason.EndOfItem:
            words += 1
    _check(words == len(sentence.split()), f"tách từ tiếng Việt sai ({words} từ)")
    host = QUrl.fromUserInput("sở-nội-vụ.quảngngãi.vn").host(QUrl.ComponentFormattingOption
                                                              .FullyEncoded)
    _check(host.startswith("xn--"), f"tên miền tiếng Việt không chuyển được: {host}")
    vietnamese = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    _check(vietnamese.toUpper("đà nẵng") == "ĐÀ NẴNG", "chuyển chữ hoa tiếng Việt sai")
    if not sys.platform.startswith("linux"):
        return "text ok"
    collator = QCollator(vietnamese)
    # Vietnamese: ă and â are letters of their own and Đ comes after D (root: accented a, d).
    _check(collator.compare("ăz", "âa") < 0 and collator.compare("Dak Lak", "Đà Nẵng") < 0,
           "thứ tự tiếng Việt của Qt (ICU) sai: thiếu dữ liệu ICU")
    _check(QCollator(QLocale(QLocale.Language.English)).compare("âa", "ăz") < 0,
           "thứ tự gốc của Qt (ICU) sai: thiếu dữ liệu ICU")
    _check(QStringDecoder("windows-1258").isValid(), "thiếu bảng mã windows-1258 (ICU)")
    zone = QTimeZone(b"Asia/Ho_Chi_Minh")
    if zone.isValid():  # needs the system's time-zone database
        name = zone.displayName(QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName,
                                vietnamese)
        _check(any(ord(ch) > 127 for ch in name), f"tên múi giờ tiếng Việt sai: {name!r}")
    return "text and ICU ok"


def _open_window(db: object) -> int:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from ui.app import create_application
    from ui.main_window import MainWindow

    create_application([])
    app = QApplication.instance()
    assert app is not None
    window = MainWindow(db, today=SAMPLE_DAY)  # type: ignore[arg-type]
    window.show()
    app.processEvents()
    image = window.grab()
    _check(not image.isNull() and image.width() > 0, "không vẽ được cửa sổ chính")
    pages = window.tabs.count()
    window.close()
    window.deleteLater()
    app.processEvents()
    QSettings().sync()
    return pages


def run_self_test() -> int:
    """Run the checks; print one verdict line; 0 when everything worked."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"  # no screen needed, whatever the machine
    with tempfile.TemporaryDirectory(prefix="sotheodoi-selftest-") as tmp:
        folder = Path(tmp)
        os.environ["SOTHEODOI_DATA"] = str(folder)  # logs and data stay in the temp folder
        os.environ.pop("SOTHEODOI_DB", None)
        from PySide6.QtCore import QSettings

        # Window state goes to the temp folder too, never to the user's settings.
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
        from ui.app import setup_logging

        log_path = setup_logging(folder)
        try:
            summary = _steps(folder)
        except Exception as exc:
            detail = traceback.format_exc()
            try:
                log_text = log_path.read_text(encoding="utf-8")
            except OSError:
                log_text = ""
            if sys.stderr is not None:  # a windowed build on Windows has no stderr
                sys.stderr.write(detail + log_text)
            print(f"SELF-TEST FAILED: {type(exc).__name__}: {exc}", flush=True)
            return 1
        print(f"SELF-TEST OK {summary}", flush=True)
        return 0
