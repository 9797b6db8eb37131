"""Command-line subcommands for deadlines: the holiday table, the .ics calendar, the reminder
e-mails and the mail settings. ``app.cli.build_parser`` calls :func:`add_deadline_commands`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from app.dates import fmt
from app.errors import AppError

if TYPE_CHECKING:  # the database layer (SQLAlchemy) only when a command runs
    from app.db import Database


def cmd_holidays(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.calendar_days import (
        CalendarDayInput,
        add_calendar_day,
        withdraw_calendar_day,
        year_calendar,
    )

    if args.action == "add":
        if args.day is None:
            raise AppError("Hãy ghi ngày: --day dd/mm/yyyy.")
        change = add_calendar_day(
            db,
            CalendarDayInput(args.day, args.work, args.name or "", args.basis or ""),
            today=args.today,
        )
        out.write(f"{change.describe()} (mã {change.entry.id})\n")
        return 0
    if args.action == "remove":
        if args.id is None:
            raise AppError("Hãy ghi mã dòng cần bỏ: --id N (xem bằng lệnh holidays list).")
        change = withdraw_calendar_day(db, args.id, today=args.today)
        out.write(
            f"Đã bỏ ngày {fmt(change.entry.day)} khỏi bảng từ {fmt(args.today)}."
            f" Hạn thực tế của {change.obligations_changed} nghĩa vụ thay đổi.\n"
        )
        return 0
    year = args.year or args.today.year
    for row in year_calendar(db, year, include_withdrawn=args.history):
        ident = f"{row.id:>5}" if row.id > 0 else "    -"
        out.write(
            f"{ident}  {fmt(row.day)}  {row.kind_label:<7} {row.name}  "
            f"[{row.source}; {row.state_label}]\n"
        )
    return 0


def cmd_ics(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.exchange.calendar_export import export_calendar

    directive_id = _directive_id(db, args.directive)
    count = export_calendar(
        db, Path(args.out), args.as_of, horizon_days=args.days, directive_id=directive_id
    )
    out.write(f"Đã ghi {count} hạn nộp vào {args.out} (mở bằng Outlook, Thunderbird…)\n")
    return 0


def cmd_mail(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.exchange.reminder_mail import (
        load_mail_settings,
        reminder_drafts,
        send_drafts,
        smtp_password,
        write_drafts,
    )

    directive_id = _directive_id(db, args.directive)
    if directive_id is None:
        raise AppError("Hãy ghi văn bản chỉ đạo: --directive 2116/UBND-NC.")
    settings = load_mail_settings(db)
    drafts = reminder_drafts(db, directive_id, args.as_of, settings=settings)
    if args.send:
        password = smtp_password(settings)
        if password is None and settings.smtp_user:
            if not sys.stdin or not sys.stdin.isatty():
                raise AppError(
                    "Chưa có mật khẩu máy chủ thư trong kho mật khẩu của máy. Hãy "
                    "chạy lệnh mail-settings --password trên cửa sổ dòng lệnh."
                )
            import getpass

            password = getpass.getpass(f"Mật khẩu thư của {settings.smtp_user}: ")
        sent = send_drafts(drafts, settings, password)
        out.write(f"Đã gửi {sent} thư qua {settings.smtp_host}.\n")
        return 0
    if not args.out:
        raise AppError(
            "Hãy ghi thư mục lưu thư: --out THƯ_MỤC (hoặc --send để gửi qua máy chủ "
            "thư đã cài đặt)."
        )
    paths = write_drafts(drafts, Path(args.out))
    no_address = [d.unit_name for d in drafts if not d.to]
    out.write(f"Đã soạn {len(paths)} thư nhắc (.eml) trong {args.out}\n")
    if no_address:
        out.write(
            "Chưa có địa chỉ thư, điền trong chương trình thư: " + "; ".join(no_address) + "\n"
        )
    return 0


def cmd_mail_settings(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    import dataclasses

    from app.exchange.reminder_mail import (
        load_mail_settings,
        save_mail_settings,
        store_smtp_password,
    )

    current = load_mail_settings(db)
    changes: dict[str, Any] = {
        k: getattr(args, k)
        for k in (
            "mail_from",
            "mail_from_name",
            "smtp_host",
            "smtp_port",
            "smtp_user",
            "smtp_security",
        )
        if getattr(args, k) is not None
    }
    settings = (
        save_mail_settings(db, dataclasses.replace(current, **changes)) if changes else current
    )
    if args.password:
        import getpass

        password = getpass.getpass(f"Mật khẩu thư của {settings.smtp_user}: ")
        if not store_smtp_password(settings, password):
            raise AppError("Máy này không có kho mật khẩu: mật khẩu sẽ được hỏi mỗi lần gửi.")
        out.write("Đã lưu mật khẩu vào kho mật khẩu của máy (không lưu trong dữ liệu).\n")
    out.write(
        f"Gửi từ: {settings.mail_from or '(chưa có)'}; máy chủ: "
        f"{settings.smtp_host or '(không dùng)'}"
        + (f":{settings.smtp_port} ({settings.smtp_security})" if settings.smtp_host else "")
        + "\n"
    )
    return 0


def _directive_id(db: Database, symbol: str | None) -> int | None:
    if not symbol:
        return None
    from app.services.directives import find_directive

    with db.read() as session:
        return find_directive(session, symbol).id


def add_deadline_commands(sub: Any, date_arg: Any) -> None:
    """Register the subcommands on the CLI's subparsers (``date_arg`` parses dd/mm/yyyy)."""
    from app.cli import add_as_of

    p = sub.add_parser("holidays", help="lịch nghỉ lễ, làm bù: xem, thêm, bỏ một ngày")
    p.add_argument(
        "action",
        nargs="?",
        default="list",
        choices=["list", "add", "remove"],
        help="list (mặc định), add, remove",
    )
    p.add_argument("--year", type=int, help="năm cần xem (mặc định năm nay)")
    p.add_argument("--history", action="store_true", help="hiện cả các dòng đã bỏ")
    p.add_argument("--day", type=date_arg, metavar="NGÀY", help="ngày nghỉ hoặc làm bù")
    p.add_argument("--work", action="store_true", help="ngày làm bù (mặc định: ngày nghỉ)")
    p.add_argument("--name", metavar="TÊN", help="tên, lý do")
    p.add_argument("--basis", metavar="CĂN_CỨ", help="thông báo làm căn cứ")
    p.add_argument("--id", type=int, help="mã dòng cần bỏ (remove)")
    p.add_argument("--today", type=date_arg, default=dt.date.today(), help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_holidays)

    p = sub.add_parser("ics", help="xuất lịch các hạn sắp tới ra tệp .ics (Outlook, Thunderbird)")
    p.add_argument("--out", required=True, metavar="TỆP.ics")
    add_as_of(p, "từ ngày (mặc định hôm nay)")
    p.add_argument("--days", type=int, default=120, help="số ngày tới (mặc định 120)")
    p.add_argument("--directive", metavar="SỐ_KÝ_HIỆU", help="chỉ một văn bản chỉ đạo")
    p.set_defaults(handler=cmd_ics)

    p = sub.add_parser(
        "mail",
        help="soạn thư điện tử nhắc hạn (.eml, kèm công văn đôn đốc PDF) cho từng đơn vị quá hạn",
    )
    p.add_argument("--directive", required=True, metavar="SỐ_KÝ_HIỆU")
    add_as_of(p, None)
    p.add_argument("--out", metavar="THƯ_MỤC", help="thư mục lưu các tệp .eml")
    p.add_argument(
        "--send", action="store_true", help="gửi ngay qua máy chủ thư đã cài đặt (mail-settings)"
    )
    p.set_defaults(handler=cmd_mail)

    p = sub.add_parser("mail-settings", help="địa chỉ gửi thư và máy chủ thư (không bắt buộc)")
    p.add_argument("--from", dest="mail_from", metavar="ĐỊA_CHỈ")
    p.add_argument("--from-name", dest="mail_from_name", metavar="TÊN")
    p.add_argument("--smtp-host", metavar="MÁY_CHỦ", help='để trống "" nếu không dùng')
    p.add_argument("--smtp-port", type=int, metavar="CỔNG")
    p.add_argument("--smtp-user", metavar="TÊN_ĐĂNG_NHẬP")
    p.add_argument("--smtp-security", choices=["starttls", "ssl", "none"])
    p.add_argument(
        "--password", action="store_true", help="nhập mật khẩu và lưu vào kho mật khẩu của máy"
    )
    p.set_defaults(handler=cmd_mail_settings)
