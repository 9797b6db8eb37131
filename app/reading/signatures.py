"""Digital signatures of a received PDF, validated offline with pyHanko: who signed, when,
whether the file was changed after signing, and against which trust roots.

Offline means revocation (CRL/OCSP) is never checked: every result says so plainly. The trust
roots are the CA certificates the office adds ("CA tin cậy…" in the review dialog; kept in the
database settings as ``trusted_ca_certificates``), e.g. the Government's CA of Ban Cơ yếu Chính
phủ; without them a signature can be intact
but its signer "not verified".
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from app.dates import fmt

log = logging.getLogger(__name__)
# A certificate outside the trust roots is an expected outcome, not an error worth a traceback.
logging.getLogger("pyhanko").setLevel(logging.CRITICAL)

REVOCATION_NOTE = "chưa kiểm tra thu hồi chứng thư (kiểm tra ngoại tuyến)"
SETTING_KEY = "trusted_ca_certificates"  # base64 DER, in the database (a backup carries them)


@dataclass(frozen=True)
class SignatureInfo:
    signer: str  # the certificate's common name (or organisation)
    organisation: str
    signed_at: dt.datetime | None  # the time the signer's software stated (local time)
    intact: bool  # the signed bytes are unchanged
    modified_after: bool  # content added after signing beyond form filling/annotations
    trusted: bool  # the certificate chains to one of ``trust_roots``
    trust_roots: tuple[str, ...]  # names of the roots used
    problem: str = ""

    def describe(self) -> str:
        """One Vietnamese sentence for the review table and the CLI."""
        if self.problem:
            return self.problem
        parts = [f"Ký số bởi {self.signer}"]
        if self.signed_at is not None:
            parts.append(f"lúc {self.signed_at:%H:%M} ngày {fmt(self.signed_at)}")
        text = " ".join(parts)
        if not self.intact:
            return text + "; CHỮ KÝ KHÔNG HỢP LỆ (nội dung đã bị thay đổi)."
        text += "; nội dung còn nguyên vẹn"
        if self.modified_after:
            text += ", nhưng tệp bị sửa sau khi ký"
        if self.trusted:
            text += f"; chứng thư tin cậy ({', '.join(self.trust_roots)})"
        elif self.trust_roots:
            text += "; chứng thư KHÔNG thuộc các CA tin cậy đã khai báo"
        else:
            text += "; chưa khai báo CA tin cậy nên chưa xác minh được người ký"
        return f"{text}; {REVOCATION_NOTE}."

    @property
    def ok(self) -> bool:
        return not self.problem and self.intact and not self.modified_after and self.trusted


def certificates_in(data: bytes) -> list[bytes]:
    """The DER certificates of a PEM (one or several) or DER file's bytes."""
    from asn1crypto import pem, x509

    if pem.detect(data):
        blocks = [der for _t, _h, der in pem.unarmor(data, multiple=True)]
    else:
        blocks = [data]
    for der in blocks:
        x509.Certificate.load(der).native  # noqa: B018 - parses it all: raises when it is not one
    return blocks


def certificate_name(der: bytes) -> str:
    from asn1crypto import x509

    return _names(x509.Certificate.load(der))[0]


def load_trust_roots(
    roots: list[str] | list[bytes] | tuple[str, ...] | tuple[bytes, ...],
) -> tuple[list[object], list[str]]:
    """Certificates given as DER bytes or as PEM/DER file names; one that is not a certificate
    is logged and skipped."""
    from asn1crypto import x509

    loaded: list[object] = []
    problems: list[str] = []
    for root in roots:
        try:
            blocks = [root] if isinstance(root, bytes) else certificates_in(Path(root).read_bytes())
            loaded.extend(x509.Certificate.load(der) for der in blocks)
        except (OSError, ValueError, TypeError) as exc:
            log.warning("trust root unusable: %s", exc)
            problems.append("Không đọc được một chứng thư CA đã khai báo")
    return loaded, problems


def _names(cert: object) -> tuple[str, str]:
    subject = cert.subject.native  # type: ignore[attr-defined]
    return (
        str(subject.get("common_name") or subject.get("organization_name") or "?"),
        str(subject.get("organization_name") or ""),
    )


def _may_be_signed(path: Path) -> bool:
    """A signed PDF has a /ByteRange in a signature dictionary (uncompressed, by the
    standard); a file without one is not signed."""
    try:
        with path.open("rb") as handle:
            chunk = b""
            while True:
                block = handle.read(4 * 1024 * 1024)
                if not block:
                    return False
                if b"/ByteRange" in chunk[-16:] + block:
                    return True
                chunk = block
    except OSError:
        return False


def read_signatures(
    path: Path | str, trust_root_files: list[str] | list[bytes] | tuple[str, ...] = ()
) -> list[SignatureInfo]:
    """Every signature of a PDF, validated offline. An unsigned file gives ``[]``; a file
    pyHanko cannot parse gives ``[]`` too (the text reader reports damage)."""
    if not _may_be_signed(Path(path)):
        return []  # most files: no signature dictionary at all, pyHanko not even loaded
    try:
        from pyhanko.pdf_utils.reader import PdfFileReader
        from pyhanko.sign.validation import validate_pdf_signature
        from pyhanko_certvalidator import ValidationContext
    except ImportError as exc:  # a bundle built without pyHanko or its cryptography
        log.warning("signatures not checked: %s", exc)
        return [
            SignatureInfo(
                "?",
                "",
                None,
                False,
                False,
                False,
                (),
                "Tệp có chữ ký số nhưng máy này chưa kiểm tra được (thiếu thư viện pyHanko).",
            )
        ]

    roots, _problems = load_trust_roots(trust_root_files)
    root_names = tuple(_names(r)[0] for r in roots)
    results: list[SignatureInfo] = []
    try:
        with open(path, "rb") as handle:
            reader = PdfFileReader(handle, strict=False)
            if reader.encrypted:
                return []
            embedded = list(reader.embedded_signatures)
            for sig in embedded:
                try:
                    context = ValidationContext(
                        trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail"
                    )
                    status = validate_pdf_signature(sig, context)
                except Exception as exc:  # a malformed signature must not stop the intake
                    log.warning("signature of %s not validated: %s", path, exc)
                    results.append(
                        SignatureInfo(
                            "?",
                            "",
                            None,
                            False,
                            False,
                            False,
                            root_names,
                            "Chữ ký số bị lỗi, không kiểm tra được.",
                        )
                    )
                    continue
                signer, organisation = _names(status.signing_cert)
                when = status.signer_reported_dt
                if when is not None and when.tzinfo is not None:
                    when = when.astimezone().replace(tzinfo=None)
                level = getattr(status, "modification_level", None)
                level_name = getattr(level, "name", "")
                modified = level_name not in ("", "NONE", "LTA_UPDATES", "FORM_FILLING")
                results.append(
                    SignatureInfo(
                        signer=signer,
                        organisation=organisation,
                        signed_at=when,
                        intact=bool(status.intact and status.valid),
                        modified_after=modified or not status.docmdp_ok
                        if status.docmdp_ok is not None
                        else modified,
                        trusted=bool(status.trusted),
                        trust_roots=root_names,
                    )
                )
    except Exception as exc:  # damaged PDF: the text reader says what is wrong
        log.info("no signature read from %s: %s", path, exc)
        return results
    return results
