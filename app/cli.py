"""The command line: ``python -m app [--db PATH] COMMAND …``. It prints; it never opens a window
and never imports Qt. Errors go to stderr in Vietnamese with a non-zero exit code."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import enum
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from app import APP_NAME, __version__
from app.dates import fmt, parse_date
from app.db import Database, connect
from app.errors import AppError, NotFound
from app.paths import default_db_path
from app.status import Status

Handler = Callable[[Database, argparse.Namespace, TextIO], int]


class _Parser(argparse.ArgumentParser):
    """argparse in Vietnamese: a usage error exits with code 2 and a clear message."""

    def error(self, message: str) -> NoReturn:
        translated = (
            message.replace("the following arguments are required", "thiếu tham số bắt buộc")
            .replace("invalid choice", "lựa chọn không hợp lệ")
            .replace("unrecognized arguments", "tham số không hiểu được")
            .replace("expected one argument", "cần một giá trị")
            .replace("choose from", "chọn một trong")
            .replace("argument ", "tham số ")
        )
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {translated}\nXem hướng dẫn: {self.prog} --help\n")


def _date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except AppError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _to_json(v) for k, v in value.items()}
    return value


def print_json(data: Any, out: TextIO) -> None:
    json.dump(_to_json(data), out, ensure_ascii=False, indent=2)
    out.write("\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    cells = [[str(c) for c in headers]] + [["" if c is None else str(c) for c in r] for r in rows]
    widths = [min(60, max(len(r[i]) for r in cells)) for i in range(len(headers))]
    for n, row in enumerate(cells):
        out.write("  ".join(c[:60].ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        out.write("\n")
        if n == 0:
            out.write("  ".join("-" * w for w in widths) + "\n")


# --- commands ---------------------------------------------------------------------------------


def cmd_sample(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.sample import load_sample

    out.write(load_sample(db).describe() + "\n")
    return 0


def cmd_units(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.units import list_units

    units = list_units(db, include_inactive=args.all, kind=args.kind)
    if args.json:
        print_json([dict(_to_json(u), kind_label=u.kind_label) for u in units], out)
        return 0
    print_table(
        ["Mã", "Tên đơn vị", "Viết tắt", "Loại", "Hiệu lực", "Theo dõi"],
        [(u.id, u.name, u.short_name, u.kind_label,
          f"{fmt(u.valid_from) or '…'} – {fmt(u.valid_to) or '…'}",
          "có" if u.active else "ngừng") for u in units],
        out,
    )
    out.write(f"\n{len(units)} đơn vị.\n")
    return 0


def _obligation_filters(db: Database, args: argparse.Namespace) -> dict[str, Any]:
    from app.services.directives import find_directive
    from app.services.units import find_unit

    filters: dict[str, Any] = {}
    with db.read() as session:
        if getattr(args, "directive", None):
            filters["directive_id"] = find_directive(session, args.directive).id
        if getattr(args, "unit", None):
            filters["unit_id"] = find_unit(session, args.unit).id
    if getattr(args, "status", None):
        filters["statuses"] = [Status(s) for s in args.status]
    if getattr(args, "kind", None):
        filters["unit_kind"] = args.kind
    return filters


def cmd_status(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.obligations import list_obligations

    rows = list_obligations(db, args.as_of, **_obligation_filters(db, args))
    if args.json:
        print_json({
            "as_of": args.as_of,
            "count": len(rows),
            "obligations": [
                {
                    "id": r.id, "directive": r.directive_symbol, "task": r.task_title,
                    "unit": r.unit_name, "unit_kind": r.unit_kind, "period": r.period_label,
                    "period_key": r.period_key, "due_date": r.due_date,
                    "received_date": r.first_received, "submissions": r.submission_count,
                    "status": r.status, "status_label": r.status.label,
                    "days_past_due": r.days_past_due, "exempt_reason": r.exempt_reason,
                }
                for r in rows
            ],
        }, out)
        return 0
    print_table(
        ["Đơn vị", "Nhiệm vụ", "Kỳ", "Hạn", "Ngày nhận", "Trạng thái"],
        [(r.unit_display, r.task_title, r.period_label or "—", fmt(r.due_date),
          fmt(r.first_received), r.status.label) for r in rows],
        out,
    )
    counts: dict[Status, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{s.label}: {counts[s]}" for s in Status if s in counts)
    out.write(f"\n{len(rows)} nghĩa vụ tính đến ngày {fmt(args.as_of)}. {summary}\n")
    return 0


def cmd_receive(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.submissions import SubmissionInput, record_submission, resolve_obligation

    with db.read() as session:
        obligation = resolve_obligation(session, unit=args.unit, directive=args.directive,
                                        task=args.task, period=args.period)
        obligation_id = obligation.id
    info = record_submission(db, SubmissionInput(
        obligation_id=obligation_id, number_symbol=args.number, signed_date=args.signed,
        received_date=args.received, signer=args.signer or "", channel=args.channel,
        summary=args.summary or ""), today=args.today)
    out.write(f"{info.id}\n")
    return 0


# --- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sotheodoi",
        description=f"{APP_NAME} {__version__}: theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo. "
                    "Không có lệnh: mở cửa sổ chương trình.",
    )
    parser.add_argument("--db", metavar="TỆP",
                        help="tệp cơ sở dữ liệu (mặc định: biến SOTHEODOI_DB hoặc thư mục dữ "
                             f"liệu người dùng: {default_db_path()})")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    p = sub.add_parser("sample", help="nạp dữ liệu mẫu (Công văn 2116/UBND-NC, Quảng Ngãi)")
    p.set_defaults(handler=cmd_sample)

    p = sub.add_parser("units", help="liệt kê đơn vị")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.add_argument("--kind", choices=["so_nganh", "huyen", "xa", "khac"], help="loại đơn vị")
    p.add_argument("--active-only", dest="all", action="store_false",
                   help="chỉ đơn vị đang theo dõi")
    p.set_defaults(handler=cmd_units)

    p = sub.add_parser("status", help="trạng thái mọi nghĩa vụ tại một ngày")
    p.add_argument("--as-of", type=_date_arg, default=dt.date.today(), metavar="NGÀY",
                   help="ngày xét (dd/mm/yyyy hoặc yyyy-mm-dd; mặc định hôm nay)")
    p.add_argument("--directive", metavar="SỐ_KÝ_HIỆU", help="chỉ một văn bản, ví dụ 2116/UBND-NC")
    p.add_argument("--unit", metavar="TÊN", help="chỉ một đơn vị (không cần dấu)")
    p.add_argument("--kind", choices=["so_nganh", "huyen", "xa", "khac"], help="loại đơn vị")
    p.add_argument("--status", action="append", choices=[s.value for s in Status],
                   metavar="MÃ", help="lọc theo trạng thái (có thể lặp): "
                                      + ", ".join(s.value for s in Status))
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(handler=cmd_status)

    p = sub.add_parser("receive", help="ghi nhận văn bản đơn vị gửi đến; in mã văn bản")
    p.add_argument("--unit", required=True, metavar="TÊN")
    p.add_argument("--directive", required=True, metavar="SỐ_KÝ_HIỆU")
    p.add_argument("--task", default="", metavar="TÊN_NHIỆM_VỤ")
    p.add_argument("--period", metavar="KỲ", help='kỳ báo cáo, ví dụ "6 tháng đầu năm 2018"')
    p.add_argument("--number", required=True, metavar="SỐ_KÝ_HIỆU",
                   help="số, ký hiệu văn bản của đơn vị")
    p.add_argument("--signed", required=True, type=_date_arg, metavar="NGÀY", help="ngày ký")
    p.add_argument("--received", required=True, type=_date_arg, metavar="NGÀY", help="ngày nhận")
    p.add_argument("--signer", metavar="TÊN", help="người ký")
    p.add_argument("--channel", default="giay", choices=["giay", "email", "he_thong"],
                   help="hình thức nhận")
    p.add_argument("--summary", metavar="NỘI_DUNG", help="trích yếu")
    p.add_argument("--today", type=_date_arg, default=dt.date.today(), help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_receive)

    from app.exchange.commands import add_commands

    add_commands(sub, _date_arg)
    return parser


def run(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    if not getattr(args, "command", None):
        parser.print_help(out)
        return 0
    db_path = Path(args.db) if args.db else default_db_path()
    try:
        db = connect(str(db_path))
    except AppError as exc:
        err.write(f"Lỗi: {exc.message}\n")
        return exc.exit_code
    try:
        return int(args.handler(db, args, out))
    except NotFound as exc:
        err.write(f"Lỗi: {exc.message}\n")
        return exc.exit_code
    except AppError as exc:
        err.write(f"Lỗi: {exc.message}\n")
        if getattr(exc, "errors", None):
            for field, message in exc.errors.items():  # type: ignore[attr-defined]
                if message != exc.message:
                    err.write(f"  - {field}: {message}\n")
        return exc.exit_code
    finally:
        db.dispose()
