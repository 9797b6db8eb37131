from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import openpyxl
import pytest

from app.cli import run
from app.db import Database
from app.errors import Conflict, ValidationError
from app.exchange.xlsx_columns import DOCUMENT_KEYS
from app.exchange.xlsx_export import ExportFilters, export
from app.exchange.xlsx_import import (
    RowAction,
    apply_import,
    preview_import,
    write_template,
)
from app.services.units import list_units
from tests.core._exchange_data import (
    TODAY,
    add_documents,
    document_row,
    snapshot,
    template_with,
    unit_row,
)
from tests.helpers import db_arg


def _actions(preview: object) -> dict[int, RowAction]:
    return {r.row_number: r.action for r in preview.rows}  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("table", "kind"), [("units", "units"), ("plans", "submissions"), ("reports", "submissions")]
)
def test_export_then_import_changes_nothing(
    sample_db: Database, tmp_path: Path, table: str, kind: str
) -> None:
    add_documents(sample_db)
    before = snapshot(sample_db)
    path, _ = export(sample_db, table, tmp_path / "x.xlsx", ExportFilters(as_of=TODAY))
    preview = preview_import(sample_db, kind, path, today=TODAY)
    assert not preview.has_errors, [r.reason for r in preview.rows if r.action == "error"]
    assert preview.changes == 0
    assert preview.count(RowAction.UNCHANGED) > 0
    apply_import(sample_db, preview, today=TODAY)
    assert snapshot(sample_db) == before


@pytest.mark.sqlite_only  # compares raw rows with a second database, an SQLite file
def test_submissions_round_trip_into_empty_copy(
    sample_db: Database, db_path: Path, tmp_path: Path
) -> None:
    """Exported documents imported into a database without them recreate the same rows."""
    from app.db import connect
    from app.services.sample import load_sample

    add_documents(sample_db)
    plans, _ = export(sample_db, "plans", tmp_path / "p.xlsx", ExportFilters(as_of=TODAY))
    reports, _ = export(sample_db, "reports", tmp_path / "r.xlsx", ExportFilters(as_of=TODAY))
    other = connect(str(tmp_path / "other.db"))
    try:
        load_sample(other)
        for path in (plans, reports):
            preview = preview_import(other, "submissions", path, today=TODAY)
            assert not preview.has_errors
            apply_import(other, preview, today=TODAY)
        keep = ("obligation_id", *DOCUMENT_KEYS)

        def docs(db: Database) -> list[tuple[object, ...]]:
            from sqlalchemy import select

            from app.models import Submission

            with db.read() as session:
                return sorted(
                    tuple(getattr(s, k) for k in keep) for s in session.scalars(select(Submission))
                )

        assert docs(other) == docs(sample_db)
        before = snapshot(other)["obligation"]
        assert before == snapshot(sample_db)["obligation"]
    finally:
        other.dispose()


