"""``sotheodoi --self-test``: prove that a build works, without a screen and without touching
the user's data.

In a temporary folder: open a new database, migrate it, load the sample, list the obligations,
build one PDF and one Word file, read their text back (pypdfium2, python-docx: what the intake
of received files uses), check the holiday calendar and the deadline calendar (.ics), sign the
PDF and check its signature as the intake does (pyHanko with cryptography; see
``check_signatures``), open and close the main window offscreen, check Qt's text services
(and the ICU data the Linux bundle carries, see ``check_text_services``). Prints one line,
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
    """Build the sample's synthesis report (báo cáo tổng hợp) with the bundled fonts: a PDF, or
    a Word file when ``target`` ends in ".docx"."""
    from app.db import Database
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import build
    from app.services.directives import list_directives

    assert isinstance(db, Database)
    directive = list_directives(db)[0]
    build(
        db,
        DocumentOptions(kind=DocumentKind.SUMMARY, as_of=day, directive_id=directive.id, today=day),
        target,
    )
    return target


def check_reading(pdf: Path, docx: Path) -> str:
    """The text of a PDF (pypdfium2) and of a Word file (python-docx) read back, as the intake
    of received files reads them."""
    from app.reading.text import read_docx, read_pdf

    pdf_text = read_pdf(pdf, ocr=False).plain
    _check("SỞ NỘI VỤ" in pdf_text.upper(), "không đọc được chữ của tệp PDF (pypdfium2)")
    docx_text = read_docx(docx).plain
    _check("SỞ NỘI VỤ" in docx_text.upper(), "không đọc được chữ của tệp Word (python-docx)")
    return f"text read back ({len(pdf_text)} + {len(docx_text)} chars)"


def check_calendar(db: object, day: dt.date) -> str:
    """The holidays (Tết 2018 from the holidays package) and the .ics of the deadlines
    (icalendar), parsed back."""
    from icalendar import Calendar

    from app.db import Database
    from app.exchange.calendar_export import calendar_bytes, upcoming_deadlines
    from app.workdays import WorkCalendar

    assert isinstance(db, Database)
    tet = WorkCalendar().day_off_reason(dt.date(2018, 2, 16)) or ""
    _check("Tết" in tet, "không đọc được lịch ngày lễ, Tết (gói holidays)")
    deadlines = upcoming_deadlines(db, day, horizon_days=400)
    data = calendar_bytes(deadlines, stamp=dt.datetime(2018, 5, 2, 8, 0, tzinfo=dt.UTC))
    events = Calendar.from_ical(data).walk("VEVENT")
    _check(
        len(deadlines) > 0 and len(events) == len(deadlines),
        "không tạo được lịch hạn (.ics, gói icalendar)",
    )
    return f"{len(events)} deadline(s) in .ics"


def check_signatures(pdf: Path, folder: Path) -> str:
    """Digital signatures in the build: sign ``pdf`` with a throw-away CA and signer made here
    (ECDSA P-256, cryptography; pyHanko's signer), then read the signature back as the intake
    of received files does (``app.reading.signatures``: pyHanko's validation, offline): with
    the CA trusted it is intact and trusted; one byte changed in the signed part, not intact.
    A build without pyHanko, cryptography, aiohttp or ssl fails here."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    from app.reading.signatures import read_signatures

    start = dt.datetime(2018, 1, 1, tzinfo=dt.UTC)
    end = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("CA tự kiểm tra"))
        .issuer_name(name("CA tự kiểm tra"))
        .public_key(ca_key.public_key())
        .serial_number(1)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name("Sở Nội vụ tự kiểm tra"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(2)
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    ca_path, cert_path, key_path = (folder / "ca.pem", folder / "signer.pem", folder / "signer.key")
    ca_path.write_bytes(ca.public_bytes(pem))
    cert_path.write_bytes(cert.public_bytes(pem))
    key_path.write_bytes(
        key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    signer = signers.SimpleSigner.load(
        str(key_path), str(cert_path), ca_chain_files=(str(ca_path),)
    )
    _check(signer is not None, "không nạp được chứng thư để ký thử (pyHanko)")
    signed = folder / "self-test-signed.pdf"
    with pdf.open("rb") as source, signed.open("wb") as out:
        signers.PdfSigner(
            signers.PdfSignatureMetadata(field_name="ChuKySo"), signer=signer
        ).sign_pdf(IncrementalPdfFileWriter(source), output=out)
    found = read_signatures(signed, [str(ca_path)])
    _check(
        len(found) == 1 and not found[0].problem,
        "không kiểm tra được chữ ký số: " + (found[0].describe() if found else "không thấy"),
    )
    _check(
        found[0].intact and found[0].trusted and found[0].ok,
        f"chữ ký số thử không được xác nhận: {found[0].describe()}",
    )
    data = bytearray(signed.read_bytes())
    data[len(data) // 4] ^= 1  # inside the signed bytes (the signature sits at the end)
    changed = folder / "self-test-changed.pdf"
    changed.write_bytes(bytes(data))
    again = read_signatures(changed, [str(ca_path)])
    _check(bool(again) and not again[0].intact, "tệp bị sửa sau khi ký vẫn được coi là nguyên vẹn")
    return "signature checked"


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
        _check(
            sample.units_added > 0 and sample.obligations_added > 0, "không nạp được dữ liệu mẫu"
        )
        rows = list_obligations(db, SAMPLE_DAY)
        _check(len(rows) == sample.obligations_added, "số nghĩa vụ không khớp")
        pdf = build_test_pdf(db, folder / "self-test.pdf", SAMPLE_DAY)
        _check(pdf.exists() and pdf.read_bytes()[:5] == b"%PDF-", "không tạo được tệp PDF")
        docx = build_test_pdf(db, folder / "self-test.docx", SAMPLE_DAY)  # Word: by the suffix
        _check(docx.exists() and docx.read_bytes()[:2] == b"PK", "không tạo được tệp Word")
        reading = check_reading(pdf, docx)
        calendar = check_calendar(db, SAMPLE_DAY)
        signatures = check_signatures(pdf, folder)
        pages = _open_window(db)
        text = check_text_services()
        elapsed = time.perf_counter() - started
        return (
            f"{sample.units_added} units, {len(rows)} obligations, "
            f"PDF {pdf.stat().st_size} bytes, Word {docx.stat().st_size} bytes, "
            f"{reading}, {calendar}, {signatures}, window with {pages} tab(s), "
            f"{text}, {elapsed:.2f} s"
        )
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
    host = QUrl.fromUserInput("sở-nội-vụ.quảngngãi.vn").host(
        QUrl.ComponentFormattingOption.FullyEncoded
    )
    _check(host.startswith("xn--"), f"tên miền tiếng Việt không chuyển được: {host}")
    vietnamese = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)
    _check(vietnamese.toUpper("đà nẵng") == "ĐÀ NẴNG", "chuyển chữ hoa tiếng Việt sai")
    if not sys.platform.startswith("linux"):
        return "text ok"
    collator = QCollator(vietnamese)
    # Vietnamese: ă and â are letters of their own and Đ comes after D (root: accented a, d).
    _check(
        collator.compare("ăz", "âa") < 0 and collator.compare("Dak Lak", "Đà Nẵng") < 0,
        "thứ tự tiếng Việt của Qt (ICU) sai: thiếu dữ liệu ICU",
    )
    _check(
        QCollator(QLocale(QLocale.Language.English)).compare("âa", "ăz") < 0,
        "thứ tự gốc của Qt (ICU) sai: thiếu dữ liệu ICU",
    )
    _check(QStringDecoder("windows-1258").isValid(), "thiếu bảng mã windows-1258 (ICU)")
    zone = QTimeZone(b"Asia/Ho_Chi_Minh")
    if zone.isValid():  # needs the system's time-zone database
        name = zone.displayName(
            QTimeZone.TimeType.StandardTime, QTimeZone.NameType.LongName, vietnamese
        )
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
