"""migrate-data: the SQLite file to the server and back, row for row, the source untouched.

The middle database is a fresh PostgreSQL database when SOTHEODOI_TEST_DATABASE_URL is set,
otherwise a second SQLite file (the same code path minus the sequences)."""

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select
from sqlalchemy.pool import NullPool

from app.cli import run
from app.db import connect
from app.errors import Conflict, DatabaseError
from app.exchange.transfer import transfer
from app.services import attachment_blobs, submissions, units
from app.services.issued_documents import IssuedInput, record_issued
from app.services.sample import load_sample
from tests.helpers import edit_directive

D = dt.date


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rich_sample(path: Path, tmp_path: Path) -> None:
    """The sample plus a submission, a merger (self-referencing unit), an attachment, audit rows,
    settings, an Excel import: every table has rows."""
    db = connect(str(path))
    try:
        load_sample(db)
        with db.read() as session:
            obligation = submissions.resolve_obligation(
                session, unit="Sơn Tịnh", directive="2116/UBND-NC", task="kế hoạch", period=None
            )
            oid = obligation.id
        sub = submissions.record_submission(
            db,
            submissions.SubmissionInput(
                obligation_id=oid,
                number_symbol="45/KH-UBND",
                signed_date=D(2018, 4, 25),
                received_date=D(2018, 4, 28),
                signer="Nguyễn Văn Mười",
                summary="Kế hoạch phối hợp",
            ),
            today=D(2018, 5, 2),
        )
        new = units.create_unit(
            db, units.UnitInput(name="UBND huyện Hợp Nhất", kind="huyen", valid_from=D(2020, 2, 1))
        )
        with db.read() as session:
            old_id = units.find_unit(session, "Lý Sơn").id
        units.record_merger(db, old_id, new.id, D(2020, 2, 1))
        scan = tmp_path / "Kế hoạch 45.pdf"
        scan.write_bytes(b"%PDF-1.4 scan " + bytes(range(256)) * 40)
        attachment_blobs.put(db, "submission", sub.id, scan)
        with db.read() as session:
            directive_id = obligation_directive(session, oid)
        record_issued(
            db,
            IssuedInput(
                kind="reminder",
                as_of=D(2018, 5, 2),
                directive_id=directive_id,
                unit_ids=(old_id, new.id),
                edits={"opening": "Đoạn đã sửa."},
            ),
        )
        # working days: the shift on, and a day off entered after the fact (a due-date history)
        from app.services.calendar_days import CalendarDayInput, add_calendar_day

        edit_directive(db, directive_id, shift_due=True)
        add_calendar_day(
            db, CalendarDayInput(D(2018, 6, 20), False, "Nghỉ đột xuất"), today=D(2018, 6, 25)
        )
        import openpyxl  # an Excel import: a row in import_batch, audit rows with its id

        from app.exchange.xlsx_import import apply_import, preview_import, write_template

        template = write_template("units", tmp_path / "don-vi.xlsx")
        wb = openpyxl.load_workbook(template)
        for c, value in enumerate(["UBND xã Nhập Từ Excel", None, "xã"], start=1):
            wb["Nhập liệu"].cell(4, c, value)
        wb.save(template)
        apply_import(
            db, preview_import(db, "units", template, today=D(2018, 5, 2)), today=D(2018, 5, 2)
        )
    finally:
        db.dispose()


def obligation_directive(session, obligation_id: int) -> int:  # type: ignore[no-untyped-def]
    from app.models import Obligation, Task

    obligation = session.get(Obligation, obligation_id)
    return session.get(Task, obligation.task_id).directive_id


