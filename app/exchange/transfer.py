"""Move a whole database to another one: the SQLite file to the office server, and back.

``transfer(source, target)``:

1. opens the source read-only (SQLite ``mode=ro`` with ``query_only``; PostgreSQL in read-only
   transactions) and checks that it is at the program's schema (head);
2. migrates the target to head and refuses it when it already has data, unless ``replace``;
3. copies every table in foreign-key order, in batches, in one transaction on the target,
   calling ``progress(table, done, total)``;
4. resets PostgreSQL's id sequences so the next record gets the next id;
5. counts the rows of every table on both sides and fails loudly when one differs.

Nothing in the source changes. The tables are read from the databases themselves (not from the
models), so a table added by a later migration travels too.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import (
    URL,
    Connection,
    Engine,
    MetaData,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    select,
    text,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.connection import describe_connection_error, is_server_url, normalise_url, redact
from app.db.engine import check_sqlite_file, open_database
from app.db.migrate import head_revision, upgrade
from app.errors import AppError, Conflict, DatabaseError

Progress = Callable[[str, int, int], None]


class TransferCancelled(AppError):
    """Raised by a progress callback to stop: the target's transaction is rolled back."""

    def __init__(self) -> None:
        super().__init__(
            "Đã huỷ chuyển dữ liệu; cơ sở dữ liệu đích được giữ như trước khi "
            "chuyển, dữ liệu nguồn không thay đổi."
        )


SKIP_TABLES = {"alembic_version"}
TABLE_LABELS = {
    "unit": "Đơn vị",
    "directive": "Văn bản chỉ đạo",
    "task": "Nhiệm vụ",
    "task_unit": "Giao nhiệm vụ cho đơn vị",
    "task_unit_kind": "Giao nhiệm vụ theo loại đơn vị",
    "obligation": "Nghĩa vụ",
    "submission": "Văn bản nhận được",
    "setting": "Cài đặt",
    "audit_entry": "Nhật ký thay đổi",
    "attachment_blob": "Tệp đính kèm",
    "import_batch": "Các lần nhập Excel",
    "issued_document": "Văn bản đã phát hành",
    "issued_document_unit": "Nơi nhận văn bản đã phát hành",
    "calendar_day": "Lịch nghỉ lễ, làm bù",
    "obligation_due_change": "Lịch sử hạn thực tế",
}


@dataclass(frozen=True)
class TransferResult:
    source: str  # without password
    target: str  # without password
    counts: tuple[tuple[str, int], ...]  # (table, rows) in copy order
    seconds: float
    replaced: bool
    attachments: str = ""  # what happened to attached files (file → server), or ""

    @property
    def rows(self) -> int:
        return sum(n for _t, n in self.counts)

    def describe(self) -> str:
        parts = ", ".join(f"{TABLE_LABELS.get(t, t)}: {n}" for t, n in self.counts if n)
        text = (
            f"Đã chuyển {self.rows} dòng dữ liệu từ {self.source} sang {self.target} "
            f"trong {self.seconds:.1f} giây; số dòng từng bảng khớp nhau ({parts})."
        )
        return f"{text} {self.attachments}" if self.attachments else text


def _source_url(target: str) -> str | URL:
    if "://" in target and not target.startswith("sqlite"):
        return normalise_url(target)
    path = Path(target.removeprefix("sqlite:///")).expanduser()
    if not path.exists():
        raise DatabaseError(f"Không tìm thấy tệp dữ liệu nguồn {path}.")
    check_sqlite_file(path)
    # SQLite URI filename, read-only; every unusual character of the path percent-encoded.
    uri_path = quote(path.resolve().as_posix(), safe="/:")
    if not uri_path.startswith("/"):  # C:/… on Windows
        uri_path = "/" + uri_path
    return URL.create("sqlite", database=f"file://{uri_path}", query={"mode": "ro", "uri": "true"})


