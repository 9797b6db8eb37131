"""Exports without a server: the .ics calendar read back by icalendar, the .eml drafts read
back by Python's email package, SMTP only when configured (a local test server)."""

from __future__ import annotations

import datetime as dt
import email
import io
import threading
from email import policy
from pathlib import Path

import pytest
from icalendar import Calendar

from app.cli import run
from app.db import Database
from app.errors import AppError
from app.exchange.calendar_export import export_calendar, upcoming_deadlines
from app.exchange.reminder_mail import (
    MailSettings,
    load_mail_settings,
    reminder_drafts,
    save_mail_settings,
    send_drafts,
    write_drafts,
)
from app.services.directives import list_directives
from app.services.units import list_units
from tests.helpers import db_arg, edit_directive

D = dt.date


def _shift_on(db: Database) -> None:
    (d,) = list_directives(db)
    edit_directive(db, d.id, shift_due=True)


def test_ics_opens_in_a_calendar_parser(sample_db: Database, tmp_path: Path) -> None:
    _shift_on(sample_db)
    path = tmp_path / "han.ics"
    count = export_calendar(sample_db, path, D(2018, 4, 20), horizon_days=90)
    assert count == 2  # the plans (30/04 → 02/05) and the first half-year report (20/06)
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    plan, half = events
    assert plan.decoded("dtstart") == D(2018, 5, 2)
    assert plan.decoded("dtend") == D(2018, 5, 3)
    assert "Xây dựng kế hoạch phối hợp" in str(plan["summary"])
    description = str(plan["description"])
    assert "Hạn theo văn bản 30/04/2018" in description
    assert "Chưa nộp (14 đơn vị)" in description and "Lý Sơn" in description
    assert half.decoded("dtstart") == D(2018, 6, 20)
    assert list(plan.walk("VALARM"))
    assert plan["uid"] != half["uid"]
    # beyond the horizon: nothing
    assert upcoming_deadlines(sample_db, D(2018, 4, 20), horizon_days=5) == []


def test_cli_ics(sample_db: Database, tmp_path: Path) -> None:
    out = io.StringIO()
    path = tmp_path / "x.ics"
    assert (
        run(
            [
                "--db",
                db_arg(sample_db),
                "ics",
                "--out",
                str(path),
                "--as-of",
                "01/06/2018",
                "--days",
                "220",
            ],
            out=out,
        )
        == 0
    )
    assert "Đã ghi 2 hạn nộp" in out.getvalue()  # 6-month report (20/06) and year (20/12)
    assert len(list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))) == 2


def _with_address(db: Database, name_part: str, address: str) -> int:
    from app.models import Unit

    unit = next(u for u in list_units(db) if name_part in u.name)
    with db.write() as session:
        row = session.get(Unit, unit.id)
        assert row is not None
        row.email = address
    return unit.id


