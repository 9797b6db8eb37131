"""``report … --text-file``, ``--units``, ``--reply-by``, ``report unit-reminder`` and
``report list``: editing and keeping documents from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.db import connect
from app.documents.text_file import read_text_file
from app.errors import NotFound, ValidationError
from app.services.issued_documents import list_issued
from tests.core.test_cli_report import cli, text

DAY = "02/08/2018"


@pytest.fixture
def sample(db_path: Path) -> Path:
    assert cli(db_path, "sample")[0] == 0
    return db_path


def _report(db: Path, kind: str, out: Path, *args: str, **options: str) -> tuple[int, str, str]:
    """``report KIND --as-of DAY --out OUT``, then ``--name value`` for each of ``options``
    (``reply_by`` → ``--reply-by``), then ``args``."""
    flags = [x for name, value in options.items() for x in (f"--{name.replace('_', '-')}", value)]
    return cli(db, "report", kind, "--as-of", DAY, "--out", str(out), *flags, *args)


def _toml(tmp_path: Path, body: str, name: str = "noi-dung.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def test_text_file_edits_reach_the_pdf_and_the_record(sample: Path, tmp_path: Path) -> None:
    edits = _toml(
        tmp_path,
        'title = "Kết quả theo dõi tháng 8"\n'
        '[opening]\ntext = """\nĐoạn mở đầu viết lại.\nĐoạn thứ hai.\n"""\n'
        '[noi_nhan]\ntext = """\nNhư trên\nLưu: VT, XDCQ\n"""\n',
    )
    out = tmp_path / "bc.pdf"
    code, stdout, err = _report(
        sample, "summary", out, directive="2116/UBND-NC", text_file=str(edits)
    )
    assert code == 0, err
    assert "danh sách văn bản đã phát hành (mã 1)" in stdout
    body = text(out)
    assert "Đoạn mở đầu viết lại. Đoạn thứ hai." in body
    assert "Kết quả theo dõi tháng 8" in body and "Ban Dân vận" not in body
    code, stdout, err = cli(sample, "report", "list", "--json")
    assert code == 0, err
    [kept] = json.loads(stdout)
    assert kept["kind"] == "summary" and kept["as_of"] == "2018-08-02"
    assert kept["edits"]["opening"] == "Đoạn mở đầu viết lại.\nĐoạn thứ hai."
    assert kept["title"] == "Kết quả theo dõi tháng 8"


def test_reminder_to_chosen_units_with_a_deadline_and_the_list(
    sample: Path, tmp_path: Path
) -> None:
    out = tmp_path / "cv.pdf"
    code, _, err = _report(
        sample, "reminder", out, directive="2116", units="Ba Tơ; Sở Y tế", reply_by="20/08/2018"
    )
    assert code == 0, err
    body = text(out)
    assert "UBND huyện Ba Tơ" in body and "Sở Y tế" in body
    assert "UBND huyện Bình Sơn" not in body
    assert "gửi văn bản về Sở Nội vụ trước ngày 20/08/2018" in body
    code, _, err = _report(
        sample, "unit-reminder", tmp_path / "dv.pdf", unit="Bình Sơn", reply_by="15/08/2018"
    )
    assert code == 0, err
    assert "Kính gửi: UBND huyện Bình Sơn" in text(tmp_path / "dv.pdf")
    code, _, err = _report(
        sample, "summary", tmp_path / "nhap.pdf", "--no-record", directive="2116"
    )
    assert code == 0, err
    code, stdout, err = cli(sample, "report", "list")
    assert code == 0, err
    assert "Công văn đôn đốc (theo đơn vị)" in stdout and "2 đơn vị" in stdout
    assert "2 văn bản." in stdout  # the draft (--no-record) is not kept
    code, stdout, _ = cli(sample, "report", "list", "--directive", "2116", "--json")
    assert [d["kind"] for d in json.loads(stdout)] == ["reminder"]
    db = connect(str(sample))
    try:
        [letter] = list_issued(db, kind="reminder")
        assert len(letter.unit_ids) == 2
    finally:
        db.dispose()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--units", "Ba Tơ"], "tham số không hiểu được: --units"),
        (["--reply-by", "20/08/2018"], "tham số không hiểu được: --reply-by"),
    ],
)
def test_reminder_options_on_a_report_are_refused(
    sample: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    code, _, err = _report(sample, "summary", tmp_path / "x.pdf", *args, directive="2116")
    assert code == 2 and message in err and "sotheodoi report summary --help" in err


def test_bad_text_files_are_refused_clearly(sample: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    cases = [
        ('[openin]\ntext = "x"\n', "không có phần 'openin'"),
        ('[opening\ntext = "x"\n', "sai cú pháp TOML"),
        ("[opening]\ntext = 3\n", "phải có text"),
        ('[opening]\ntext = "x"\nstyle = "y"\n', "không hiểu: style"),
    ]
    for n, (body, message) in enumerate(cases):
        path = _toml(tmp_path, body, f"bad{n}.toml")
        code, _, err = _report(sample, "reminder", out, directive="2116", text_file=str(path))
        assert code != 0 and message in err, (body, err)
        assert "Traceback" not in err
    code, _, err = _report(
        sample, "reminder", out, directive="2116", text_file=str(tmp_path / "missing.toml")
    )
    assert code != 0 and "Không có tệp nội dung" in err
    (tmp_path / "latin1.toml").write_bytes(b'[opening]\ntext = "S\xf4 N\xf4i v\xf9"\n')
    with pytest.raises(ValidationError, match="UTF-8"):
        read_text_file(tmp_path / "latin1.toml")
    with pytest.raises(NotFound):
        read_text_file(tmp_path / "missing.toml")
    assert not out.exists()
    code, _, err = cli(sample, "report", "summary", "--directive", "2116", "--as-of", DAY)
    assert code != 0 and "Thiếu tham số --out" in err


def test_unit_reminders_one_letter_per_unit(sample: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cong-van"
    folder.mkdir()
    code, stdout, err = _report(
        sample, "unit-reminder", folder, units="Bình Sơn; Sở Nội vụ", reply_by="20/08/2018"
    )
    assert code == 0, err
    assert "Bỏ qua Sở Nội vụ" in stdout and "1 công văn đôn đốc" in stdout
    [letter] = folder.iterdir()
    assert letter.name == "cong-van-don-doc-don-vi-ubnd-huyen-binh-son-2018-08-02.pdf"
    assert "Kính gửi: UBND huyện Bình Sơn" in text(letter)
    # "*": every unit overdue that day, each its own letter and its own record.
    everyone = tmp_path / "tat-ca"
    everyone.mkdir()
    code, stdout, err = cli(
        sample, "report", "unit-reminder", "--units", "*", "--as-of", DAY, "--out", str(everyone)
    )
    assert code == 0, err
    letters = sorted(everyone.iterdir())
    assert len(letters) > 10 and f"{len(letters)} công văn đôn đốc" in stdout
    code, stdout, _ = cli(sample, "report", "list", "--json")
    assert len(json.loads(stdout)) == len(letters) + 1
    code, _, err = _report(sample, "unit-reminder", tmp_path / "khong-co", units="*")
    assert code != 0 and "--out là thư mục" in err


def test_unit_reminder_and_edits_as_word(sample: Path, tmp_path: Path) -> None:
    from docx import Document

    edits = _toml(tmp_path, '[closing]\ntext = "Đoạn kết viết lại."\n')
    out = tmp_path / "dv.docx"
    code, stdout, err = _report(sample, "unit-reminder", out, unit="Bình Sơn", text_file=str(edits))
    assert code == 0, err
    assert "(tệp Word)" in stdout and "danh sách văn bản đã phát hành" in stdout
    words = "\n".join(p.text for p in Document(str(out)).paragraphs)
    for table in Document(str(out)).tables:
        words += "\n".join(c.text for row in table.rows for c in row.cells)
    assert "UBND huyện Bình Sơn" in words and "Đoạn kết viết lại." in words