@contextmanager
def _read_only_engine(source: str) -> Iterator[Engine]:
    """An engine that cannot write to the source."""
    url = _source_url(source)
    if isinstance(url, URL):
        engine = create_engine(url, poolclass=NullPool)

        def _sqlite_ro(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA query_only=ON")
            cursor.close()

        event.listen(engine, "connect", _sqlite_ro)
    else:
        engine = create_engine(
            url,
            poolclass=NullPool,
            connect_args={
                "connect_timeout": 10,
                "options": "-c default_transaction_read_only=on",
                "application_name": "sotheodoi-transfer",
            },
        )
    try:
        yield engine
    finally:
        engine.dispose()


def _revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _tables(conn: Connection) -> list[Table]:
    meta = MetaData()
    meta.reflect(conn)
    return [t for t in meta.sorted_tables if t.name not in SKIP_TABLES]


def _counts(conn: Connection, tables: list[Table]) -> dict[str, int]:
    return {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar() or 0) for t in tables
    }


def _self_refs(table: Table) -> list[str]:
    """Columns referring to the same table (unit.successor_id): filled in a second pass."""
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]


def _reset_sequences(conn: Connection, tables: list[Table]) -> None:
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not _python_type_is_int(pk[0]):
            continue
        column = pk[0].name
        seq = conn.execute(
            text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": f'"{table.name}"', "c": column}
        ).scalar()
        if not seq:
            continue
        conn.execute(
            text(
                f'SELECT setval(:seq, COALESCE((SELECT MAX("{column}") FROM "{table.name}"), 1), '
                f'(SELECT MAX("{column}") FROM "{table.name}") IS NOT NULL)'
            ),
            {"seq": seq},
        )


def _python_type_is_int(column: Any) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:
        return False


def transfer(
    source: str,
    target: str,
    *,
    replace: bool = False,
    batch_size: int = 1000,
    progress: Progress | None = None,
    embed_attachments: bool | None = None,
) -> TransferResult:
    """Copy every row of ``source`` into ``target`` (see the module docstring).

    ``embed_attachments`` (default: when an SQLite file goes to a server): after the copy is
    verified, files attached by path (``<db folder>/attachments/…``) are put into the
    target's ``attachment_blob`` table and the records point at them, so every PC sees them.
    The source keeps its files and paths.
    """
    started = time.perf_counter()
    if normalise_url(source) == normalise_url(target):
        raise Conflict("Nguồn và đích là cùng một cơ sở dữ liệu; hãy chọn đích khác.")
    head = head_revision()
    with _read_only_engine(source) as src_engine:
        try:
            src = src_engine.connect()
        except DBAPIError as exc:
            raise DatabaseError(describe_connection_error(exc, source)) from exc
        with src:
            revision = _revision(src)
            if revision != head:
                raise DatabaseError(
                    f"Dữ liệu nguồn {redact(source)} chưa ở lược đồ hiện tại của chương trình "
                    f"({revision or 'trống'}; cần {head}). Hãy mở nó bằng Sổ theo dõi một lần "
                    "để chương trình nâng cấp, rồi chuyển lại."
                )
            src_tables = _tables(src)
            totals = _counts(src, src_tables)
            dest = open_database(target)
            try:
                upgrade(dest)
                counts = _copy(
                    src,
                    src_tables,
                    totals,
                    dest.engine,
                    replace=replace,
                    batch_size=batch_size,
                    progress=progress,
                )
            except DBAPIError as exc:
                raise DatabaseError(
                    f"Chuyển dữ liệu sang {redact(target)} không thành công; cơ sở dữ liệu đích "
                    f"được giữ như trước khi chuyển. Chi tiết: {str(exc.orig).strip()}"
                ) from exc
            finally:
                dest.dispose()
            src.rollback()
    source_file = (
        None
        if is_server_url(source)
        else Path(source.removeprefix("sqlite:///")).expanduser().resolve()
    )
    if embed_attachments is None:
        embed_attachments = source_file is not None and is_server_url(target)
    note = ""
    if embed_attachments and source_file is not None:
        from app.services.attachment_blobs import embed_files

        dest = open_database(target)
        try:
            folder = source_file.parent
            note = embed_files(dest, [folder / "attachments", folder]).describe()
        finally:
            dest.dispose()
    return TransferResult(
        source=redact(source),
        target=redact(target),
        counts=tuple(counts.items()),
        seconds=time.perf_counter() - started,
        replaced=replace,
        attachments=note,
    )


