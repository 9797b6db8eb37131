"""Her work is never overwritten by emptiness; every import can be undone as a whole; any
record can be put back to an earlier version; dates that cannot be right are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from app.db import Database
from app.errors import AppError, Conflict, NotFound, ValidationError
from app.exchange.xlsx_import import RowAction, apply_import, preview_import, write_template
from app.services import audit
from app.services.imports import get_import, list_imports, undo_import
from app.services.submissions import (
    SubmissionInput,
    get_submission,
    record_submission,
    resolve_obligation,
    update_submission,
)
from app.services.units import UnitInput, list_units, update_unit
from tests.core._exchange_data import (
    TODAY,
    add_documents,
    document_row,
    snapshot,
    template_with,
    unit_row,
)
from tests.helpers import db_arg, edit_directive, edit_unit

PLAN = [
    "UBND huyện Bình Sơn",
    "2116/UBND-NC",
    "kế hoạch",
    None,
    "45/KH-UBND",
    "25/04/2018",
    "27/04/2018",
]


def _content(db: Database) -> dict[str, list[tuple[object, ...]]]:
    """Every table but the import batches, without the edit counters (``version``, the last
    column of unit and submission: an undo is an edit)."""
    tables = snapshot(db)
    tables.pop("import_batch")
    for name in ("unit", "submission"):
        tables[name] = sorted((row[:-1] for row in tables[name]), key=repr)
    return tables


def _binh_son_plan(db: Database) -> int:
    with db.read() as session:
        return resolve_obligation(
            session, unit="binh son", directive="2116/UBND-NC", task="ke hoach", period=None
        ).id


def _cli_receive(db: Database, *, signed: str, received: str) -> int:
    """``receive`` of document 1/KH for Bình Sơn's plan, from the command line."""
    where = ["--unit", "binh son", "--directive", "2116/UBND-NC", "--task", "ke hoach"]
    dates = ["--signed", signed, "--received", received, "--today", "31/12/2018"]
    return run(["--db", db_arg(db), "receive", *where, "--number", "1/KH", *dates])


def _plan_document(db: Database) -> int:
    return record_submission(
        db,
        SubmissionInput(
            obligation_id=_binh_son_plan(db),
            number_symbol="45/KH-UBND",
            signed_date=dt.date(2018, 4, 25),
            received_date=dt.date(2018, 4, 27),
            signer="Nguyễn Văn A",
            summary="Kế hoạch phối hợp năm 2018",
            assessment="Đạt, đúng mẫu",
        ),
        today=TODAY,
    ).id


# --- empty cells keep, the marker clears ------------------------------------------------------


def test_reimport_with_empty_cells_keeps_what_she_typed(
    sample_db: Database, tmp_path: Path
) -> None:
    """The reported case: a row for an existing document with empty Người ký / Trích yếu /
    Đánh giá no longer erases them."""
    doc = _plan_document(sample_db)
    path = template_with(tmp_path, "submissions", [[*PLAN, None, None, None, None]])
    preview = preview_import(sample_db, "submissions", path, today=TODAY)
    assert [r.action for r in preview.rows] == [RowAction.UNCHANGED]
    apply_import(sample_db, preview, today=TODAY)
    info = get_submission(sample_db, doc)
    assert (info.signer, info.summary, info.assessment) == (
        "Nguyễn Văn A",
        "Kế hoạch phối hợp năm 2018",
        "Đạt, đúng mẫu",
    )


