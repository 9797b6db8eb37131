"""``report summary|reminder|unit-sheet``: the documents from the command line."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from app.cli import run


def cli(db_path: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db_path), *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def text(path: Path) -> str:
    joined = "\n".join(p.extract_text() for p in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFC", joined).split())


def _sample(db_path: Path) -> None:
    assert cli(db_path, "sample")[0] == 0
    code, _, err = cli(
        db_path,
        "receive",
        "--unit",
        "son tinh",
        "--directive",
        "2116/UBND-NC",
        "--task",
        "kế hoạch phối hợp",
        "--number",
        "45/KH-UBND",
        "--signed",
        "25/04/2018",
        "--received",
        "28/04/2018",
        "--today",
        "2018-05-02",
    )
    assert code == 0, err


def test_report_commands_write_the_three_documents(db_path: Path, tmp_path: Path) -> None:
    _sample(db_path)
    summary = tmp_path / "bao-cao.pdf"
    code, out, err = cli(
        db_path,
        "report",
        "summary",
        "--directive",
        "2116/UBND-NC",
        "--as-of",
        "02/05/2018",
        "--out",
        str(summary),
        "--number",
        "12",
        "--date",
        "03/05/2018",
        "--signer-authority",
        "",
        "--signer-title",
        "Giám đốc",
        "--signer-name",
        "Trần Văn Bình",
        "--recipient",
        "Như trên",
        "--recipient",
        "Ban Dân vận Tỉnh ủy",
    )
    assert code == 0, err
    assert "Đã ghi báo cáo tổng hợp" in out
    body = text(summary)
    assert "Số: 12/BC-SNV" in body and "ngày 03 tháng 5 năm 2018" in body
    assert "Trần Văn Bình" in body and "KT. GIÁM ĐỐC" not in body
    assert "- Ban Dân vận Tỉnh ủy;" in body and "- Lưu: VT, XDCQ." in body
    assert "đã nhận 1/14 kế hoạch (đúng hạn)" in body

    reminder = tmp_path / "cong-van.pdf"
    code, _, err = cli(
        db_path,
        "report",
        "reminder",
        "--directive",
        "2116",
        "--as-of",
        "2018-05-02",
        "--out",
        str(reminder),
    )
    assert code == 0, err
    assert "/SNV-XDCQ" in text(reminder) and "UBND huyện Sơn Tịnh" not in text(reminder)

    sheet = tmp_path / "phieu.pdf"
    code, _, err = cli(
        db_path,
        "report",
        "unit-sheet",
        "--unit",
        "son tinh",
        "--as-of",
        "2018-05-02",
        "--out",
        str(sheet),
    )
    assert code == 0, err
    assert "45/KH-UBND; 25/04/2018; 28/04/2018" in text(sheet)
    assert "PHIẾU BÁO" in text(sheet) and "Số: /PB-SNV" in text(sheet)


def test_a_blank_date_line_prints_the_year_of_today(db_path: Path, tmp_path: Path) -> None:
    _sample(db_path)
    summary = tmp_path / "bao-cao.pdf"
    code, _, err = cli(
        db_path,
        "report",
        "summary",
        "--directive",
        "2116/UBND-NC",
        "--as-of",
        "02/05/2018",
        "--today",
        "2026-01-05",
        "--out",
        str(summary),
    )
    assert code == 0, err
    body = text(summary)
    assert "tháng năm 2026" in body and "tháng năm 2018" not in body


def test_report_errors_are_vietnamese_and_write_nothing(db_path: Path, tmp_path: Path) -> None:
    _sample(db_path)
    out = tmp_path / "x.pdf"
    code, _, err = cli(db_path, "report", "unit-sheet", "--as-of", "2018-05-02", "--out", str(out))
    assert code == 2 and "hãy chọn một đơn vị" in err
    code, _, err = cli(
        db_path,
        "report",
        "reminder",
        "--directive",
        "2116",
        "--as-of",
        "2018-04-20",
        "--out",
        str(out),
    )
    assert code == 1 and "không có đơn vị nào quá hạn" in err
    code, _, err = cli(
        db_path,
        "report",
        "summary",
        "--directive",
        "9999/XX",
        "--as-of",
        "2018-05-02",
        "--out",
        str(out),
    )
    assert code == 2 and "Không có văn bản chỉ đạo" in err
    code, _, err = cli(
        db_path,
        "report",
        "summary",
        "--directive",
        "2116",
        "--as-of",
        "2018-05-02",
        "--out",
        str(out),
        "--number",
        "mười",
    )
    assert code == 2 and "Số văn bản" in err
    assert not out.exists()
    assert list(tmp_path.glob("*.tmp")) == []
