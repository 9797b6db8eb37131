"""Reminder e-mails, one per overdue unit, as .eml drafts with the reminder letter's PDF
attached: opened in the user's mail program (Outlook, Thunderbird), checked and sent from
there. No server is needed. When the office configures an SMTP server (the password in the
system keyring, never in the database), the same messages can be sent directly.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path

from sqlalchemy import select

from app.dates import fmt
from app.db import Database
from app.errors import AppError, ValidationError
from app.fileio import atomic_write
from app.text import search_key

KEYRING_SERVICE = "sotheodoi-smtp"
SECURITY_CHOICES = ("starttls", "ssl", "none")
_EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class MailSettings:
    """The sender, and the SMTP server if the office has one (empty host: none)."""

    mail_from: str = ""
    mail_from_name: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_security: str = "starttls"

    @property
    def can_send(self) -> bool:
        return bool(self.smtp_host and self.mail_from)


def load_mail_settings(db: Database) -> MailSettings:
    from app.settings import load_settings

    with db.read() as session:
        s = load_settings(session)
    extra = s.extra
    try:
        port = int(extra.get("smtp_port") or 587)
    except (TypeError, ValueError):
        port = 587
    return MailSettings(
        mail_from=str(extra.get("mail_from") or ""),
        mail_from_name=str(extra.get("mail_from_name") or s.agency_name),
        smtp_host=str(extra.get("smtp_host") or ""),
        smtp_port=port,
        smtp_user=str(extra.get("smtp_user") or ""),
        smtp_security=str(extra.get("smtp_security") or "starttls"),
    )


def save_mail_settings(db: Database, settings: MailSettings) -> MailSettings:
    """Check and save (in the database's settings, so a backup carries them; no password)."""
    errors: dict[str, str] = {}
    if settings.mail_from and not _EMAIL.match(settings.mail_from.strip()):
        errors["mail_from"] = "Địa chỉ thư điện tử gửi đi không đúng (ví dụ snv@quangngai.gov.vn)."
    if settings.smtp_host and not settings.mail_from:
        errors["mail_from"] = "Có máy chủ gửi thư thì phải có địa chỉ gửi đi."
    if not 1 <= settings.smtp_port <= 65535:
        errors["smtp_port"] = "Cổng máy chủ thư phải từ 1 đến 65535 (thường là 587 hoặc 465)."
    if settings.smtp_security not in SECURITY_CHOICES:
        errors["smtp_security"] = "Kiểu bảo mật phải là starttls, ssl hoặc none."
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)
    from app.services.configuration import update_settings

    update_settings(
        db,
        mail_from=settings.mail_from.strip(),
        mail_from_name=settings.mail_from_name.strip(),
        smtp_host=settings.smtp_host.strip(),
        smtp_port=settings.smtp_port,
        smtp_user=settings.smtp_user.strip(),
        smtp_security=settings.smtp_security,
    )
    return load_mail_settings(db)


# --- the password in the keyring ---------------------------------------------------------------


def store_smtp_password(settings: MailSettings, password: str) -> bool:
    """Remember the SMTP password in the system keyring; False when there is none."""
    from app.connection import _keyring

    ring = _keyring()
    if ring is None:
        return False
    try:
        ring.set_password(KEYRING_SERVICE, f"{settings.smtp_user}@{settings.smtp_host}", password)
    except Exception:
        return False
    return True


def smtp_password(settings: MailSettings) -> str | None:
    from app.connection import _keyring

    ring = _keyring()
    if ring is None:
        return None
    try:
        return ring.get_password(  # type: ignore[no-any-return]
            KEYRING_SERVICE, f"{settings.smtp_user}@{settings.smtp_host}"
        )
    except Exception:
        return None


# --- the messages -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MailDraft:
    unit_id: int
    unit_name: str
    to: str  # the unit's address ("" when the unit has none: fill it in the mail program)
    message: EmailMessage

    @property
    def filename(self) -> str:
        stem = re.sub(r"[^a-z0-9]+", "-", search_key(self.unit_name)).strip("-")[:60]
        return f"nhac-han-{stem or self.unit_id}.eml"


def reminder_pdf(db: Database, directive_id: int, as_of: dt.date) -> bytes:
    """The reminder letter (công văn đôn đốc) of ``as_of`` as PDF bytes."""
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import build

    buffer = io.BytesIO()
    build(
        db,
        DocumentOptions(kind=DocumentKind.REMINDER, as_of=as_of, directive_id=directive_id),
        buffer,
    )
    return buffer.getvalue()