def test_marker_clears_and_preview_shows_old_and_new(sample_db: Database, tmp_path: Path) -> None:
    doc = _plan_document(sample_db)
    path = template_with(
        tmp_path,
        "submissions",
        [[*PLAN[:6], "26/04/2018", "[xoá]", None, "Kế hoạch sửa lại", "[XÓA]"]],
    )
    preview = preview_import(sample_db, "submissions", path, today=TODAY)
    row = preview.rows[0]
    assert row.action is RowAction.UPDATE
    assert [c.describe() for c in row.changes] == [
        "Ngày nhận: “27/04/2018” → “26/04/2018”",
        "Người ký: “Nguyễn Văn A” → (trống)",
        "Trích yếu: “Kế hoạch phối hợp năm 2018” → “Kế hoạch sửa lại”",
        "Đánh giá: “Đạt, đúng mẫu” → (trống)",
    ]
    assert "Người ký: “Nguyễn Văn A” → (trống)" in row.reason
    assert "Người ký" in row.details() and "\n" in row.details()
    apply_import(sample_db, preview, today=TODAY)
    info = get_submission(sample_db, doc)
    assert (info.signer, info.summary, info.assessment, info.channel.value) == (
        "",
        "Kế hoạch sửa lại",
        "",
        "giay",
    )  # empty channel kept


def test_marker_on_a_required_column_is_an_error(sample_db: Database, tmp_path: Path) -> None:
    _plan_document(sample_db)
    path = template_with(tmp_path, "submissions", [[*PLAN[:6], "[xoá]"]])
    rows = preview_import(sample_db, "submissions", path, today=TODAY).rows
    assert rows[0].action is RowAction.ERROR and "Ngày nhận" in rows[0].reason
    assert "không xoá được" in rows[0].reason
    path = template_with(tmp_path, "units", [["UBND huyện Bình Sơn", None, "[xoá]"]])
    rows = preview_import(sample_db, "units", path, today=TODAY).rows
    assert rows[0].action is RowAction.ERROR and "Loại đơn vị" in rows[0].reason


