"""Command line of the intake: ``sotheodoi read FILE… [--json]`` prints what was found in each
file; ``sotheodoi receive --from-file FILE [--yes]`` records one after showing it."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TextIO

from app.errors import ValidationError
from app.kinds import Channel

if TYPE_CHECKING:  # the database layer (SQLAlchemy) only when a command runs
    from app.db import Database


def _mark(sure: bool, value: str) -> str:
    if not value:
        return "—"
    return value if sure else f"{value}  [chưa chắc]"


def describe(result: Any) -> list[tuple[str, str]]:
    """(label, value) lines of one read file, unsure values marked."""
    if result.problem and result.fields is None:
        lines = [("Lỗi", result.problem)]
        if result.duplicate:
            lines.append(("Trùng", result.duplicate))
        return lines
    f = result.fields
    lines = [
        ("Số, ký hiệu", _mark(f.number_symbol.sure, f.number_symbol.text)),
        ("Ngày ký", _mark(f.signed_date.sure, f.signed_date.text)),
        ("Cơ quan ban hành", _mark(f.issuing_body.sure, f.issuing_body.text)),
        ("Đơn vị", _mark(result.unit.sure, result.unit.label)),
        ("Loại văn bản", _mark(f.doc_type.sure, f.doc_type.text)),
        ("Trích yếu", _mark(f.summary.sure, f.summary.text)),
        ("Người ký", _mark(f.signer_name.sure, f.signer_name.text)),
        ("Chức vụ", _mark(f.signer_title.sure, f.signer_title.text)),
        ("Văn bản chỉ đạo", _mark(result.directive.sure, result.directive.label)),
        ("Nhiệm vụ", _mark(result.obligation.sure, result.obligation.task_title)),
        ("Kỳ báo cáo", _mark(f.period.sure, f.period_label)),
        ("Nghĩa vụ", _mark(result.obligation.sure, result.obligation.label)),
    ]
    for sig in result.signatures:
        lines.append(("Chữ ký số", sig.describe()))
    notes = [
        n
        for n in (
            f.number_symbol.note,
            f.signed_date.note,
            result.unit.note,
            result.directive.note,
            result.obligation.note,
            f.summary.note,
            f.signer_name.note,
        )
        if n
    ]
    for note in dict.fromkeys(notes):
        lines.append(("Lưu ý", note))
    if result.problem:
        lines.append(("Lỗi", result.problem))
    if result.duplicate:
        lines.append(("Trùng", result.duplicate))
    source = {"pdf": "lớp chữ của PDF", "docx": "tệp Word", "ocr": "nhận dạng chữ (OCR)"}.get(
        result.source, result.source
    )
    pages = f", {result.pages} trang" if result.pages else ""
    lines.append(("Đọc", f"{source}{pages}, {result.seconds:.2f} giây"))
    return lines


def cmd_read(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.cli import print_json
    from app.reading.intake import read_many

    results = read_many(db, args.files, today=args.today)
    if not results:
        raise ValidationError("Không có tệp nào để đọc (PDF, .docx hoặc ảnh quét).")
    if args.json:
        print_json([r.as_dict() for r in results], out)
    else:
        for n, result in enumerate(results):
            if n:
                out.write("\n")
            out.write(f"== {result.path}\n")
            for label, value in describe(result):
                out.write(f"  {label + ':':<18} {value}\n")
    return 1 if any(r.problem for r in results) else 0


def cmd_receive_from_file(
    db: Database, args: argparse.Namespace, out: TextIO, ask: Callable[[str], str] | None = None
) -> int:
    """Read one file, show it, record it when the user says yes (or ``--yes``): the values
    given on the command line (--number, --signed, --unit…) override what was read."""
    from app.reading.intake import (
        Confirmed,
        known_files,
        read_received,
        record_received,
        trust_roots,
    )
    from app.reading.matching import load_catalogue
    from app.services.submissions import resolve_obligation

    result = read_received(
        db,
        args.from_file,
        today=args.today,
        catalogue=load_catalogue(db),
        roots=trust_roots(db),
        known=known_files(db),
    )
    out.write(f"== {result.path}\n")
    for label, value in describe(result):
        out.write(f"  {label + ':':<18} {value}\n")
    if result.fields is None and not result.manual:
        raise ValidationError(f"Không ghi nhận: {result.problem}")
    if result.duplicate:
        raise ValidationError(f"Không ghi nhận: {result.duplicate}")
    obligation_id = result.obligation.id
    if args.unit or args.directive:
        if not (args.unit and args.directive):
            raise ValidationError("Hãy ghi cả --unit và --directive để chọn nghĩa vụ.")
        with db.read() as session:
            obligation_id = resolve_obligation(
                session,
                unit=args.unit,
                directive=args.directive,
                task=args.task,
                period=args.period,
            ).id
    number = args.number or (result.fields.number_symbol.text if result.fields else "")
    signed = args.signed or result.signed_date
    received = args.received or args.today
    if obligation_id is None:
        raise ValidationError(
            "Chưa xác định được nghĩa vụ: hãy ghi --unit, --directive "
            "(và --task, --period) rồi chạy lại."
        )
    unsure = []
    if result.fields is not None:
        f = result.fields
        if not args.number and not f.number_symbol.sure:
            unsure.append("số, ký hiệu")
        if not args.signed and not f.signed_date.sure:
            unsure.append("ngày ký")
    if not (args.unit or result.obligation.sure):
        unsure.append("nghĩa vụ")
    if not args.yes:
        question = "Ghi nhận văn bản này? (c/k) "
        if unsure:
            question = f"Chưa chắc: {', '.join(unsure)}. " + question
        reply = (ask or _ask)(question)
        if reply.strip().lower() not in ("c", "co", "có", "y", "yes"):
            out.write("Chưa ghi nhận gì.\n")
            return 1
    elif unsure:
        raise ValidationError(
            f"Không ghi nhận tự động (--yes) vì chưa chắc: {', '.join(unsure)}. Hãy kiểm tra rồi "
            "ghi rõ bằng --number, --signed, --unit/--directive, hoặc bỏ --yes để xác nhận."
        )
    info = record_received(
        db,
        Confirmed(
            path=str(args.from_file),
            obligation_id=obligation_id,
            number_symbol=number,
            signed_date=signed,
            received_date=received,
            signer=args.signer or result.signer,
            summary=args.summary or result.summary,
            channel=args.channel or Channel.SYSTEM.value,
        ),
        today=args.today,
    )
    out.write(f"Đã ghi nhận văn bản {info.number_symbol} (mã {info.id}), tệp đã đính kèm.\n")
    return 0


def _ask(question: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise ValidationError("Cần xác nhận: chạy trên cửa sổ dòng lệnh, hoặc thêm --yes.")
    return input(question)


def add_read_command(sub: Any, date_arg: Callable[[str], dt.date]) -> None:
    p = sub.add_parser(
        "read",
        help="đọc văn bản đơn vị gửi (PDF, .docx, ảnh quét): in số, "
        "ngày ký, đơn vị, trích yếu, người ký, nghĩa vụ… "
        "(không ghi gì)",
    )
    p.add_argument("files", nargs="+", metavar="TỆP", help="tệp hoặc thư mục")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.add_argument("--today", type=date_arg, default=dt.date.today(), help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_read)
