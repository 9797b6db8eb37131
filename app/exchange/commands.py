"""Command-line subcommands of the exchange package: export, import, template, backup, restore.

``app.cli.build_parser`` calls :func:`add_commands` once; handlers print, never open a window.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the database layer (SQLAlchemy) only when a command runs
    from app.db import Database

# The file name ``export --out FOLDER/`` writes in that folder (followed by the day).
EXPORT_NAMES = {
    "units": "danh-sach-don-vi",
    "directives": "van-ban-chi-dao",
    "plans": "ke-hoach",
    "reports": "bao-cao-nhan-duoc",
    "warnings": "canh-bao-han",
    "status": "tinh-trang-nop",
}
# The lists ``export`` knows, in the order of ``xlsx_export.TABLES`` (a test keeps them equal):
# named here so that building the parser does not import openpyxl.
EXPORT_TABLES = tuple(EXPORT_NAMES)


def output_path(text: str, default_name: str) -> Path:
    """``--out``: a file, or a folder (existing, or written with a final slash) in which the
    default file name is used. A missing folder is refused, never created."""
    from app.errors import NotFound

    target = Path(text)
    if text.endswith(("/", "\\", os.sep)) or target.is_dir():
        if not target.is_dir():
            raise NotFound(
                f"Không có thư mục {target} để ghi tệp. Hãy tạo thư mục trước hoặc "
                "chọn thư mục khác."
            )
        return target / default_name
    return target


def cmd_export(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.exchange.xlsx_export import ExportFilters, export

    filters = ExportFilters(
        as_of=args.as_of,
        directive=args.directive or "",
        task=args.task or "",
        period=args.period or "",
        unit=args.unit or "",
        kind=args.kind or "",
        statuses=tuple(args.status or ()),
    )
    target = output_path(
        args.out, f"{EXPORT_NAMES.get(args.table, args.table)}-{args.as_of:%Y-%m-%d}.xlsx"
    )
    path, count = export(db, args.table, target, filters)
    out.write(f"Đã xuất {count} dòng ra {path}\n")
    return 0


def cmd_import(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.errors import ValidationError
    from app.exchange.xlsx_import import RowAction, apply_import, preview_import

    if args.undo is not None or args.list:
        if args.kind or args.file:
            raise ValidationError("--undo và --list không đi cùng LOẠI và TỆP.")
        return _import_batches(db, args, out)
    if not args.kind or not args.file:
        raise ValidationError(
            "Hãy ghi LOẠI (units hoặc submissions) và TỆP.xlsx, ví dụ: "
            "import submissions van-ban.xlsx"
        )
    if args.kind not in ("units", "submissions"):
        raise ValidationError(f"Loại {args.kind!r} không nhập được; chọn units hoặc submissions.")
    preview = preview_import(db, args.kind, Path(args.file), today=args.today)
    out.write(preview.sheet_note() + "\n")
    for row in preview.rows:
        if (
            row.action in (RowAction.ERROR, RowAction.NEW, RowAction.UPDATE)
            or args.verbose
            or row.warnings
        ):
            out.write(f"Dòng {row.row_number}: {row.action.label} — {row.reason}\n")
    out.write(preview.describe() + "\n")
    if preview.has_errors:
        out.write("Có dòng lỗi: chưa nhập gì. Hãy sửa tệp rồi chạy lại.\n")
        return 2
    if args.dry_run:
        out.write("Chạy thử (--dry-run): chưa ghi gì.\n")
        return 0
    result = apply_import(db, preview, today=args.today)
    out.write(result.describe() + "\n")
    if result.batch_id is not None:
        out.write(f"Hoàn tác: import --undo {result.batch_id}\n")
    return 0


def _import_batches(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.services.imports import list_imports, undo_import

    if args.list:
        batches = list_imports(db)
        for batch in batches:
            out.write(batch.describe() + "\n")
        if not batches:
            out.write("Chưa có lần nhập Excel nào.\n")
        return 0
    result = undo_import(db, args.undo)
    out.write(result.describe() + "\n")
    return 0


def cmd_template(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.exchange.xlsx_import import write_template

    path = write_template(args.kind, Path(args.out))
    out.write(f"Đã tạo tệp mẫu {path}\n")
    return 0


def cmd_backup(db: Database, args: argparse.Namespace, out: TextIO) -> int:
    from app.exchange.backup import create_backup

    info = create_backup(db, Path(args.out), now=dt.datetime.now())
    out.write(info.describe() + f"\n{info.path}\n")
    return 0


def cmd_restore(target: str, args: argparse.Namespace, out: TextIO) -> int:
    """Restore works on the target without needing to open it first: it is most needed when
    the current file is damaged. ``--check-only`` never opens the database at all."""
    from app.connection import is_server_url
    from app.db import connect
    from app.errors import AppError, DatabaseError
    from app.exchange.backup import restore_backup, verify_backup

    if is_server_url(target):
        raise AppError(
            "Chỉ khôi phục được vào cơ sở dữ liệu dạng tệp (SQLite). Với máy chủ "
            "PostgreSQL, hãy dùng bản sao lưu của máy chủ (pg_dump)."
        )
    path = Path(target.removeprefix("sqlite:///")).expanduser()
    backup = Path(args.file)
    stage = path.resolve().parent if path.resolve().parent.is_dir() else None
    if args.check_only:
        out.write(verify_backup(backup, stage_in=stage).describe() + " Tệp hợp lệ.\n")
        return 0
    try:
        db = connect(target)
    except DatabaseError:
        if not needs_recovery(path):
            raise
        from app.db.recovery import restore_backup as put_back

        aside = put_back(backup, path, now=dt.datetime.now())
        connect(target).dispose()  # brought to this program's schema, as on opening
        out.write(
            f"Tệp dữ liệu {path} bị hỏng nên chưa mở được; tệp hỏng được giữ nguyên tại "
            f"{aside}. Đã khôi phục dữ liệu từ {backup.name}.\n"
        )
        return 0
    try:
        result = restore_backup(db, backup, now=dt.datetime.now())
    finally:
        db.dispose()
    out.write(result.describe() + "\n")
    return 0


def needs_recovery(path: Path) -> bool:
    """True when the file cannot be opened because it is damaged (not an SQLite file any
    more, ``quick_check`` fails) or is ours without its revision stamp: a restore may put it
    aside. False for a sound file of another program, one from a newer program, a locked or
    read-only one: a restore must not take their place."""
    import sqlite3

    from app.db.engine import OUR_TABLES, SQLITE_HEADER

    try:
        if not path.is_file() or path.stat().st_size == 0:
            return False
        with path.open("rb") as handle:
            if handle.read(16) != SQLITE_HEADER:
                return True
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=1)
    except (OSError, sqlite3.Error):
        return False
    try:
        if [r[0] for r in con.execute("PRAGMA quick_check").fetchall()] != ["ok"]:
            return True
        tables = {
            str(r[0]) for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        stamped = (
            "alembic_version" in tables
            and con.execute("SELECT count(*) FROM alembic_version").fetchone()[0] > 0
        )
        return bool(tables & OUR_TABLES) and not stamped
    except sqlite3.OperationalError:  # locked, busy: not damage
        return False
    except sqlite3.DatabaseError:  # malformed, not a database
        return True
    finally:
        con.close()


def add_commands(sub: Any, date_arg: Any) -> None:
    """Register the subcommands on the CLI's subparsers (``date_arg`` parses dd/mm/yyyy).
    Imports nothing heavy: each handler imports what it needs when it runs."""
    from app.cli import add_as_of, add_kind_and_status

    p = sub.add_parser("export", help="xuất một danh sách ra Excel (.xlsx)")
    p.add_argument(
        "table",
        choices=EXPORT_TABLES,
        metavar="BẢNG",
        help="một trong: " + ", ".join(EXPORT_TABLES),
    )
    p.add_argument(
        "--out",
        required=True,
        metavar="TỆP.xlsx",
        help="tệp Excel cần tạo, hoặc thư mục (tên tệp đặt theo danh sách và ngày)",
    )
    add_as_of(p, "ngày xét (mặc định hôm nay)")
    p.add_argument("--directive", metavar="SỐ_KÝ_HIỆU", help="chỉ một văn bản chỉ đạo")
    p.add_argument("--task", metavar="TÊN", help="chỉ một nhiệm vụ")
    p.add_argument("--period", metavar="KỲ", help='chỉ một kỳ, ví dụ "6 tháng đầu năm 2018"')
    p.add_argument("--unit", metavar="TÊN", help="chỉ một đơn vị")
    add_kind_and_status(p)
    p.set_defaults(handler=cmd_export, reads_only=True)

    p = sub.add_parser("import", help="nhập đơn vị hoặc văn bản nhận được từ Excel")
    p.add_argument(
        "kind",
        nargs="?",
        metavar="LOẠI",
        help="units (đơn vị) hoặc submissions (văn bản nhận được)",
    )
    p.add_argument("file", nargs="?", metavar="TỆP.xlsx")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi")
    p.add_argument(
        "--undo",
        metavar="LAST|SỐ",
        help="hoàn tác cả một lần nhập: LAST (lần gần nhất) hoặc số lần nhập",
    )
    p.add_argument("--list", action="store_true", help="liệt kê các lần nhập đã làm")
    p.add_argument("--verbose", action="store_true", help="in cả các dòng không đổi, bỏ qua")
    p.add_argument("--today", type=date_arg, default=dt.date.today(), help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("template", help="tạo tệp Excel mẫu để nhập")
    p.add_argument("kind", choices=["units", "submissions"], metavar="LOẠI")
    p.add_argument("--out", required=True, metavar="TỆP.xlsx")
    p.set_defaults(handler=cmd_template)

    p = sub.add_parser("backup", help="sao lưu dữ liệu và tệp đính kèm vào một tệp .zip")
    p.add_argument("--out", required=True, metavar="TỆP_HOẶC_THƯ_MỤC")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="khôi phục từ tệp sao lưu (.zip); giữ bản dữ liệu cũ")
    p.add_argument("file", metavar="TỆP.zip")
    p.add_argument("--check-only", action="store_true", help="chỉ kiểm tra tệp, không khôi phục")
    p.set_defaults(target_handler=cmd_restore)