def test_eml_drafts_open_in_a_mail_parser(sample_db: Database, tmp_path: Path) -> None:
    ly_son = _with_address(sample_db, "Lý Sơn", "ubnd@lyson.quangngai.gov.vn")
    save_mail_settings(sample_db, MailSettings(mail_from="snv@quangngai.gov.vn"))
    (directive,) = list_directives(sample_db)
    drafts = reminder_drafts(sample_db, directive.id, D(2018, 5, 2))
    assert len(drafts) == 14  # every district is late with its plan
    paths = write_drafts(drafts, tmp_path / "thu")
    assert len(paths) == 14 and len(set(paths)) == 14
    by_unit = {d.unit_id: p for d, p in zip(drafts, paths, strict=True)}
    with open(by_unit[ly_son], "rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    assert message["To"].addresses[0].addr_spec == "ubnd@lyson.quangngai.gov.vn"
    assert message["From"].addresses[0].addr_spec == "snv@quangngai.gov.vn"
    assert "Đôn đốc thực hiện" in message["Subject"] and "2116/UBND-NC" in message["Subject"]
    assert message["X-Unsent"] == "1"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Kính gửi: UBND huyện Lý Sơn" in body
    assert "Xây dựng kế hoạch phối hợp" in body and "30/04/2018" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "cong-van-don-doc-20180502.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    others = [d for d in drafts if d.unit_id != ly_son]
    assert all(not d.to for d in others)  # no address yet: filled in the mail program


def test_cli_mail_writes_drafts_and_refuses_to_send_without_a_server(
    sample_db: Database, tmp_path: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    args = ["--db", db_arg(sample_db), "mail", "--directive", "2116", "--as-of", "02/05/2018"]
    assert run([*args, "--out", str(tmp_path / "eml")], out=out, err=err) == 0, err.getvalue()
    assert "Đã soạn 14 thư nhắc" in out.getvalue()
    assert len(list((tmp_path / "eml").glob("*.eml"))) == 14
    err = io.StringIO()
    assert run([*args, "--send"], out=out, err=err) != 0
    assert "Chưa cài đặt máy chủ gửi thư" in err.getvalue()


def test_bad_mail_settings_are_refused(sample_db: Database) -> None:
    from app.errors import ValidationError

    with pytest.raises(ValidationError):
        save_mail_settings(sample_db, MailSettings(mail_from="không phải địa chỉ"))
    with pytest.raises(ValidationError):
        save_mail_settings(sample_db, MailSettings(smtp_host="mail.example.vn"))
    assert load_mail_settings(sample_db).smtp_host == ""


class _Sink:
    """A tiny SMTP server on localhost that keeps what it receives."""

    def __init__(self) -> None:
        import socket

        self.messages: list[bytes] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(1)
        self.port = self.sock.getsockname()[1]
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.sock.accept()
        f = conn.makefile("rb")
        conn.sendall(b"220 test\r\n")
        data_mode, buffer = False, b""
        while True:
            line = f.readline()
            if not line:
                break
            if data_mode:
                if line == b".\r\n":
                    self.messages.append(buffer)
                    buffer, data_mode = b"", False
                    conn.sendall(b"250 ok\r\n")
                else:
                    buffer += line
                continue
            cmd = line[:4].upper()
            if cmd in (b"EHLO", b"HELO"):
                conn.sendall(b"250 test\r\n")
            elif cmd == b"DATA":
                data_mode = True
                conn.sendall(b"354 go\r\n")
            elif cmd == b"QUIT":
                conn.sendall(b"221 bye\r\n")
                break
            else:
                conn.sendall(b"250 ok\r\n")
        conn.close()
        self.sock.close()


def test_smtp_sends_only_when_configured(sample_db: Database) -> None:
    unit_id = _with_address(sample_db, "Lý Sơn", "ubnd@lyson.quangngai.gov.vn")
    (directive,) = list_directives(sample_db)
    sink = _Sink()
    settings = save_mail_settings(
        sample_db,
        MailSettings(
            mail_from="snv@quangngai.gov.vn",
            smtp_host="127.0.0.1",
            smtp_port=sink.port,
            smtp_security="none",
        ),
    )
    drafts = reminder_drafts(sample_db, directive.id, D(2018, 5, 2), unit_ids=[unit_id])
    assert send_drafts(drafts, settings, None, timeout=5) == 1
    sink.thread.join(5)
    (raw,) = sink.messages
    message = email.message_from_bytes(raw, policy=policy.default)
    assert message["X-Unsent"] is None
    assert "ubnd@lyson" in message["To"]
    with pytest.raises(AppError):  # a unit without an address is named, nothing sent
        send_drafts(reminder_drafts(sample_db, directive.id, D(2018, 5, 2)), settings, None)


def test_cli_holiday_table(sample_db: Database) -> None:
    args = ["--db", db_arg(sample_db), "holidays"]
    out, err = io.StringIO(), io.StringIO()
    assert run([*args, "--year", "2018", "--today", "01/08/2018"], out=out, err=err) == 0
    listing = out.getvalue()
    assert "16/02/2018" in listing and "Tết Nguyên Đán" in listing and "Lịch nhà nước" in listing
    out = io.StringIO()
    assert (
        run(
            [*args, "add", "--day", "03/09/2018", "--name", "Nghỉ thêm", "--today", "01/08/2018"],
            out=out,
            err=err,
        )
        == 0
    ), err.getvalue()
    assert "Đã ghi nghỉ ngày 03/09/2018" in out.getvalue()
    from app.services.calendar_days import list_calendar_days

    (line,) = list_calendar_days(sample_db)
    out = io.StringIO()
    assert (
        run([*args, "remove", "--id", str(line.id), "--today", "05/08/2018"], out=out, err=err) == 0
    )
    assert list_calendar_days(sample_db) == []
    err = io.StringIO()
    assert (
        run([*args, "remove", "--id", str(line.id), "--today", "06/08/2018"], out=out, err=err) != 0
    )
    assert err.getvalue().startswith("Lỗi:") and "đã được bỏ" in err.getvalue()


def test_warnings_export_adds_the_letters_date_only_when_shifted(
    sample_db: Database, tmp_path: Path
) -> None:
    import openpyxl

    from app.exchange.xlsx_export import HEADER_ROW, ExportFilters, export

    def headers_and_first(name: str) -> tuple[list[object], tuple[object, ...]]:
        path, _count = export(
            sample_db, "warnings", tmp_path / name, ExportFilters(as_of=D(2018, 5, 1))
        )
        ws = openpyxl.load_workbook(path).active
        first = next(ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True))
        return [c.value for c in ws[HEADER_ROW]], first

    headers, _ = headers_and_first("off.xlsx")
    assert "Hạn theo văn bản" not in headers
    _shift_on(sample_db)
    headers, first = headers_and_first("on.xlsx")
    at = headers.index("Hạn theo văn bản")
    assert headers[at - 1] == "Hạn"
    assert first[at - 1].date() == D(2018, 5, 2) and first[at].date() == D(2018, 4, 30)