def _dump(url: str) -> dict[str, list[dict]]:
    """Every table's rows ordered by primary key, values as Python objects."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        meta = MetaData()
        with engine.connect() as conn:
            meta.reflect(conn)
            result = {}
            for table in meta.sorted_tables:
                if table.name == "alembic_version":
                    continue
                order = list(table.primary_key.columns) or list(table.columns)
                rows = conn.execute(select(table).order_by(*order)).mappings().all()
                result[table.name] = [
                    {k: bytes(v) if isinstance(v, memoryview) else v for k, v in r.items()}
                    for r in rows
                ]
            return result
    finally:
        engine.dispose()


def _sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_sqlite_to_server_and_back_is_identical_and_source_untouched(tmp_path, db_target):
    source = tmp_path / "van-phong.db"
    _rich_sample(source, tmp_path)
    before = _sha(source)
    original = _dump(_sqlite_url(source))
    empty = {t for t, rows in original.items() if not rows}
    assert empty <= {"task_unit"}, empty  # the sample binds units by kind only

    calls: list[tuple[str, int, int]] = []
    result = transfer(
        str(source), db_target, batch_size=7, progress=lambda t, d, n: calls.append((t, d, n))
    )
    assert _sha(source) == before  # opened read-only: not one byte changed
    assert dict(result.counts) == {t: len(r) for t, r in original.items()}
    tables = [t for t, _n in result.counts]
    assert tables.index("unit") < tables.index("obligation") < tables.index("submission")
    for table, rows in original.items():  # batches of 7, ending at the total
        mine = [c for c in calls if c[0] == table]
        assert mine[0] == (table, 0, len(rows)) and mine[-1] == (table, len(rows), len(rows))
        assert len(mine) == 2 + (len(rows) - 1) // 7 if rows else len(mine) == 1
    assert "khớp" in result.describe()

    back = tmp_path / "tro-ve.db"
    transfer(db_target, str(back))
    assert _dump(_sqlite_url(back)) == original

    # the server works on: new ids follow the copied ones (sequences reset)
    server = connect(db_target)
    try:
        created = units.create_unit(server, units.UnitInput(name="Sở Thử nghiệm", kind="so_nganh"))
        assert created.id == max(r["id"] for r in original["unit"]) + 1
        (stored,) = original["attachment_blob"]
        (blob,) = attachment_blobs.list_for(server, "submission", stored["entity_id"])
        assert attachment_blobs.get(server, blob.ref).startswith(b"%PDF-1.4 scan")
    finally:
        server.dispose()


def test_non_empty_target_is_refused_unless_replace(tmp_path, db_target):
    source = tmp_path / "a.db"
    db = connect(str(source))
    load_sample(db)
    db.dispose()
    transfer(str(source), db_target)
    with pytest.raises(Conflict) as err:
        transfer(str(source), db_target)
    assert "đã có dữ liệu" in err.value.message and "--replace" in err.value.message
    result = transfer(str(source), db_target, replace=True)
    assert result.replaced and dict(result.counts)["unit"] == 34


def test_source_behind_or_missing_is_refused(tmp_path, db_target):
    with pytest.raises(DatabaseError) as err:
        transfer(str(tmp_path / "khong-co.db"), db_target)
    assert "Không tìm thấy" in err.value.message
    empty = tmp_path / "trong.db"
    import sqlite3

    sqlite3.connect(empty).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(DatabaseError) as err:
        transfer(str(empty), db_target)
    assert "lược đồ" in err.value.message


def test_cli_migrate_data(tmp_path, db_target):
    source = tmp_path / "nguon.db"
    out, err = io.StringIO(), io.StringIO()
    assert run(["--db", str(source), "sample"], out=out, err=err) == 0
    before = _sha(source)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(source), "migrate-data", "--to", db_target], out=out, err=err)
    assert code == 0, err.getvalue()
    text = out.getvalue()
    assert "Đơn vị: 34/34" in text and "khớp" in text
    assert ":sotheodoi@" not in text  # no password printed
    assert _sha(source) == before
    code = run(["--db", str(source), "migrate-data", "--to", db_target], out=out, err=err)
    assert code == 3 and "--replace" in err.getvalue()
    out = io.StringIO()
    assert (
        run(["--database-url", db_target, "units", "--json"], out=out, err=err) == 0
        if "://" in db_target
        else True
    )


def test_cancel_from_progress_leaves_target_as_it_was(tmp_path, db_target):
    from app.exchange.transfer import TransferCancelled

    source = tmp_path / "nguon.db"
    db = connect(str(source))
    load_sample(db)
    db.dispose()

    def cancel(table: str, done: int, total: int) -> None:
        if table == "obligation" and done:
            raise TransferCancelled()

    with pytest.raises(TransferCancelled):
        transfer(str(source), db_target, batch_size=10, progress=cancel)
    result = transfer(str(source), db_target)  # still empty: accepted without --replace
    assert dict(result.counts)["unit"] == 34


def test_folder_names_with_url_characters(tmp_path):
    """ "%", "?", "#", spaces and Vietnamese letters in the folder: the source is still opened
    read-only, not misread as a URL."""
    folder = tmp_path / "Thư mục #1 %20 lạ?"
    folder.mkdir()
    source = folder / "dữ liệu.db"
    db = connect(str(source))
    load_sample(db)
    db.dispose()
    before = _sha(source)
    result = transfer(str(source), str(folder / "bản sao.db"))
    assert dict(result.counts)["unit"] == 34 and _sha(source) == before
    assert not (tmp_path / "Thư mục #1 ").exists()


def test_files_attached_by_path_go_into_the_target(tmp_path, db_target):
    """After moving a file to a server, attachments kept in <db folder>/attachments/ are put in
    the database so every PC sees them; the source keeps its paths; a missing file is listed."""
    from sqlalchemy import update

    from app.models import Directive

    folder = tmp_path / "may-lan"
    (folder / "attachments").mkdir(parents=True)
    source = folder / "sotheodoi.db"
    db = connect(str(source))
    load_sample(db)
    scan = folder / "attachments" / "2116-UBND-NC.pdf"
    scan.write_bytes(b"%PDF-1.4 van ban chi dao")
    with db.write() as session:
        session.execute(update(Directive).values(attachment_path="2116-UBND-NC.pdf"))
    db.dispose()
    before = _sha(source)

    result = transfer(str(source), db_target, embed_attachments=True)
    assert "Đã đưa 1 tệp đính kèm" in result.describe()
    assert _sha(source) == before
    target = connect(db_target)
    try:
        with target.read() as session:
            (stored,) = session.scalars(select(Directive.attachment_path)).all()
        assert attachment_blobs.is_ref(stored)
        assert attachment_blobs.get(target, stored) == scan.read_bytes()
    finally:
        target.dispose()

    scan.unlink()
    again = transfer(str(source), db_target, replace=True, embed_attachments=True)
    assert "Không tìm thấy 1 tệp" in again.describe() and "2116-UBND-NC.pdf" in again.describe()