def test_units_new_update_error(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(
        tmp_path,
        "units",
        [
            unit_row(
                name="UBND xã Tịnh Kỳ",
                short_name="Tịnh Kỳ",
                kind="UBND cấp xã",
                head_title="Chủ tịch",
                email="tinhky@example.vn",
                active="Có",
                valid_from="01/01/2019",
            ),
            ["ubnd huyen binh son", "Bình Sơn", "huyện", 2, "Chủ tịch", "Thị trấn Châu Ổ"],
            ["", None, "UBND cấp xã"],
            ["UBND xã Bình Châu", None, "tỉnh thành", None, None, None, None, "sai-email"],
            ["UBND xã Tịnh Kỳ", None, "UBND cấp xã"],
        ],
    )
    preview = preview_import(sample_db, "units", path, today=TODAY)
    actions = _actions(preview)
    assert actions == {
        4: RowAction.NEW,
        5: RowAction.UPDATE,
        6: RowAction.ERROR,
        7: RowAction.ERROR,
        8: RowAction.ERROR,
    }
    reasons = {r.row_number: r.reason for r in preview.rows}
    assert "Tên đơn vị không được để trống" in reasons[6]
    assert "Loại đơn vị" in reasons[7] and "thư điện tử" in reasons[7]
    assert "dòng 4" in reasons[8]
    assert "Địa chỉ" in reasons[5]
    before = snapshot(sample_db)
    with pytest.raises(ValidationError):
        apply_import(sample_db, preview, today=TODAY)
    assert snapshot(sample_db) == before


def test_units_import_writes_all_and_syncs(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(
        tmp_path,
        "units",
        [
            unit_row(
                name="UBND huyện Mới",
                short_name="Mới",
                kind="UBND cấp huyện",
                head_title="Chủ tịch",
                active="Có",
                valid_from="01/01/2018",
            ),
            ["UBND huyện Bình Sơn", "Bình Sơn", "UBND cấp huyện", None, None, "Châu Ổ"],
        ],
    )
    preview = preview_import(sample_db, "units", path, today=TODAY)
    result = apply_import(sample_db, preview, today=TODAY)
    assert (result.added, result.updated) == (1, 1)
    units = {u.name: u for u in list_units(sample_db)}
    assert units["UBND huyện Bình Sơn"].address == "Châu Ổ"
    assert units["UBND huyện Bình Sơn"].head_title == "Chủ tịch UBND"  # an empty cell keeps it
    from app.services.obligations import list_obligations

    new = units["UBND huyện Mới"]
    assert len(list_obligations(sample_db, TODAY, unit_id=new.id)) == 3  # bound like the others


def test_missing_columns_are_named(sample_db: Database, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên đơn vị", "Địa chỉ"])
    ws.append(["UBND xã A", "x"])
    wb.save(tmp_path / "cols.xlsx")
    with pytest.raises(ValidationError) as info:
        preview_import(sample_db, "units", tmp_path / "cols.xlsx", today=TODAY)
    assert "Loại đơn vị" in info.value.message


def test_headers_tolerate_case_and_diacritics(sample_db: Database, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["TEN DON VI", "loai don vi *", "Thu dien tu (email)"])
    ws.append(["UBND xã A", "xã", "a@example.vn"])
    wb.save(tmp_path / "h.xlsx")
    preview = preview_import(sample_db, "units", tmp_path / "h.xlsx", today=TODAY)
    assert [r.action for r in preview.rows] == [RowAction.NEW]
    assert [f.key for f in preview.fields] == ["name", "kind", "email"]


def test_dates_as_text_and_bad_dates(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(
        tmp_path,
        "submissions",
        [
            document_row("UBND huyện Bình Sơn", "45/KH-UBND", "25/04/2018", "27.4.2018"),
            document_row("UBND huyện Sơn Tịnh", "1/KH", "hôm qua", "31/02/2018"),
            document_row("UBND huyện Tư Nghĩa", "2/KH", 43215, 43216),
            document_row("UBND huyện Không Có", "3/KH", "01/04/2018", "02/04/2018"),
            document_row(
                "UBND huyện Ba Tơ", "4/BC", "01/06/2018", "02/06/2018", task="báo cáo 6 tháng"
            ),
            document_row("UBND huyện Minh Long", "5/KH", "05/05/2018", "01/05/2018"),
        ],
    )
    preview = preview_import(sample_db, "submissions", path, today=TODAY)
    reasons = {r.row_number: (r.action, r.reason) for r in preview.rows}
    assert reasons[4][0] is RowAction.NEW
    assert reasons[5][0] is RowAction.ERROR
    assert "Ngày ký 'hôm qua'" in reasons[5][1] and "không tồn tại" in reasons[5][1]
    assert reasons[6][0] is RowAction.NEW  # Excel serial numbers are dates
    assert reasons[7][0] is RowAction.ERROR and "Không Có" in reasons[7][1]
    assert reasons[8][0] is RowAction.ERROR and "Kỳ báo cáo" in reasons[8][1]
    assert reasons[9][0] is RowAction.ERROR and "trước ngày ký" in reasons[9][1]


def test_merged_cells_are_row_errors(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(
        tmp_path,
        "units",
        [
            ["UBND xã A", None, "UBND cấp xã"],
            ["UBND xã B", None, "UBND cấp xã"],
            ["UBND xã C", None, None],
        ],
    )
    wb = openpyxl.load_workbook(path)
    wb["Nhập liệu"].merge_cells("C5:C6")
    wb.save(path)
    preview = preview_import(sample_db, "units", path, today=TODAY)
    actions = _actions(preview)
    assert actions[4] is RowAction.NEW
    assert actions[5] is actions[6] is RowAction.ERROR
    assert "gộp" in preview.rows[1].reason


def test_empty_sheet_and_not_excel(sample_db: Database, tmp_path: Path) -> None:
    openpyxl.Workbook().save(tmp_path / "empty.xlsx")
    with pytest.raises(ValidationError) as info:
        preview_import(sample_db, "units", tmp_path / "empty.xlsx", today=TODAY)
    assert "không có dữ liệu" in info.value.message
    fake = tmp_path / "fake.xlsx"
    fake.write_text("Tên đơn vị;Loại đơn vị\nA;xã\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        preview_import(sample_db, "units", fake, today=TODAY)
    assert "không phải tệp Excel" in info.value.message
    only_headers = write_template("units", tmp_path / "tpl.xlsx")
    preview = preview_import(sample_db, "units", only_headers, today=TODAY)
    assert preview.rows == () and not preview.has_errors


def test_ten_thousand_rows_with_errors_write_nothing(sample_db: Database, tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Tên đơn vị", "Loại đơn vị", "Hiệu lực từ ngày"])
    for i in range(10_000):
        bad = i % 1000 == 999
        ws.append([f"UBND xã Số {i}", "xã", "ngày mai" if bad else dt.date(2019, 1, 1)])
    wb.save(tmp_path / "big.xlsx")
    before = snapshot(sample_db)
    start = time.perf_counter()
    preview = preview_import(sample_db, "units", tmp_path / "big.xlsx", today=TODAY)
    elapsed = time.perf_counter() - start
    assert len(preview.rows) == 10_000
    assert preview.count(RowAction.ERROR) == 10
    assert preview.count(RowAction.NEW) == 9_990
    with pytest.raises(ValidationError):
        apply_import(sample_db, preview, today=TODAY)
    assert snapshot(sample_db) == before
    print(f"preview of 10,000 rows: {elapsed:.1f}s")


def test_changed_since_preview_is_refused(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(tmp_path, "units", [["UBND xã A", None, "UBND cấp xã"]])
    preview = preview_import(sample_db, "units", path, today=TODAY)
    apply_import(sample_db, preview, today=TODAY)
    with pytest.raises(Conflict):
        apply_import(sample_db, preview, today=TODAY)


def test_submission_update_by_unit_year_number(sample_db: Database, tmp_path: Path) -> None:
    add_documents(sample_db)
    path = template_with(
        tmp_path,
        "submissions",
        [
            document_row(
                "UBND huyện Bình Sơn",
                "045/kh-ubnd",
                "25/04/2018",
                "26/04/2018",
                signer="Nguyễn Văn A",
                channel="Giấy",
                summary="Kế hoạch phối hợp năm 2018",
                assessment="Đạt",
            ),
        ],
    )
    preview = preview_import(sample_db, "submissions", path, today=TODAY)
    assert [r.action for r in preview.rows] == [RowAction.UPDATE]
    assert "Ngày nhận" in preview.rows[0].reason
    apply_import(sample_db, preview, today=TODAY)
    from app.services.obligations import list_obligations
    from app.services.units import list_units

    unit = next(u for u in list_units(sample_db) if u.name == "UBND huyện Bình Sơn")
    rows = list_obligations(sample_db, TODAY, unit_id=unit.id)
    plan = next(r for r in rows if r.period_key == "-")
    assert plan.first_received == dt.date(2018, 4, 26)


def test_cli_import_and_template(
    sample_db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = db_arg(sample_db)
    assert run(["--db", db, "template", "units", "--out", str(tmp_path / "m")]) == 0
    assert (tmp_path / "m.xlsx").exists()
    path = template_with(tmp_path, "units", [["UBND xã A", None, "xã"], ["", None, "xã"]])
    assert run(["--db", db, "import", "units", str(path)]) == 2
    assert "Dòng 5: Lỗi" in capsys.readouterr().out
    path = template_with(tmp_path, "units", [["UBND xã A", None, "xã"]])
    assert run(["--db", db, "import", "units", str(path), "--dry-run"]) == 0
    assert len(list_units(sample_db)) == 34
    assert run(["--db", db, "import", "units", str(path)]) == 0
    assert len(list_units(sample_db)) == 35


def _limited(valid_to: str | None = None) -> list[object]:
    """A commune followed from 01/01/2019, until ``valid_to``."""
    return unit_row(
        name="UBND xã Có Hạn", kind="xã", active="Có", valid_from="01/01/2019", valid_to=valid_to
    )


def test_emptied_validity_date_is_reported_as_a_change(sample_db: Database, tmp_path: Path) -> None:
    path = template_with(tmp_path, "units", [_limited("30/06/2025")])
    apply_import(sample_db, preview_import(sample_db, "units", path, today=TODAY), today=TODAY)
    path = template_with(tmp_path, "units", [_limited()])  # an empty cell keeps the date
    preview = preview_import(sample_db, "units", path, today=TODAY)
    assert [r.action for r in preview.rows] == [RowAction.UNCHANGED]
    path = template_with(tmp_path, "units", [_limited("[Xoá]")])  # the marker empties it
    preview = preview_import(sample_db, "units", path, today=TODAY)
    assert [r.action for r in preview.rows] == [RowAction.UPDATE]
    assert preview.rows[0].changes[0].describe() == "Hiệu lực đến ngày: “30/06/2025” → (trống)"
    assert "Hiệu lực đến ngày" in preview.rows[0].reason
    apply_import(sample_db, preview, today=TODAY)
    unit = next(u for u in list_units(sample_db) if u.name == "UBND xã Có Hạn")
    assert unit.valid_from == dt.date(2019, 1, 1) and unit.valid_to is None
