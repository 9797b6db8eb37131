"""The command line: ``python -m app [--db PATH] COMMAND …``. It prints; it never opens a window
and never imports Qt. Errors go to stderr in Vietnamese with a non-zero exit code."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime as dt
import enum
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from app import APP_NAME, __version__
from app.dates import as_of_caption, fmt, parse_date
from app.errors import AppError, NotFound
from app.kinds import AUTHORITY_CODES, Channel, UnitKind
from app.paths import default_db_path
from app.status import FIGURES, Status, StatusCounts

if TYPE_CHECKING:  # SQLAlchemy is imported when a command opens the database, not for --help
    from app.db import Database
    from app.documents.common import Signer


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse in Vietnamese: headings, -h, and usage errors (exit code 2, a clear message)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "lệnh và tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument(
            "-h",
            "--help",
            action="help",
            default=argparse.SUPPRESS,
            help="xem hướng dẫn này rồi thoát",
        )
        self.set_defaults(usage_parser=self)  # the innermost command's parser wins

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: None = None
    ) -> argparse.Namespace:
        """As argparse's, but an unknown option is reported by the command it was given to
        (its usage, its ``--help``), not by the program as a whole."""
        parsed, extra = self.parse_known_args(args, namespace)
        if extra:
            getattr(parsed, "usage_parser", self).error(
                "unrecognized arguments: " + " ".join(extra)
            )
        return parsed

    def error(self, message: str) -> NoReturn:
        translated = (
            message.replace("the following arguments are required", "thiếu tham số bắt buộc")
            .replace("invalid choice", "lựa chọn không hợp lệ")
            .replace("unrecognized arguments", "tham số không hiểu được")
            .replace("expected one argument", "cần một giá trị")
            .replace("choose from", "chọn một trong")
            .replace("invalid int value", "không phải số nguyên hợp lệ")
            .replace("argument ", "tham số ")
        )
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi: {shorten_words(translated)}\nXem hướng dẫn: {self.prog} --help\n")


def shorten_words(message: str, limit: int = 300) -> str:
    """A message repeats what she typed; a 5,000-character value is shown by its start."""
    return re.sub(
        rf"\S{{{limit + 1},}}",
        lambda m: m.group(0)[: limit - 100] + "…" + m.group(0)[-20:],
        message,
    )


def _date_arg(text: str) -> dt.date:
    try:
        return parse_date(text)
    except AppError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def _to_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple) and hasattr(value, "_asdict"):  # NamedTuple records
        return {k: _to_json(v) for k, v in value._asdict().items()}
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
        [
            (
                u.id,
                u.name,
                u.short_name,
                u.kind_label,
                f"{fmt(u.valid_from) or '…'} – {fmt(u.valid_to) or '…'}",
                "có" if u.active else "ngừng",
            )
            for u in units
        ],
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
        print_json(
            {
                "as_of": args.as_of,
                "count": len(rows),
                "obligations": [
                    {
                        "id": r.id,
                        "directive": r.directive_symbol,
                        "task": r.task_title,
                        "unit": r.unit_name,
                        "unit_kind": r.unit_kind,
                        "period": r.period_label,
                        "period_key": r.period_key,
                        "due_date": r.due_date,
                        "nominal_due_date": r.nominal_due,
                        "received_date": r.first_received,
                        "submissions": r.submission_count,
                        "status": r.status,
                        "status_label": r.status.label,
                        "days_past_due": r.days_past_due,
                        "exempt_reason": r.exempt_reason,
                    }
                    for r in rows
                ],
            },
            out,
        )
        return 0
    print_table(
        ["Đơn vị", "Nhiệm vụ", "Kỳ", "Hạn", "Ngày nhận", "Trạng thái"],
        [
            (
                r.unit_display,
                r.task_title,
                r.period_label or "—",
                r.due_text,
                fmt(r.first_received),
                r.status.label,
            )
            for r in rows
        ],
        out,
    )
    counts: dict[Status, int] = {}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary = ", ".join(f"{s.label}: {counts[s]}" for s in Status if s in counts)
    out.write(f"\n{len(rows)} nghĩa vụ {as_of_caption(args.as_of)}. {summary}\n")
    return 0


def cmd_dashboard(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    """Summary on a day: counts and rates per directive, task and unit kind; warnings."""
    from app.services.dashboard import count_warnings, overview, warnings

    filters = _obligation_filters(db, args)
    directive_id = filters.get("directive_id")
    summary = overview(db, args.as_of, directive_id=directive_id)
    alerts = warnings(db, args.as_of, directive_id=directive_id)
    counted = count_warnings(alerts)

    def kinds(items: Any) -> list[dict[str, Any]]:
        return [
            {"unit_kind": k.kind, "unit_kind_label": k.label, **k.counts.figures()} for k in items
        ]

    if args.json:
        print_json(
            {
                "as_of": args.as_of,
                "warning_days": summary.window_days,
                "totals": summary.counts.figures(),
                "by_unit_kind": kinds(summary.by_kind),
                "warnings": {"overdue": counted.overdue, "due_soon": counted.due_soon},
                "directives": [
                    {
                        "id": d.directive_id,
                        "number_symbol": d.number_symbol,
                        "signed_date": d.signed_date,
                        **d.counts.figures(),
                        "tasks": [
                            {
                                "id": t.task_id,
                                "title": t.title,
                                "kind": t.kind,
                                "periods": t.period_count,
                                **t.counts.figures(),
                                "by_unit_kind": kinds(t.by_kind),
                            }
                            for t in d.tasks
                        ],
                    }
                    for d in summary.directives
                ],
            },
            out,
        )
        return 0
    out.write(
        f"Tình hình {as_of_caption(args.as_of)} (cảnh báo trước {summary.window_days} ngày)\n\n"
    )
    headers = ["Văn bản / nhiệm vụ / loại đơn vị", *(f.label for f in FIGURES.values())]

    def line(name: str, c: StatusCounts) -> list[Any]:
        return [name, *(f.cell(c) for f in FIGURES.values())]

    rows: list[list[Any]] = []
    for d in summary.directives:
        rows.append(line(d.number_symbol, d.counts))
        for t in d.tasks:
            rows.append(line(f"  {t.title}", t.counts))
            rows.extend(line(f"    {k.label}", k.counts) for k in t.by_kind)
    rows.append(line("Tổng cộng", summary.counts))
    print_table(headers, rows, out)
    out.write(f"\nCảnh báo: {counted.warnings_text()}\n")
    return 0


def cmd_receive(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.submissions import SubmissionInput, record_submission, resolve_obligation

    if args.from_file:
        from app.reading.commands import cmd_receive_from_file

        return cmd_receive_from_file(db, args, out)
    missing = [
        flag
        for flag, value in (
            ("--unit", args.unit),
            ("--directive", args.directive),
            ("--number", args.number),
            ("--signed", args.signed),
            ("--received", args.received),
        )
        if not value
    ]
    if missing:
        from app.errors import ValidationError

        raise ValidationError(
            "Thiếu tham số bắt buộc: "
            + ", ".join(missing)
            + " (hoặc dùng --from-file TỆP để đọc từ văn bản)."
        )
    with db.read() as session:
        obligation = resolve_obligation(
            session, unit=args.unit, directive=args.directive, task=args.task, period=args.period
        )
        obligation_id = obligation.id
    info = record_submission(
        db,
        SubmissionInput(
            obligation_id=obligation_id,
            number_symbol=args.number,
            signed_date=args.signed,
            received_date=args.received,
            signer=args.signer or "",
            channel=args.channel or Channel.PAPER.value,
            summary=args.summary or "",
        ),
        today=args.today,
    )
    out.write(f"{info.id}\n")
    from app.services.submissions import submission_warnings  # a warning, not a refusal

    for warning in submission_warnings(db, obligation_id, info.received_date):
        sys.stderr.write(warning + "\n")
    return 0


def _signer(db: Database, args: argparse.Namespace) -> Signer:
    """The signer in the settings, each part replaced by its ``--signer-…`` option if given."""
    from app.documents.common import Signer, load

    kept = Signer.from_settings(load(db))
    return Signer(
        authority=kept.authority if args.signer_authority is None else args.signer_authority,
        head_title=kept.head_title if args.signer_head_title is None else args.signer_head_title,
        title=kept.title if args.signer_title is None else args.signer_title,
        name=kept.name if args.signer_name is None else args.signer_name,
    )


def cmd_report(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    """Print a document (synthesis report, reminder letter, unit sheet, a unit's consolidated
    reminder) to a PDF file, or to a Word document when the file name ends in .docx, and keep it
    in the issued documents; ``report list`` lists those."""
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import format_of, generate
    from app.documents.issued import keep_issued
    from app.documents.text_file import read_text_file
    from app.services.directives import find_directive
    from app.services.units import find_unit

    if args.kind == "list":
        return _list_issued(db, args, out)
    if not args.out:
        raise AppError(
            "Thiếu tham số --out: tệp cần ghi (ví dụ --out bao-cao.pdf hoặc --out bao-cao.docx)."
        )
    kind = DocumentKind(args.kind)
    directive_id = unit_id = None
    unit_ids: tuple[int, ...] | None = None
    with db.read() as session:
        if args.directive:
            directive_id = find_directive(session, args.directive).id
        if args.unit:
            unit_id = find_unit(session, args.unit).id
        if args.units is not None and args.units.strip() != "*":
            names = [n.strip() for n in args.units.split(";") if n.strip()]
            if not names:
                raise AppError(
                    "--units: hãy ghi tên các đơn vị cách nhau bởi dấu chấm phẩy, "
                    'ví dụ --units "UBND huyện Ba Tơ; Sở Y tế".'
                )
            unit_ids = tuple(dict.fromkeys(find_unit(session, n).id for n in names))
    if kind is DocumentKind.UNIT_REMINDER and args.units is not None:
        return _unit_reminders(db, args, out, unit_ids)
    edits = read_text_file(args.text_file) if args.text_file else {}
    signer = _signer(db, args)
    options = DocumentOptions(
        kind=kind,
        as_of=args.as_of,
        directive_id=directive_id,
        unit_id=unit_id,
        number=args.number,
        date=args.date,
        signer=signer,
        recipients=tuple(args.recipient) if args.recipient else None,
        today=args.today,
        edits=tuple(edits.items()),
        unit_ids=unit_ids,
        reply_by=args.reply_by,
    )
    from app.exchange.commands import output_path

    target = output_path(args.out, f"{kind.file_stem}-{args.as_of:%Y-%m-%d}.pdf")
    word = format_of(target) == "docx"
    if not target.parent.is_dir():
        raise NotFound(f"Không có thư mục {target.parent} để ghi tệp {'Word' if word else 'PDF'}.")
    generated = generate(db, options, target, strict=True)
    out.write(f"Đã ghi {kind.label.lower()} vào {target}{' (tệp Word)' if word else ''}\n")
    if args.record:
        kept = keep_issued(db, options, generated)
        out.write(f"Đã lưu vào danh sách văn bản đã phát hành (mã {kept.id}).\n")
    return 0


def _unit_reminders(
    db: Database, args: argparse.Namespace, out: TextIO, unit_ids: tuple[int, ...] | None
) -> int:
    """``report unit-reminder --units "A;B" --out FOLDER``: one letter per unit (``--units "*"``:
    every unit overdue on the day), each kept as issued; a unit owing nothing gets no letter."""
    from app.documents.common import DocumentKind, DocumentOptions
    from app.documents.generate import generate
    from app.documents.issued import keep_issued
    from app.documents.text_file import read_text_file
    from app.services.obligations import list_obligations
    from app.services.units import list_units
    from app.text import search_key

    folder = Path(args.out)
    if not folder.is_dir():
        raise NotFound(
            f"Với --units, --out là thư mục ghi các công văn (mỗi đơn vị một tệp); "
            f"không có thư mục {folder}."
        )
    names = {u.id: u.name for u in list_units(db)}
    if unit_ids is None:  # "*": every unit overdue on the day
        overdue = list_obligations(db, args.as_of, statuses=[Status.OVERDUE])
        unit_ids = tuple(dict.fromkeys(r.unit_id for r in overdue))
    signer = _signer(db, args)
    edits = read_text_file(args.text_file) if args.text_file else {}
    written = 0
    for unit_id in unit_ids:
        options = DocumentOptions(
            kind=DocumentKind.UNIT_REMINDER,
            as_of=args.as_of,
            unit_id=unit_id,
            number=args.number,
            date=args.date,
            signer=signer,
            recipients=tuple(args.recipient) if args.recipient else None,
            edits=tuple(edits.items()),
            reply_by=args.reply_by,
            today=args.today,
        )
        stem = "-".join(search_key(names.get(unit_id, str(unit_id))).split())
        target = folder / f"{DocumentKind.UNIT_REMINDER.file_stem}-{stem}-{args.as_of:%Y-%m-%d}.pdf"
        try:
            generated = generate(db, options, target, strict=True)
        except AppError as exc:  # nothing overdue, no longer followed, the agency itself
            out.write(f"Bỏ qua {names.get(unit_id, unit_id)}: {exc.message}\n")
            continue
        written += 1
        out.write(f"Đã ghi {target}\n")
        if args.record:
            keep_issued(db, options, generated)
    out.write(
        f"{written} công văn đôn đốc"
        + (", đã lưu vào danh sách văn bản đã phát hành.\n" if args.record and written else ".\n")
    )
    return 0


def _list_issued(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.directives import find_directive
    from app.services.issued_documents import list_issued
    from app.services.units import find_unit

    directive_id = unit_id = None
    with db.read() as session:
        if args.directive:
            directive_id = find_directive(session, args.directive).id
        if args.unit:
            unit_id = find_unit(session, args.unit).id
    docs = list_issued(db, directive_id=directive_id, unit_id=unit_id)
    if args.json:
        print_json(docs, out)
        return 0
    print_table(
        ["Mã", "Loại", "Văn bản chỉ đạo", "Đơn vị", "Tính đến", "Số", "Ngày", "Gửi tới", "Đã sửa"],
        [
            (
                d.id,
                d.kind_label,
                d.directive_symbol or "mọi văn bản",
                d.unit_name,
                fmt(d.as_of),
                d.number,
                fmt(d.issued_date),
                f"{len(d.unit_ids)} đơn vị" if d.unit_ids else "",
                f"{len(d.edits)} phần" if d.edits else "",
            )
            for d in docs
        ],
        out,
    )
    out.write(f"\n{len(docs)} văn bản.\n")
    return 0


def cmd_migrate_data(source: str, args: argparse.Namespace, out: TextIO) -> int:
    """Copy the whole database (``source``, opened read-only) to ``--to``."""
    from app.connection import redact, resolve_target
    from app.exchange.transfer import TABLE_LABELS, transfer

    target = _with_password(resolve_target(db=args.to))

    def progress(table: str, done: int, total: int) -> None:
        if done == total:
            out.write(f"  {TABLE_LABELS.get(table, table)}: {done}/{total}\n")
            out.flush()

    out.write(f"Chuyển dữ liệu từ {redact(source)} sang {redact(target.url)}…\n")
    result = transfer(
        source, target.url, replace=args.replace, batch_size=args.batch_size, progress=progress
    )
    out.write(result.describe() + "\n")
    return 0


def _with_password(target: Any) -> Any:
    """A saved server whose password is not remembered: ask on a terminal, else explain."""
    import dataclasses as _dc
    import getpass

    if not target.needs_password:
        return target
    if not sys.stdin or not sys.stdin.isatty():
        raise AppError(
            f"Cần mật khẩu để kết nối {target.server.label}. Hãy chạy lệnh trên cửa sổ dòng "
            "lệnh để nhập mật khẩu, hoặc đặt biến SOTHEODOI_DATABASE_URL có kèm mật khẩu."
        )
    password = getpass.getpass(f"Mật khẩu của {target.server.label}: ")
    return _dc.replace(target, url=target.server.url(password), needs_password=False)


# --- parser -----------------------------------------------------------------------------------


def add_as_of(
    p: argparse.ArgumentParser,
    text: str | None = "ngày xét (dd/mm/yyyy hoặc yyyy-mm-dd; mặc định hôm nay)",
) -> None:
    """``--as-of NGÀY``: the day a command sees the data on (today by default); ``text`` its
    help."""
    p.add_argument("--as-of", type=_date_arg, default=dt.date.today(), metavar="NGÀY", help=text)


def add_kind_and_status(p: argparse.ArgumentParser) -> None:
    """The filters of an obligation list by unit kind and by status (``status``, ``export``)."""
    p.add_argument("--kind", choices=[k.value for k in UnitKind], help="loại đơn vị")
    p.add_argument(
        "--status",
        action="append",
        choices=[s.value for s in Status],
        metavar="MÃ",
        help="lọc theo trạng thái (có thể lặp): " + ", ".join(s.value for s in Status),
    )


def _add_report_parser(sub: Any) -> None:
    """``report KIND``: each kind of document has its own options and its own ``--help``."""
    day = argparse.ArgumentParser(add_help=False)
    add_as_of(day, "số liệu tính đến ngày (mặc định hôm nay)")
    day.add_argument("--today", type=_date_arg, default=dt.date.today(), help=argparse.SUPPRESS)
    document = argparse.ArgumentParser(add_help=False)
    document.add_argument(
        "--out",
        metavar="TỆP.pdf|TỆP.docx",
        help="tệp cần ghi (bắt buộc): tên kết thúc .docx thì ghi tệp Word, còn lại ghi PDF; "
        "hoặc một thư mục (tên tệp PDF đặt theo loại văn bản và ngày)",
    )
    document.add_argument(
        "--number", metavar="SỐ", help="số văn bản (mặc định để trống cho văn thư)"
    )
    document.add_argument(
        "--date",
        type=_date_arg,
        metavar="NGÀY",
        help="ngày ban hành (mặc định để trống cho văn thư)",
    )
    document.add_argument(
        "--signer-authority",
        choices=AUTHORITY_CODES,
        help="thẩm quyền ký (mặc định theo cài đặt)",
    )
    document.add_argument(
        "--signer-head-title", metavar="CHỨC_VỤ", help="chức vụ người đứng đầu, ví dụ Giám đốc"
    )
    document.add_argument(
        "--signer-title", metavar="CHỨC_VỤ", help="chức vụ người ký, ví dụ Phó Giám đốc"
    )
    document.add_argument("--signer-name", metavar="HỌ_TÊN", help="họ tên người ký")
    document.add_argument(
        "--recipient",
        action="append",
        metavar="NƠI_NHẬN",
        help="một dòng “Nơi nhận” (có thể lặp; mặc định theo cài đặt)",
    )
    document.add_argument(
        "--text-file",
        metavar="TỆP.toml",
        help="nội dung sửa (TOML): mỗi phần [opening], [closing], [title]… có "
        'text = """…""", mỗi dòng một đoạn',
    )
    document.add_argument(
        "--no-record",
        dest="record",
        action="store_false",
        help="không lưu vào danh sách văn bản đã phát hành (bản nháp)",
    )

    def option(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        """One option as a parent parser: the kinds below take it in their own order."""
        parent = argparse.ArgumentParser(add_help=False)
        parent.add_argument(name, **kwargs)
        return parent

    reply_by = option(
        "--reply-by",
        type=_date_arg,
        metavar="NGÀY",
        help="hạn gửi mới ghi trong công văn (“… gửi về Sở Nội vụ trước ngày …”)",
    )

    def directive(*, required: bool) -> argparse.ArgumentParser:
        return option(
            "--directive",
            metavar="SỐ_KÝ_HIỆU",
            help="văn bản chỉ đạo, ví dụ 2116/UBND-NC"
            + (" (bắt buộc)" if required else " (chỉ những văn bản thuộc văn bản này)"),
        )

    def units(help: str) -> argparse.ArgumentParser:
        return option("--units", metavar="TÊN;TÊN", help=help)

    def unit(help: str) -> argparse.ArgumentParser:
        return option("--unit", metavar="TÊN", help=help)

    report = sub.add_parser(
        "report",
        help="in văn bản ra tệp PDF hoặc Word (.docx): báo cáo tổng hợp, công văn đôn đốc, "
        "phiếu theo dõi đơn vị; report list: văn bản đã phát hành",
        epilog="Mỗi loại có tham số riêng: sotheodoi report summary --help. Ví dụ: "
        "sotheodoi report summary --directive 2116/UBND-NC --out bao-cao.pdf",
    )
    kinds = report.add_subparsers(dest="kind", metavar="LOẠI", required=True)
    example = "Ví dụ: sotheodoi report {kind} {what} --as-of 02/05/2018 --out {file}"

    p = kinds.add_parser(
        "summary",
        parents=[directive(required=True), day, document],
        help="báo cáo tổng hợp tình hình thực hiện một văn bản chỉ đạo",
        epilog=example.format(kind="summary", what="--directive 2116/UBND-NC", file="bao-cao.pdf"),
    )
    p.set_defaults(unit=None, units=None, reply_by=None)

    p = kinds.add_parser(
        "reminder",
        parents=[
            directive(required=True),
            units("chỉ gửi các đơn vị này (cách nhau bởi “;”; mặc định mọi đơn vị quá hạn)"),
            day,
            reply_by,
            document,
        ],
        help="công văn đôn đốc các đơn vị quá hạn của một văn bản chỉ đạo",
        epilog=example.format(
            kind="reminder", what="--directive 2116/UBND-NC", file="don-doc.docx"
        ),
    )
    p.set_defaults(unit=None)

    p = kinds.add_parser(
        "unit-sheet",
        parents=[unit("đơn vị (bắt buộc)"), day, document],
        help="phiếu theo dõi một đơn vị",
        epilog=example.format(kind="unit-sheet", what='--unit "Sơn Tịnh"', file="phieu.pdf"),
    )
    p.set_defaults(directive=None, units=None, reply_by=None)

    p = kinds.add_parser(
        "unit-reminder",
        parents=[
            unit("đơn vị (bắt buộc, trừ khi dùng --units)"),
            units("mỗi đơn vị một công văn, --out là thư mục (“*”: mọi đơn vị quá hạn)"),
            day,
            reply_by,
            document,
        ],
        help="công văn đôn đốc một đơn vị mọi việc còn quá hạn (mọi văn bản chỉ đạo)",
        epilog=example.format(kind="unit-reminder", what='--unit "Sơn Tịnh"', file="don-doc.pdf")
        + '; mỗi đơn vị một công văn: --units "*" --out THƯ_MỤC',
    )
    p.set_defaults(directive=None)

    p = kinds.add_parser(
        "list",
        parents=[directive(required=False), unit("chỉ những văn bản gửi đơn vị này")],
        help="danh sách văn bản đã phát hành",
    )
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    report.set_defaults(handler=cmd_report)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="sotheodoi",
        description=f"{APP_NAME} {__version__}: theo dõi, đôn đốc việc thực hiện văn bản chỉ đạo. "
        "Không có lệnh: mở cửa sổ chương trình.",
    )
    parser.add_argument(
        "--db",
        metavar="TỆP",
        help="tệp cơ sở dữ liệu (mặc định: biến SOTHEODOI_DB hoặc thư mục dữ "
        f"liệu người dùng: {default_db_path()})",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="máy chủ PostgreSQL dùng chung, ví dụ "
        "postgresql://sotheodoi@192.168.1.10:5432/sotheodoi (mặc định: biến "
        "SOTHEODOI_DATABASE_URL, hoặc máy chủ đã chọn trong cửa sổ; không có "
        "thì dùng tệp --db)",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{APP_NAME} {__version__}",
        help="in số phiên bản rồi thoát",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)

    p = sub.add_parser("sample", help="nạp dữ liệu mẫu (Công văn 2116/UBND-NC, Quảng Ngãi)")
    p.set_defaults(handler=cmd_sample)

    p = sub.add_parser("units", help="liệt kê đơn vị")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.add_argument("--kind", choices=[k.value for k in UnitKind], help="loại đơn vị")
    p.add_argument(
        "--active-only", dest="all", action="store_false", help="chỉ đơn vị đang theo dõi"
    )
    p.set_defaults(handler=cmd_units, reads_only=True)

    p = sub.add_parser("status", help="trạng thái mọi nghĩa vụ tại một ngày")
    add_as_of(p)
    p.add_argument("--directive", metavar="SỐ_KÝ_HIỆU", help="chỉ một văn bản, ví dụ 2116/UBND-NC")
    p.add_argument("--unit", metavar="TÊN", help="chỉ một đơn vị (không cần dấu)")
    add_kind_and_status(p)
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(handler=cmd_status, reads_only=True)

    p = sub.add_parser("dashboard", help="tổng quan: số lượng, tỷ lệ nộp theo văn bản, nhiệm vụ")
    add_as_of(p)
    p.add_argument("--directive", metavar="SỐ_KÝ_HIỆU", help="chỉ một văn bản, ví dụ 2116/UBND-NC")
    p.add_argument("--json", action="store_true", help="in dạng JSON")
    p.set_defaults(handler=cmd_dashboard, reads_only=True)

    p = sub.add_parser("receive", help="ghi nhận văn bản đơn vị gửi đến; in mã văn bản")
    p.add_argument(
        "--from-file",
        metavar="TỆP",
        help="đọc số, ngày ký, đơn vị, nghĩa vụ… từ tệp văn bản (PDF, .docx, ảnh "
        "quét), cho xem rồi ghi nhận, đính kèm tệp",
    )
    p.add_argument(
        "--yes",
        action="store_true",
        help="với --from-file: ghi nhận không hỏi lại (từ chối nếu có giá trị chưa chắc)",
    )
    p.add_argument("--unit", metavar="TÊN")
    p.add_argument("--directive", metavar="SỐ_KÝ_HIỆU")
    p.add_argument("--task", default="", metavar="TÊN_NHIỆM_VỤ")
    p.add_argument("--period", metavar="KỲ", help='kỳ báo cáo, ví dụ "6 tháng đầu năm 2018"')
    p.add_argument("--number", metavar="SỐ_KÝ_HIỆU", help="số, ký hiệu văn bản của đơn vị")
    p.add_argument("--signed", type=_date_arg, metavar="NGÀY", help="ngày ký")
    p.add_argument(
        "--received",
        type=_date_arg,
        metavar="NGÀY",
        help="ngày nhận (với --from-file: mặc định hôm nay)",
    )
    p.add_argument("--signer", metavar="TÊN", help="người ký")
    p.add_argument(
        "--channel",
        default=None,
        choices=[c.value for c in Channel],
        help="hình thức nhận (mặc định giấy; với --from-file: hệ thống)",
    )
    p.add_argument("--summary", metavar="NỘI_DUNG", help="trích yếu")
    p.add_argument("--today", type=_date_arg, default=dt.date.today(), help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_receive)

    _add_report_parser(sub)
    p = sub.add_parser(
        "migrate-data",
        help="chuyển toàn bộ dữ liệu sang cơ sở dữ liệu khác (tệp → máy chủ "
        "PostgreSQL hoặc ngược lại); dữ liệu nguồn không bị thay đổi",
    )
    p.add_argument(
        "--to",
        required=True,
        metavar="ĐÍCH",
        help="URL máy chủ (postgresql://người_dùng:mật_khẩu@máy:5432/tên_csdl) hoặc "
        "đường dẫn tệp .db mới",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="xoá dữ liệu đang có ở đích rồi chép (mặc định: từ chối đích có dữ liệu)",
    )
    p.add_argument("--batch-size", type=int, default=1000, help=argparse.SUPPRESS)
    p.set_defaults(target_handler=cmd_migrate_data)
    from app.exchange.commands import add_commands
    from app.exchange.deadline_commands import add_deadline_commands
    from app.reading.commands import add_read_command

    add_commands(sub, _date_arg)
    add_deadline_commands(sub, _date_arg)
    add_read_command(sub, _date_arg)
    return parser


def run(
    argv: Sequence[str] | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    parser: argparse.ArgumentParser | None = None,
) -> int:
    """Run one command. Every log record (warnings, tracebacks) goes to the log file, never to
    the console; a closed output pipe (``… | head``) propagates as BrokenPipeError. ``parser``:
    one already built by :func:`build_parser` (``python -m app`` builds it once)."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = parser or build_parser()
    try:  # --help, --version and usage errors end here, before the log file is opened
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            args = parser.parse_args(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if not getattr(args, "command", None):
        parser.print_help(out)
        return 0
    from app.logfile import logging_to_file

    with logging_to_file():
        return _run(args, out, err)


def _run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from app.startup import resume_collector

    try:
        from app.connection import resolve_target
        from app.db import connect

        target = _with_password(resolve_target(args.db, args.database_url))
        if getattr(args, "target_handler", None):  # works on the target without opening it
            resume_collector()
            return int(args.target_handler(target.url, args, out))
        # a listing skips the damage check of a file unchanged since one found it sound
        db = connect(target.url, reads_only=getattr(args, "reads_only", False))
    except AppError as exc:
        err.write(f"Lỗi: {shorten_words(exc.message)}\n")
        return exc.exit_code
    except BrokenPipeError:
        raise
    except Exception as exc:
        return _unexpected(exc, err)
    resume_collector()  # the database layer is imported and the file open (app/startup.py)
    try:
        return int(args.handler(db, args, out))
    except NotFound as exc:
        err.write(f"Lỗi: {shorten_words(exc.message)}\n")
        return exc.exit_code
    except AppError as exc:
        err.write(f"Lỗi: {shorten_words(exc.message)}\n")
        if getattr(exc, "errors", None):
            for field, message in exc.errors.items():  # type: ignore[attr-defined]
                if message != exc.message:
                    err.write(f"  - {field}: {message}\n")
        return exc.exit_code
    except BrokenPipeError:
        raise
    except Exception as exc:  # the database engine's own errors, then anything else
        return _unexpected(exc, err)
    finally:
        db.dispose()


def _unexpected(exc: Exception, err: TextIO) -> int:
    """No traceback on the console: a clear message, details in the log."""
    import logging

    from app.db.engine import database_error, is_database_failure
    from app.logfile import CURRENT

    log = logging.getLogger(__name__)
    if is_database_failure(exc):
        log.warning("Database failure in a command", exc_info=exc)
        translated = database_error(exc)
        err.write(f"Lỗi: {translated.message}\n")
        return translated.exit_code
    if isinstance(exc, OSError):  # a file named on the command line: too long, missing…
        log.warning("File error in a command", exc_info=exc)
        err.write(f"Lỗi: {shorten_words(file_error_message(exc))}\n")
        return 1
    server_error = _server_failure(exc)
    if server_error is not None:
        log.warning("Server failure in a command", exc_info=exc)
        err.write(f"Lỗi: {server_error.message}\n")
        return server_error.exit_code
    log.error("Unexpected error in a command", exc_info=exc)
    where = CURRENT["path"]
    detail = f"Chi tiết đã ghi vào nhật ký {where}. " if where else ""
    err.write(
        f"Lỗi không mong đợi ({type(exc).__name__}). Thao tác chưa hoàn tất; dữ liệu đã "
        f"lưu trước đó không bị ảnh hưởng. {detail}Hãy báo lỗi này cho người hỗ trợ.\n"
    )
    return 1


def file_error_message(exc: OSError) -> str:
    """An operating-system error on a file named on the command line, in Vietnamese."""
    import errno

    from app.fileio import os_error_message

    name = str(exc.filename or "")
    shown = name if len(name) <= 120 else name[:80] + "…" + name[-30:]
    if exc.errno == errno.ENAMETOOLONG:
        return (
            f"Tên tệp {shown} quá dài ({len(Path(name).name)} ký tự; hệ điều hành cho phép "
            "tối đa khoảng 255 ký tự cho một tên). Hãy đặt tên ngắn hơn rồi thử lại."
        )
    if exc.errno == errno.ENOENT:
        return f"Không tìm thấy tệp hoặc thư mục {shown}. Hãy kiểm tra lại đường dẫn."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"Không có quyền dùng tệp {shown} (tệp chỉ đọc, đang mở trong chương trình khác "
            "hoặc thư mục bị khoá). Hãy đóng tệp đó hoặc chọn tệp khác rồi thử lại."
        )
    if exc.errno == errno.EISDIR:
        return f"{shown} là một thư mục, không phải tệp. Hãy chọn một tệp."
    return os_error_message(Path(shown or "?"), exc)


def _server_failure(exc: Exception) -> AppError | None:
    """The message for a PostgreSQL server that went away or refused mid-command (killed,
    restarted, network cut), or None when ``exc`` is something else."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from app.errors import DatabaseError

    if not isinstance(exc, (OperationalError, InterfaceError)):
        return None
    if type(exc.orig).__module__.startswith("sqlite3"):
        return None
    return DatabaseError(
        "Mất kết nối tới máy chủ cơ sở dữ liệu giữa chừng (máy chủ bị tắt, khởi động lại hoặc "
        "mạng bị ngắt). Thao tác có thể chưa được lưu; dữ liệu đã lưu trước đó không bị ảnh "
        "hưởng. Hãy kiểm tra máy chủ và mạng, xem lại dữ liệu rồi làm lại nếu cần."
    )