def reminder_drafts(
    db: Database,
    directive_id: int,
    as_of: dt.date,
    *,
    pdf: bytes | None = None,
    unit_ids: Sequence[int] | None = None,
    settings: MailSettings | None = None,
) -> list[MailDraft]:
    """One message per unit overdue on ``as_of`` (or only ``unit_ids``), with the reminder
    letter's PDF attached (built when ``pdf`` is None)."""
    from app.documents.data import directive_reference, reminder_data
    from app.models import Unit
    from app.settings import load_settings

    with db.read() as session:
        agency = load_settings(session).agency_name
    data = reminder_data(db, directive_id, as_of, exclude_name=agency)
    if pdf is None:
        pdf = reminder_pdf(db, directive_id, as_of)
    settings = settings or load_mail_settings(db)
    wanted = None if unit_ids is None else set(unit_ids)
    units = [u for u in data.units if wanted is None or u.unit_id in wanted]
    with db.read() as session:
        emails = dict(
            session.execute(
                select(Unit.id, Unit.email).where(Unit.id.in_([u.unit_id for u in units]))
            ).all()
        )
    reference = directive_reference(data.directive)
    attachment_name = f"cong-van-don-doc-{as_of:%Y%m%d}.pdf"
    drafts = []
    for unit in units:
        message = EmailMessage(policy=SMTP_POLICY)
        message["Subject"] = f"Đôn đốc thực hiện {reference}"
        sender = settings.mail_from.strip()
        if sender:
            message["From"] = formataddr((settings.mail_from_name or agency, sender))
        to = (emails.get(unit.unit_id) or "").strip()
        if to:
            message["To"] = formataddr((unit.unit_name, to))
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain="sotheodoi.local")
        message["X-Unsent"] = "1"  # Outlook opens it as a draft, ready to send
        owed = "\n".join(f"  - {item.text};" for item in unit.items)
        body = (
            f"Kính gửi: {unit.unit_name}\n\n"
            f"Thực hiện {reference}, tính đến ngày {fmt(as_of)}, {unit.unit_name} "
            f"chưa gửi:\n{owed}\n\n"
            f"{agency} đề nghị quý cơ quan khẩn trương gửi văn bản về {agency} để tổng hợp, "
            "báo cáo theo quy định. Công văn đôn đốc đính kèm thư này.\n\n"
            f"Trân trọng.\n{settings.mail_from_name or agency}\n"
        )
        message.set_content(body)
        message.add_attachment(pdf, maintype="application", subtype="pdf", filename=attachment_name)
        drafts.append(MailDraft(unit.unit_id, unit.unit_name, to, message))
    if not drafts:
        raise AppError("Không có đơn vị nào được chọn để gửi thư nhắc.")
    return drafts


def write_drafts(drafts: Sequence[MailDraft], folder: Path | str) -> list[Path]:
    """Write each message as an .eml file in ``folder`` (made if missing)."""
    target = Path(folder)
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from app.fileio import disk_error

        raise disk_error(exc, target) from exc
    paths = []
    used: set[str] = set()
    for draft in drafts:
        name = draft.filename
        if name in used:
            name = name.replace(".eml", f"-{draft.unit_id}.eml")
        used.add(name)
        path = target / name
        with atomic_write(path, "wb") as handle:
            handle.write(draft.message.as_bytes())
        paths.append(path)
    return paths


def send_drafts(
    drafts: Sequence[MailDraft],
    settings: MailSettings,
    password: str | None,
    *,
    timeout: float = 30.0,
) -> int:
    """Send the messages that have an address through the office's SMTP server."""
    if not settings.can_send:
        raise AppError(
            "Chưa cài đặt máy chủ gửi thư (SMTP). Hãy lưu thư thành tệp .eml rồi mở "
            "bằng chương trình thư điện tử."
        )
    missing = [d.unit_name for d in drafts if not d.to]
    if missing:
        raise ValidationError(
            "Các đơn vị sau chưa có địa chỉ thư điện tử (sửa ở thẻ Đơn vị): " + "; ".join(missing)
        )
    try:
        if settings.smtp_security == "ssl":
            server: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.smtp_host,
                settings.smtp_port,
                timeout=timeout,
                context=ssl.create_default_context(),
            )
        else:
            server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout)
        with server:
            if settings.smtp_security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                server.login(settings.smtp_user, password or "")
            for draft in drafts:
                message = draft.message
                del message["X-Unsent"]
                server.send_message(message)
    except smtplib.SMTPAuthenticationError:
        raise AppError(
            "Máy chủ thư từ chối tên đăng nhập hoặc mật khẩu. Hãy kiểm tra lại "
            "trong Cài đặt thư điện tử."
        ) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise AppError(
            f"Không gửi được thư qua {settings.smtp_host}:{settings.smtp_port} "
            f"({exc}). Thư chưa gửi; có thể lưu thành tệp .eml để gửi bằng "
            "chương trình thư điện tử."
        ) from None
    return len(drafts)


def notice_drafts(
    db: Database,
    unit_ids: Sequence[int],
    *,
    what: str,
    directive_symbol: str,
    due: dt.date,
    settings: MailSettings | None = None,
) -> list[MailDraft]:
    """The follow-up's notice before the due date (nhắc trước hạn): one short message per unit
    that has not sent ``what`` yet, due on ``due`` (no attachment)."""
    from app.models import Unit
    from app.settings import load_settings

    settings = settings or load_mail_settings(db)
    with db.read() as session:
        agency = load_settings(session).agency_name
        units = session.execute(
            select(Unit.id, Unit.name, Unit.email).where(Unit.id.in_(list(unit_ids)))
        ).all()
    by_id = {u.id: u for u in units}
    drafts = []
    for unit_id in unit_ids:
        unit = by_id.get(unit_id)
        if unit is None:
            continue
        message = EmailMessage(policy=SMTP_POLICY)
        message["Subject"] = f"Nhắc hạn gửi {what} ({directive_symbol}), hạn {fmt(due)}"
        if settings.mail_from.strip():
            message["From"] = formataddr(
                (settings.mail_from_name or agency, settings.mail_from.strip())
            )
        to = (unit.email or "").strip()
        if to:
            message["To"] = formataddr((unit.name, to))
        message["Date"] = formatdate(localtime=True)
        message["Message-ID"] = make_msgid(domain="sotheodoi.local")
        message["X-Unsent"] = "1"
        message.set_content(
            f"Kính gửi: {unit.name}\n\n"
            f"Theo {directive_symbol}, hạn gửi {what} là ngày {fmt(due)}. Đến nay "
            f"{agency} chưa nhận được văn bản của quý cơ quan. Đề nghị quý cơ quan gửi đúng "
            "hạn để kịp tổng hợp, báo cáo.\n\n"
            f"Trân trọng.\n{settings.mail_from_name or agency}\n"
        )
        drafts.append(MailDraft(unit.id, unit.name, to, message))
    if not drafts:
        raise AppError("Không có đơn vị nào để nhắc.")
    return drafts