def _copy(
    src: Connection,
    src_tables: list[Table],
    totals: dict[str, int],
    dest_engine: Engine,
    *,
    replace: bool,
    batch_size: int,
    progress: Progress | None,
) -> dict[str, int]:
    with dest_engine.connect() as dst:
        tables = _tables(dst)
        names = {t.name for t in tables}
        missing = [t.name for t in src_tables if t.name not in names]
        if missing:
            raise DatabaseError("Cơ sở dữ liệu đích thiếu bảng: " + ", ".join(missing))
        by_name = {t.name: t for t in src_tables}
        dst.rollback()  # end the reflection's transaction: the copy is one transaction
        with dst.begin():
            existing = _counts(dst, tables)
            if any(existing.values()):
                if not replace:
                    filled = ", ".join(
                        f"{TABLE_LABELS.get(t, t)}: {n}" for t, n in existing.items() if n
                    )
                    raise Conflict(
                        "Cơ sở dữ liệu đích đã có dữ liệu (" + filled + "). Chương trình không "
                        'ghi đè. Hãy chọn một cơ sở dữ liệu trống, hoặc chọn "Thay thế dữ liệu '
                        'đích" (--replace) nếu chắc chắn muốn xoá dữ liệu đang có ở đích.'
                    )
                for table in reversed(tables):
                    dst.execute(table.delete())
            for table in tables:
                source_table = by_name.get(table.name)
                if source_table is None:
                    continue
                _copy_table(
                    src,
                    source_table,
                    dst,
                    table,
                    totals.get(table.name, 0),
                    batch_size=batch_size,
                    progress=progress,
                )
            if dst.dialect.name == "postgresql":
                _reset_sequences(dst, tables)
        copied = _counts(dst, tables)
    wrong = [
        f"{TABLE_LABELS.get(t, t)}: nguồn {totals.get(t, 0)}, đích {n}"
        for t, n in copied.items()
        if n != totals.get(t, 0)
    ]
    if wrong:
        raise AppError(
            "Số dòng sau khi chuyển không khớp (" + "; ".join(wrong) + "). Đừng dùng "
            "cơ sở dữ liệu đích; dữ liệu nguồn không bị thay đổi."
        )
    return {t.name: copied[t.name] for t in tables if t.name in by_name}


def _copy_table(
    src: Connection,
    source: Table,
    dst: Connection,
    table: Table,
    total: int,
    *,
    batch_size: int,
    progress: Progress | None,
) -> None:
    columns = [c.name for c in table.columns if c.name in source.columns]
    later = _self_refs(table)
    pk = list(table.primary_key.columns)
    order = [source.columns[c.name] for c in pk] or [source.columns[columns[0]]]
    if progress:
        progress(table.name, 0, total)
    done = 0
    fixups: list[dict[str, Any]] = []
    result = src.execution_options(yield_per=batch_size).execute(
        select(*(source.columns[c] for c in columns)).order_by(*order)
    )
    for batch in result.partitions(batch_size):
        rows = [dict(zip(columns, row, strict=True)) for row in batch]
        if later:
            for row in rows:
                refs = {c: row[c] for c in later if row[c] is not None}
                if refs:
                    fixups.append({**{f"pk_{c.name}": row[c.name] for c in pk}, **refs})
                    for c in refs:
                        row[c] = None
        dst.execute(table.insert(), rows)
        done += len(rows)
        if progress:
            progress(table.name, done, total)
    if fixups:
        for column in later:
            items = [f for f in fixups if column in f]
            if not items:
                continue
            stmt = (
                table.update()
                .where(*(table.columns[c.name] == bindparam(f"pk_{c.name}") for c in pk))
                .values({column: bindparam(f"new_{column}")})
            )
            dst.execute(
                stmt,
                [
                    {
                        **{k: v for k, v in f.items() if k.startswith("pk_")},
                        f"new_{column}": f[column],
                    }
                    for f in items
                ],
            )
