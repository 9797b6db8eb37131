"""One received file, read and matched (``read_received``), and, once the user confirmed it,
recorded as a submission with the file attached (``record_received``).

Reading never writes anything and never raises for a bad file: the result says what is wrong
(``problem``) and carries no fields. Recording goes through the submission and attachment
services, so every rule of a typed-in submission applies (duplicates by number, dates).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.db import Database
from app.errors import AppError, ValidationError
from app.models import AttachmentBlob, Channel, Submission, Unit
from app.reading.fields import NOTHING, Fields, Found, read_fields
from app.reading.matching import (
    NO_MATCH,
    Catalogue,
    Match,
    ObligationMatch,
    load_catalogue,
    match_directive,
    match_obligation,
    match_unit,
)
from app.reading.signatures import SETTING_KEY, SignatureInfo, read_signatures
from app.reading.text import READABLE_SUFFIXES, SCAN_NOTE, ReadError, read_text
from app.services import attachments
from app.services.submissions import (
    SubmissionInfo,
    SubmissionInput,
    delete_submission,
    get_submission,
    record_submission,
)
from app.settings import load_settings, save_settings

log = logging.getLogger(__name__)
NO_OBLIGATION = ObligationMatch(None)

_TITLE_WORDS = {
    "CHỦ TỊCH": "Chủ tịch",
    "PHÓ CHỦ TỊCH": "Phó Chủ tịch",
    "GIÁM ĐỐC": "Giám đốc",
    "PHÓ GIÁM ĐỐC": "Phó Giám đốc",
    "CHÁNH VĂN PHÒNG": "Chánh Văn phòng",
    "PHÓ CHÁNH VĂN PHÒNG": "Phó Chánh Văn phòng",
    "CHÁNH THANH TRA": "Chánh Thanh tra",
    "PHÓ CHÁNH THANH TRA": "Phó Chánh Thanh tra",
    "TRƯỞNG BAN": "Trưởng ban",
    "PHÓ TRƯỞNG BAN": "Phó Trưởng ban",
}


def signer_text(name: str, title: str) -> str:
    """ "Nguyễn Văn A (Phó Chủ tịch)": the name and the signer's own title (the last line of
    the signature block, "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" → "Phó Chủ tịch")."""
    if not name:
        return ""
    last = title.split(" / ")[-1].strip() if title else ""
    for prefix in ("TM. ", "KT. ", "Q. ", "TL. ", "TUQ. "):
        if last.startswith(prefix):
            last = ("Quyền " if prefix == "Q. " else "") + last.removeprefix(prefix)
    label = _TITLE_WORDS.get(last.removeprefix("Quyền "), last.capitalize())
    if last.startswith("Quyền "):
        label = "Quyền " + label[0].lower() + label[1:]
    return f"{name} ({label})" if label else name


@dataclass(frozen=True)
class ReceivedFile:
    """What was read from one file, how sure, and what it was matched to."""

    path: str
    name: str
    size: int
    sha256: str
    source: str = ""  # pdf, docx, ocr; "" when unreadable
    pages: int = 0
    seconds: float = 0.0
    problem: str = ""  # what is wrong with the file (nothing read)
    manual: bool = False  # a scan without OCR: typed by hand, the file still attached
    fields: Fields | None = None
    unit: Match = NO_MATCH
    directive: Match = NO_MATCH
    obligation: ObligationMatch = NO_OBLIGATION
    signatures: tuple[SignatureInfo, ...] = ()
    duplicate: str = ""  # the record that already has this very file

    def found(self, name: str) -> Found:
        if self.fields is None:
            return NOTHING
        return getattr(self.fields, name)  # type: ignore[no-any-return]

    @property
    def signed_date(self) -> dt.date | None:
        value = self.found("signed_date").value
        if value is None and self.signatures and self.signatures[0].signed_at:
            return self.signatures[0].signed_at.date()
        return value  # type: ignore[no-any-return]

    @property
    def signer(self) -> str:
        name = self.found("signer_name").text
        if not name and self.signatures and self.signatures[0].intact:
            return self.signatures[0].signer
        return signer_text(name, self.found("signer_title").text)

    @property
    def summary(self) -> str:
        doc_type = self.found("doc_type").text
        summary = self.found("summary").text
        if doc_type and summary:
            return (
                f"{doc_type.capitalize()} {summary[0].lower()}{summary[1:]}"
                if not summary[:2].isupper()
                else f"{doc_type.capitalize()} {summary}"
            )
        return summary

    def as_dict(self) -> dict[str, object]:
        """Plain data for ``sotheodoi read --json``."""

        def one(found: Found) -> dict[str, object]:
            value = found.value.isoformat() if isinstance(found.value, dt.date) else found.value
            return {
                "value": value,
                "confidence": round(found.confidence, 2),
                "sure": found.sure,
                "note": found.note,
            }

        def match(m: Match) -> dict[str, object]:
            return {
                "id": m.id,
                "label": m.label,
                "confidence": round(m.confidence, 2),
                "sure": m.sure,
                "note": m.note,
            }

        names = (
            "number_symbol",
            "signed_date",
            "issuing_body",
            "parent_body",
            "doc_type",
            "summary",
            "signer_name",
            "signer_title",
            "task",
            "period",
        )
        fields_out: dict[str, object] = (
            {n: one(self.found(n)) for n in names} if self.fields else {}
        )
        if self.fields:
            fields_out["period"] = dict(one(self.fields.period), label=self.fields.period_label)
            fields_out["cited"] = [
                {"symbol": c.symbol, "date": c.date.isoformat() if c.date else None}
                for c in self.fields.citations
            ]
        return {
            "file": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "source": self.source,
            "pages": self.pages,
            "seconds": round(self.seconds, 3),
            "problem": self.problem,
            "manual": self.manual,
            "fields": fields_out,
            "unit": match(self.unit),
            "directive": match(self.directive),
            "obligation": match(self.obligation),
            "signatures": [
                {
                    "signer": s.signer,
                    "signed_at": s.signed_at.isoformat() if s.signed_at else None,
                    "intact": s.intact,
                    "modified_after_signing": s.modified_after,
                    "trusted": s.trusted,
                    "trust_roots": list(s.trust_roots),
                    "revocation_checked": False,
                    "text": s.describe(),
                }
                for s in self.signatures
            ],
            "duplicate": self.duplicate,
        }


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class KnownFiles:
    """The files already attached to submissions, to flag a file received twice. Only their
    sizes are read up front (a stat per file); a file is hashed only when a received file has
    the same size, once (years of attachments are never all read)."""

    by_hash: dict[str, str] = field(default_factory=dict)  # sha256 → "văn bản 45/KH-UBND của …"
    by_size: dict[int, list[tuple[Path, str]]] = field(default_factory=dict)

    def add(self, digest: str, label: str) -> None:
        self.by_hash.setdefault(digest, label)

    def find(self, size: int, digest: str) -> str | None:
        """The record that already has a file of this content, if any."""
        for path, label in self.by_size.pop(size, []):
            try:
                self.by_hash.setdefault(file_hash(path), label)
            except OSError:
                continue
        return self.by_hash.get(digest)


def known_files(db: Database) -> KnownFiles:
    known = KnownFiles()
    with db.read() as session:
        rows = session.execute(
            select(Submission.id, Submission.number_symbol, Submission.attachment_path, Unit.name)
            .join(Unit, Unit.id == Submission.unit_id)
            .where(Submission.attachment_path != "")
        ).all()
        blobs = dict(
            session.execute(
                select(AttachmentBlob.id, AttachmentBlob.sha256).where(
                    AttachmentBlob.entity == "submission"
                )
            ).all()
        )
    folder = None
    if db.path is not None:
        folder = Path(db.path).resolve().parent
    for _sid, symbol, stored, unit in rows:
        label = f"văn bản {symbol} của {unit}"
        if stored.startswith("db:"):
            try:
                digest = blobs.get(int(stored.removeprefix("db:")))
            except ValueError:
                digest = None
            if digest:
                known.add(digest, label)
        elif folder is not None:
            try:
                path = attachments.resolve(folder, stored)
                known.by_size.setdefault(path.stat().st_size, []).append((path, label))
            except (AppError, OSError):
                continue
    return known


def expand(paths: list[Path] | list[str]) -> list[Path]:
    """Files dropped or named: folders are walked (readable files only, sorted)."""
    result: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            result.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in READABLE_SUFFIXES | {".doc"}
                    and not p.name.startswith((".", "~$"))
                )
            )
        else:
            result.append(path)
    return result


def trust_roots(db: Database) -> list[bytes]:
    """The CA certificates (DER) the office declared trusted for digital signatures."""
    with db.read() as session:
        value = load_settings(session).extra.get(SETTING_KEY) or []
    roots = []
    for item in value if isinstance(value, list) else []:
        try:
            roots.append(base64.b64decode(str(item), validate=True))
        except (ValueError, binascii.Error):
            log.warning("a trusted CA setting is not base64; skipped")
    return roots


def trust_root_names(db: Database) -> list[str]:
    from app.reading.signatures import certificate_name

    names = []
    for der in trust_roots(db):
        try:
            names.append(certificate_name(der))
        except ValueError:
            names.append("(chứng thư hỏng)")
    return names


def add_trust_roots(db: Database, file: Path | str) -> list[str]:
    """Add the CA certificates of a PEM/DER file to the trusted ones; their names."""
    from app.reading.signatures import certificate_name, certificates_in

    try:
        found = certificates_in(Path(file).read_bytes())
    except OSError:
        raise ValidationError(f"Không mở được tệp {Path(file).name}.") from None
    except (ValueError, TypeError):
        raise ValidationError(
            f"{Path(file).name} không phải tệp chứng thư số (.cer, .crt, .pem)."
        ) from None
    roots = trust_roots(db)
    added = [der for der in found if der not in roots]
    _save_roots(db, roots + added)
    return [certificate_name(der) for der in added]


def remove_trust_root(db: Database, index: int) -> None:
    roots = trust_roots(db)
    if 0 <= index < len(roots):
        del roots[index]
        _save_roots(db, roots)


def _save_roots(db: Database, roots: list[bytes]) -> None:
    with db.write() as session:
        save_settings(
            session, **{SETTING_KEY: [base64.b64encode(r).decode("ascii") for r in roots]}
        )


def read_received(
    db: Database,
    path: Path | str,
    *,
    today: dt.date,
    catalogue: Catalogue | None = None,
    known: KnownFiles | None = None,
    roots: list[bytes] | None = None,
    ocr: bool = True,
) -> ReceivedFile:
    """Read one file and match it. Never raises for a bad file (``problem`` says why)."""
    path = Path(path)
    started = time.perf_counter()
    try:
        size = path.stat().st_size
        digest = file_hash(path) if path.is_file() else ""
    except OSError:
        return ReceivedFile(str(path), path.name, 0, "", problem=f"Không mở được tệp {path.name}.")
    duplicate = ""
    already = known.find(size, digest) if known is not None and digest else None
    if already:
        duplicate = f"Tệp này đã được ghi nhận ({already})."
    try:
        document = read_text(path, ocr=ocr)
    except ReadError as exc:
        return ReceivedFile(
            str(path),
            path.name,
            size,
            digest,
            problem=exc.message,
            manual=exc.code == "scan",
            seconds=time.perf_counter() - started,
            duplicate=duplicate,
        )
    except Exception as exc:  # a reader library failing on a hostile file: never a crash
        log.exception("reading %s failed", path)
        return ReceivedFile(
            str(path),
            path.name,
            size,
            digest,
            problem=f"Không đọc được tệp ({type(exc).__name__}); hãy nhập tay.",
            seconds=time.perf_counter() - started,
            duplicate=duplicate,
        )
    signatures: tuple[SignatureInfo, ...] = ()
    if document.source in ("pdf", "ocr") and path.suffix.lower() == ".pdf":
        signatures = tuple(read_signatures(path, roots if roots is not None else trust_roots(db)))
    fields = read_fields(document, today=today)
    catalogue = catalogue or load_catalogue(db)
    day = fields.signed_date.value if isinstance(fields.signed_date.value, dt.date) else None
    unit = match_unit(catalogue, fields.body_candidates, day)
    directive = match_directive(catalogue, fields.citations, fields.task.value)
    obligation = match_obligation(db, unit, directive, fields, today)
    problem = ""
    if not any((fields.number_symbol.value, fields.signed_date.value, fields.issuing_body.value)):
        problem = "Không nhận ra văn bản hành chính trong tệp (không thấy số, ngày, cơ quan)."
    return ReceivedFile(
        str(path),
        path.name,
        size,
        digest,
        source=document.source,
        pages=document.pages,
        seconds=time.perf_counter() - started,
        problem=problem,
        fields=fields,
        unit=unit,
        directive=directive,
        obligation=obligation,
        signatures=signatures,
        duplicate=duplicate,
    )


def read_many(
    db: Database,
    paths: list[Path] | list[str],
    *,
    today: dt.date,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> list[ReceivedFile]:
    """Read files one after the other; ``progress(done, total, name)`` after each,
    ``cancelled()`` checked before each (what was read so far is returned)."""
    files = expand(paths)
    catalogue = load_catalogue(db)
    known = known_files(db)
    roots = trust_roots(db)
    results: list[ReceivedFile] = []
    seen: dict[str, str] = {}
    for n, path in enumerate(files):
        if cancelled is not None and cancelled():
            break
        result = read_received(db, path, today=today, catalogue=catalogue, known=known, roots=roots)
        if result.sha256 and not result.duplicate and result.sha256 in seen:
            from dataclasses import replace

            result = replace(
                result,
                duplicate=f"Trùng nội dung với tệp {seen[result.sha256]} trong lần nhận này.",
            )
        seen.setdefault(result.sha256, path.name)
        results.append(result)
        if progress is not None:
            progress(n + 1, len(files), path.name)
    return results


@dataclass(frozen=True)
class Confirmed:
    """A row the user checked and confirmed."""

    path: str
    obligation_id: int
    number_symbol: str
    signed_date: dt.date | None
    received_date: dt.date | None
    signer: str = ""
    summary: str = ""
    channel: Channel | str = Channel.SYSTEM


def record_received(db: Database, row: Confirmed, *, today: dt.date) -> SubmissionInfo:
    """Record a confirmed row as a submission and attach its file. All or nothing: when the
    file cannot be attached the submission is taken back."""
    info = record_submission(
        db,
        SubmissionInput(
            obligation_id=row.obligation_id,
            number_symbol=row.number_symbol,
            signed_date=row.signed_date,
            received_date=row.received_date,
            signer=row.signer,
            channel=row.channel,
            summary=row.summary,
        ),
        today=today,
    )
    try:
        attachments.attach_to_submission(db, info.id, row.path)
    except Exception:
        delete_submission(db, info.id)
        raise
    return get_submission(db, info.id)


__all__ = [
    "SCAN_NOTE",
    "Confirmed",
    "KnownFiles",
    "ReceivedFile",
    "expand",
    "known_files",
    "read_many",
    "read_received",
    "record_received",
    "signer_text",
]