def test_unit_empty_cells_keep_and_marker_clears(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(
        tmp_path,
        "units",
        [["UBND huyện Bình Sơn", None, None, None, "[xoá]", None, "0255 3851 000"]],
    )
    preview = preview_import(sample_db, "units", path, today=TODAY)
    assert [c.key for c in preview.rows[0].changes] == ["head_title", "phone"]
    apply_import(sample_db, preview, today=TODAY)
    unit = next(u for u in list_units(sample_db) if u.name == "UBND huyện Bình Sơn")
    assert (unit.kind.value if hasattr(unit.kind, "value") else unit.kind) == "huyen"
    assert (unit.head_title, unit.phone, unit.short_name) == ("", "0255 3851 000", "Bình Sơn")


def test_new_unit_needs_its_kind(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(tmp_path, "units", [["UBND xã Mới", None, None]])
    rows = preview_import(sample_db, "units", path, today=TODAY).rows
    assert rows[0].action is RowAction.ERROR and "Loại đơn vị" in rows[0].reason


def test_only_ticked_rows_are_written(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(
        tmp_path,
        "units",
        [
            ["UBND xã A", None, "xã"],
            ["UBND xã B", None, "xã"],
            ["UBND huyện Bình Sơn", None, None, None, None, "Châu Ổ"],
        ],
    )
    preview = preview_import(sample_db, "units", path, today=TODAY)
    result = apply_import(sample_db, preview, today=TODAY, rows=[5])
    assert (result.added, result.updated, result.unticked) == (1, 0, 2)
    names = {u.name: u for u in list_units(sample_db)}
    assert "UBND xã B" in names and "UBND xã A" not in names
    assert names["UBND huyện Bình Sơn"].address != "Châu Ổ"
    assert "không chọn 2" in result.describe()


# --- undo a whole import ----------------------------------------------------------------------


def test_undo_last_import_puts_everything_back(sample_db: Database, tmp_path: Path) -> None:
    add_documents(sample_db)
    before = _content(sample_db)
    path = template_with(
        tmp_path,
        "submissions",
        [
            [*PLAN[:6], "26/04/2018", "[xoá]", None, "Sửa"],
            document_row(
                "UBND huyện Tư Nghĩa", "9/KH-UBND", "26/04/2018", "29/04/2018", signer="Trần B"
            ),
        ],
    )
    result = apply_import(
        sample_db, preview_import(sample_db, "submissions", path, today=TODAY), today=TODAY
    )
    assert (result.added, result.updated) == (1, 1) and result.batch_id is not None
    assert _content(sample_db) != before
    batch = get_import(sample_db, "LAST")
    assert (batch.id, batch.added, batch.updated, batch.file_name) == (
        result.batch_id,
        1,
        1,
        "submissions.xlsx",
    )
    undone = undo_import(sample_db, "LAST")
    assert (undone.restored, undone.deleted) == (1, 1)
    assert _content(sample_db) == before  # documents, obligations' counters, everything
    assert get_import(sample_db, result.batch_id).undone
    with pytest.raises(Conflict) as err:
        undo_import(sample_db, result.batch_id)
    assert "đã được hoàn tác" in err.value.message
    with pytest.raises(NotFound):
        undo_import(sample_db, "LAST")
    entries = [e for e in audit.history(sample_db) if e.action == "undo_import"]
    assert len(entries) == 2 and all(e.batch_id == result.batch_id for e in entries)


def test_undo_refused_when_a_record_changed_since(sample_db: Database, tmp_path: Path) -> None:
    doc = _plan_document(sample_db)
    path = template_with(tmp_path, "submissions", [[*PLAN[:7], "Lê C"]])
    apply_import(
        sample_db, preview_import(sample_db, "submissions", path, today=TODAY), today=TODAY
    )
    info = get_submission(sample_db, doc)
    update_submission(
        sample_db,
        doc,
        SubmissionInput(
            obligation_id=info.obligation_id,
            number_symbol=info.number_symbol,
            signed_date=info.signed_date,
            received_date=info.received_date,
            signer="Lê C",
            summary="Sửa tay sau khi nhập",
        ),
        today=TODAY,
    )
    before = snapshot(sample_db)
    with pytest.raises(Conflict) as err:
        undo_import(sample_db, "LAST")
    assert "45/KH-UBND" in err.value.message and "Chưa hoàn tác gì" in err.value.message
    assert snapshot(sample_db) == before


def test_undo_units_import_removes_new_units_and_their_obligations(
    sample_db: Database, tmp_path: Path
) -> None:
    before = _content(sample_db)
    path = template_with(
        tmp_path,
        "units",
        [
            unit_row(
                name="UBND huyện Mới",
                short_name="Mới",
                kind="UBND cấp huyện",
                active="Có",
                valid_from="01/01/2018",
            ),
            ["UBND huyện Bình Sơn", None, None, None, None, "Châu Ổ"],
        ],
    )
    apply_import(sample_db, preview_import(sample_db, "units", path, today=TODAY), today=TODAY)
    assert len(list_units(sample_db)) == 35
    undone = undo_import(sample_db, "LAST")
    assert (undone.restored, undone.deleted) == (1, 1)
    assert _content(sample_db) == before


def test_cli_undo_and_list(
    sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = db_arg(sample_db)
    path = template_with(tmp_path, "units", [["UBND xã A", None, "xã"]])
    assert run(["--db", db, "import", "units", str(path)]) == 0
    out = capsys.readouterr().out
    assert "import --undo 1" in out and 'Đã đọc trang tính "Nhập liệu"' in out
    assert run(["--db", db, "import", "--list"]) == 0
    assert "Lần nhập số 1" in capsys.readouterr().out
    assert run(["--db", db, "import", "--undo", "LAST"]) == 0
    assert "Đã hoàn tác lần nhập số 1" in capsys.readouterr().out
    assert len(list_units(sample_db)) == 34
    assert run(["--db", db, "import", "--undo", "LAST"]) == 2
    assert "Chưa có lần nhập" in capsys.readouterr().err
    assert run(["--db", db, "import", "--undo", "abc"]) == 2
    assert run(["--db", db, "import", "units"]) == 2
    assert list_imports(sample_db)[0].undone


# --- any record back to an earlier version ---------------------------------------------------


def test_restore_a_version_from_history(sample_db: Database) -> None:
    doc = _plan_document(sample_db)
    info = get_submission(sample_db, doc)
    update_submission(
        sample_db,
        doc,
        SubmissionInput(
            obligation_id=info.obligation_id,
            number_symbol=info.number_symbol,
            signed_date=info.signed_date,
            received_date=dt.date(2018, 5, 2),
            signer="",
            summary="",
        ),
        today=TODAY,
    )
    created = audit.history(sample_db, "submission", doc)[-1]
    assert created.action == "create" and created.restorable
    entry = audit.restore_version(sample_db, created.id, today=TODAY)
    assert entry.action == "restore" and entry.after["signer"] == "Nguyễn Văn A"
    restored = get_submission(sample_db, doc)
    assert (restored.signer, restored.received_date) == ("Nguyễn Văn A", dt.date(2018, 4, 27))
    from app.services.obligations import get_obligation

    assert get_obligation(sample_db, info.obligation_id, TODAY).first_received == dt.date(
        2018, 4, 27
    )
    with pytest.raises(AppError) as err:
        audit.restore_version(sample_db, created.id, today=TODAY)
    assert "giống hệt" in err.value.message


def test_restore_unit_version_is_checked_like_the_form(sample_db: Database) -> None:
    unit = next(u for u in list_units(sample_db) if u.name == "UBND huyện Bình Sơn")
    update_unit(sample_db, unit.id, UnitInput(name="UBND huyện Bình Sơn (cũ)", kind="huyen"))
    old_name_entry = audit.history(sample_db, "unit", unit.id)[0]
    update_unit(
        sample_db,
        unit.id,
        UnitInput(name="UBND huyện Bình Sơn", kind="huyen", head_title="Chủ tịch"),
    )
    from app.services.units import create_unit

    create_unit(sample_db, UnitInput(name="UBND huyện Bình Sơn (cũ)", kind="khac"))
    with pytest.raises(ValidationError) as err:  # the old name is taken now
        audit.restore_version(sample_db, old_name_entry.id, today=TODAY)
    assert "Đã có đơn vị" in err.value.message


# --- formulas, other sheets -------------------------------------------------------------------


def test_formula_without_cached_value_is_not_read_as_empty(
    sample_db: Database, tmp_path: Path
) -> None:
    _plan_document(sample_db)
    path = template_with(tmp_path, "submissions", [[*PLAN, '=CONCAT("Nguyễn ", "Văn A")']])
    rows = preview_import(sample_db, "submissions", path, today=TODAY).rows
    assert rows[0].action is RowAction.ERROR
    assert "H4" in rows[0].reason and "công thức" in rows[0].reason


def test_other_sheets_with_data_are_named(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(tmp_path, "units", [["UBND xã A", None, "xã"]])
    wb = openpyxl.load_workbook(path)
    extra = wb.create_sheet("Đợt 2")
    extra.append(["Tên đơn vị", "Loại đơn vị"])
    extra.append(["UBND xã B", "xã"])
    wb.save(path)
    preview = preview_import(sample_db, "units", path, today=TODAY)
    assert preview.sheet == "Nhập liệu" and preview.other_sheets == ("Đợt 2",)
    assert '"Đợt 2"' in preview.sheet_note() and "KHÔNG được đọc" in preview.sheet_note()
    alone = template_with(tmp_path, "units", [["UBND xã A", None, "xã"]], "alone.xlsx")
    assert preview_import(sample_db, "units", alone, today=TODAY).other_sheets == ()


# --- dates that cannot be right ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("signed", "received", "words"),
    [
        (1, 43217, "Ngày ký 01/01/1900 không thể đúng"),
        (60, 43217, "năm 1900"),
        ("20/03/2018", "27/04/2018", "trước ngày ban hành văn bản chỉ đạo"),
        ("20/04/2018", "10/04/2018", "trước ngày ký"),
    ],
)
def test_impossible_dates_are_refused_in_excel(
    sample_db: Database, tmp_path: Path, signed: object, received: object, words: str
) -> None:
    path = template_with(tmp_path, "submissions", [[*PLAN[:5], signed, received]])
    rows = preview_import(sample_db, "submissions", path, today=TODAY).rows
    assert rows[0].action is RowAction.ERROR and words in rows[0].reason, rows[0].reason


def test_impossible_dates_are_refused_by_the_service_and_cli(
    sample_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    obligation = _binh_son_plan(sample_db)

    def record(signed: dt.date) -> None:
        document = SubmissionInput(
            obligation_id=obligation,
            number_symbol="1/KH",
            signed_date=signed,
            received_date=dt.date(2018, 4, 20),
        )
        record_submission(sample_db, document, today=TODAY)

    with pytest.raises(ValidationError) as err:
        record(dt.date(2018, 4, 1))
    assert "18/04/2018" in err.value.message and "signed_date" in err.value.errors
    with pytest.raises(ValidationError) as err:
        record(dt.date(1900, 1, 1))
    assert "không thể đúng" in err.value.message
    code = _cli_receive(sample_db, signed="01/04/2018", received="20/04/2018")
    err_text = capsys.readouterr().err
    assert code == 2 and "trước ngày ban hành văn bản chỉ đạo" in err_text


def test_receipt_outside_the_units_life_is_a_warning(sample_db: Database, tmp_path: Path) -> None:
    edit_unit(
        sample_db,
        "UBND huyện Bình Sơn",
        valid_from=dt.date(2018, 1, 1),
        valid_to=dt.date(2018, 4, 26),
    )
    path = template_with(tmp_path, "submissions", [PLAN])
    preview = preview_import(sample_db, "submissions", path, today=TODAY)
    row = preview.rows[0]
    assert row.action is RowAction.NEW and row.warnings
    assert "sau ngày UBND huyện Bình Sơn hết hiệu lực (26/04/2018)" in row.reason
    assert "1 dòng có lưu ý" in preview.describe()
    apply_import(sample_db, preview, today=TODAY)  # a warning, not a refusal


def test_template_explains_the_clear_marker(tmp_path: Path) -> None:
    for kind in ("units", "submissions"):
        wb = openpyxl.load_workbook(write_template(kind, tmp_path / f"{kind}.xlsx"))
        assert "[xoá]" in wb["Nhập liệu"]["A2"].value
        guide = " ".join(
            str(c.value) for row in wb["Hướng dẫn"].iter_rows() for c in row if c.value
        )
        assert "ô để trống GIỮ NGUYÊN" in guide and "[xoá]" in guide and "hoàn tác" in guide


def test_restore_directive_and_task_versions(sample_db: Database) -> None:
    from app.services import directives
    from app.services.obligations import list_obligations

    d = next(x for x in directives.list_directives(sample_db) if x.number_symbol == "2116/UBND-NC")
    edit_directive(sample_db, d.id, subject="Trích yếu sửa nhầm")
    first = audit.history(sample_db, "directive", d.id)[-1]
    assert first.action == "create"
    audit.restore_version(sample_db, first.id, today=TODAY)
    assert directives.get_directive(sample_db, d.id).subject == d.subject
    task = directives.get_directive(sample_db, d.id).tasks[0]
    count = len(list_obligations(sample_db, TODAY, task_id=task.id))
    directives.update_task(
        sample_db,
        task.id,
        directives.TaskInput(
            title=task.title + " (sửa)",
            kind=task.kind,
            description=task.description,
            due_date=task.due_date,
            period_kind=task.period_kind,
            start_date=task.start_date,
            end_date=task.end_date,
            due_day=task.due_day,
            due_month_offset=task.due_month_offset,
            unit_kinds=(),
            unit_ids=task.unit_ids[:1] or (1,),
        ),
    )
    assert len(list_obligations(sample_db, TODAY, task_id=task.id)) < count
    edit = audit.history(sample_db, "task", task.id)[0]  # the sample's tasks have no "create"
    assert edit.action == "update" and edit.restorable_before
    entry = audit.restore_version(sample_db, edit.id, today=TODAY, before=True)
    assert entry.action == "restore" and entry.after["unit_kinds"] == list(
        sorted(k.value for k in task.unit_kinds)
    )
    again = directives.get_task(sample_db, task.id)
    assert again.title == task.title and again.unit_kinds == task.unit_kinds
    assert len(list_obligations(sample_db, TODAY, task_id=task.id)) == count


def test_undo_keeps_a_new_unit_that_later_work_depends_on(
    sample_db: Database, tmp_path: Path
) -> None:
    """A unit the import added, into which another unit has merged since: not deleted (the
    merger is her work), nothing undone, the reason named."""
    from app.services.units import record_merger

    path = template_with(
        tmp_path,
        "units",
        [
            unit_row(
                name="UBND huyện Mới", kind="UBND cấp huyện", active="Có", valid_from="01/01/2018"
            )
        ],
    )
    apply_import(sample_db, preview_import(sample_db, "units", path, today=TODAY), today=TODAY)
    names = {u.name: u for u in list_units(sample_db)}
    record_merger(
        sample_db, names["UBND huyện Lý Sơn"].id, names["UBND huyện Mới"].id, dt.date(2018, 10, 1)
    )
    before = snapshot(sample_db)
    with pytest.raises(Conflict) as err:
        undo_import(sample_db, "LAST")
    assert "đã có đơn vị sáp nhập vào" in err.value.message
    assert snapshot(sample_db) == before


def test_cli_receive_warns_about_a_receipt_after_the_unit_ended(
    sample_db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_unit(sample_db, "UBND huyện Bình Sơn", valid_to=dt.date(2018, 4, 26))
    code = _cli_receive(sample_db, signed="25/04/2018", received="27/04/2018")
    captured = capsys.readouterr()
    assert code == 0 and captured.out.strip().isdigit()  # recorded; stdout is the id only
    assert "hết hiệu lực (26/04/2018)" in captured.err


def test_undo_refused_when_the_old_values_are_no_longer_valid(
    sample_db: Database, tmp_path: Path
) -> None:
    """The import moved a document's dates; since then the directive's date was corrected to
    a later day: the old dates would now be before the directive — refused, nothing touched."""
    from app.services import directives

    _plan_document(sample_db)  # signed 25/04, received 27/04
    path = template_with(tmp_path, "submissions", [[*PLAN[:5], "28/04/2018", "29/04/2018"]])
    apply_import(
        sample_db, preview_import(sample_db, "submissions", path, today=TODAY), today=TODAY
    )
    d = next(x for x in directives.list_directives(sample_db) if x.number_symbol == "2116/UBND-NC")
    edit_directive(sample_db, d.id, signed_date=dt.date(2018, 4, 26))
    before = _content(sample_db)
    with pytest.raises(Conflict) as err:
        undo_import(sample_db, "LAST")
    assert "không đưa về giá trị cũ được" in err.value.message
    assert "trước ngày ban hành văn bản chỉ đạo" in err.value.message
    assert _content(sample_db) == before


def test_restore_puts_a_directives_working_day_choice_back(sample_db: Database) -> None:
    from app.services import directives

    d = next(x for x in directives.list_directives(sample_db) if x.number_symbol == "2116/UBND-NC")
    edit_directive(sample_db, d.id, shift_due=True)
    assert directives.get_directive(sample_db, d.id).shift_due
    edit = audit.history(sample_db, "directive", d.id)[0]
    audit.restore_version(sample_db, edit.id, today=TODAY, before=True)
    assert not directives.get_directive(sample_db, d.id).shift_due
