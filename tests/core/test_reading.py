"""The intake reader on its own: fields of awkward documents, unit matching across mergers, bad
files (each says what is wrong, nothing crashes, nothing is recorded), signatures, the CLI."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.cli import run
from app.db import Database
from app.models import Submission
from app.reading import text as text_module
from app.reading.fields import read_fields
from app.reading.intake import Confirmed, read_many, read_received, record_received
from app.reading.matching import load_catalogue, match_unit, org_key
from app.reading.signatures import read_signatures
from app.reading.text import DocumentText, TextLine, read_text
from app.services.units import list_units, record_merger
from tests.data.received.generate import build

TODAY = dt.date(2018, 5, 2)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("received")
    build(folder, scans=False)
    return folder


def _doc(*rows: tuple[str, str]) -> DocumentText:
    """A document from (column, text) lines, top to bottom."""
    lines = tuple(
        TextLine(text, column, 0, (n + 1) / 60, 0.1, 0.4 if column == "L" else 0.9)
        for n, (column, text) in enumerate(rows)
    )
    return DocumentText("pdf", lines, 1, (0,))


def _submissions(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Submission)) or 0)


# --- fields -----------------------------------------------------------------------------------


def test_odd_spacing_and_dashes_in_the_number_and_a_date_with_slashes() -> None:
    fields = read_fields(
        _doc(
            ("L", "UBND TỈNH QUẢNG NGÃI"),
            ("R", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
            ("L", "SỞ TƯ PHÁP"),
            ("R", "Độc lập - Tự do - Hạnh phúc"),
            ("L", "Số:  12 / BC – STP"),
            ("R", "Quảng Ngãi, ngày 05/6/2018"),
            ("C", "BÁO CÁO"),
            ("C", "Kết quả 6 tháng đầu năm 2018"),
            ("C", "Thực hiện Công văn số 2116/UBND-NC ngày 18/4/2018 của UBND tỉnh;"),
            ("R", "KT. GIÁM ĐỐC"),
            ("R", "PHÓ GIÁM ĐỐC"),
            ("R", "Nguyễn Văn Bình"),
        ),
        today=TODAY.replace(month=7),
    )
    assert fields.number_symbol.value == "12/BC-STP" and fields.number_symbol.sure
    assert fields.signed_date.value == dt.date(2018, 6, 5) and fields.signed_date.sure
    assert (fields.parent_body.value, fields.issuing_body.value) == (
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ TƯ PHÁP",
    )
    assert fields.period.value == "2018-H1" and fields.period_label == "6 tháng đầu năm 2018"
    assert fields.signer_name.value == "Nguyễn Văn Bình"
    assert fields.signer_title.value == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    assert [c.symbol for c in fields.citations] == ["2116/UBND-NC"]


def test_the_date_of_a_cited_document_is_never_the_signing_date() -> None:
    fields = read_fields(
        _doc(
            ("L", "ỦY BAN NHÂN DÂN"),
            ("L", "HUYỆN SƠN TỊNH"),
            ("L", "Số: 45/KH-UBND"),
            ("C", "KẾ HOẠCH"),
            ("C", "Phối hợp thực hiện công tác dân vận năm 2018"),
            ("C", "Thực hiện Công văn số 2116/UBND-NC ngày 18/4/2018 của Ủy ban nhân dân tỉnh,"),
            ("C", "Quảng Ngãi, ngày 18 tháng 4 năm 2018 (văn bản trích dẫn)"),
        ),
        today=TODAY,
    )
    assert fields.signed_date.value is None and not fields.signed_date.sure
    assert fields.issuing_body.value == "ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH"


def test_a_party_body_number_is_read_with_its_type_before_the_slash() -> None:
    fields = read_fields(
        _doc(
            ("L", "BAN DÂN VẬN TỈNH ỦY"),
            ("L", "Số 72 - KH/BDVTU"),
            ("R", "Quảng Ngãi, ngày 04 tháng 4 năm 2018"),
            ("C", "KẾ HOẠCH"),
            ("C", "Phối hợp thực hiện công tác dân vận năm 2018"),
        ),
        today=TODAY,
    )
    assert fields.number_symbol.value == "72-KH/BDVTU" and fields.number_symbol.sure


def test_a_number_whose_type_does_not_match_the_document_is_unsure() -> None:
    fields = read_fields(
        _doc(
            ("L", "SỞ Y TẾ"),
            ("L", "Số: 7/KH-SYT"),
            ("R", "Quảng Ngãi, ngày 30 tháng 6 năm 2018"),
            ("C", "BÁO CÁO"),
            ("C", "Tình hình 6 tháng đầu năm 2018"),
        ),
        today=TODAY,
    )
    assert fields.number_symbol.value == "7/KH-SYT" and not fields.number_symbol.sure
    assert not fields.signed_date.sure  # 30/06/2018 is after "today" (02/05/2018)


# --- matching ---------------------------------------------------------------------------------


def test_units_match_accent_and_case_insensitively_and_across_a_merger(sample_db: Database) -> None:
    catalogue = load_catalogue(sample_db)
    assert org_key("ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH") == org_key("UBND huyện Sơn Tịnh")
    sure = match_unit(catalogue, ["uy ban nhan dan huyen son tinh"], dt.date(2018, 4, 25))
    assert sure.label == "UBND huyện Sơn Tịnh" and sure.sure
    assert match_unit(catalogue, ["BAN DÂN TỘC"], TODAY).label == "Ban Dân tộc tỉnh"
    # Tây Trà merged into Trà Bồng on 01/02/2020: a later document goes to Trà Bồng, unsure.
    before = match_unit(catalogue, ["ỦY BAN NHÂN DÂN HUYỆN TÂY TRÀ"], dt.date(2019, 6, 1))
    assert before.label == "UBND huyện Tây Trà" and before.sure
    after = match_unit(catalogue, ["ỦY BAN NHÂN DÂN HUYỆN TÂY TRÀ"], dt.date(2020, 6, 1))
    assert after.label == "UBND huyện Trà Bồng" and not after.sure and "sáp nhập" in after.note
    # A near spelling (a scan) is proposed, never sure; nothing near: no unit at all.
    near = match_unit(catalogue, ["SỞ TƯ PHAP TINH QUANG NGAl"], TODAY)
    assert not near.sure
    assert match_unit(catalogue, ["CÔNG TY TNHH ABC"], TODAY).id is None


def test_a_unit_merged_after_being_recorded_leads_to_its_successor(sample_db: Database) -> None:
    units = {u.name: u for u in list_units(sample_db)}
    record_merger(sample_db, units["Sở Ngoại vụ"].id, units["Sở Nội vụ"].id, dt.date(2025, 3, 1))
    catalogue = load_catalogue(sample_db)
    found = match_unit(catalogue, ["SỞ NGOẠI VỤ"], dt.date(2025, 6, 1))
    assert found.label == "Sở Nội vụ" and not found.sure


# --- bad files --------------------------------------------------------------------------------


def _bad_files(folder: Path, corpus: Path) -> dict[str, Path]:
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen import canvas

    files: dict[str, Path] = {}
    files["empty"] = folder / "rong.pdf"
    files["empty"].write_bytes(b"")
    good = corpus / "ke-hoach-01.pdf"
    files["damaged"] = folder / "hong.pdf"
    files["damaged"].write_bytes(good.read_bytes()[:700])
    writer = PdfWriter(clone_from=PdfReader(good))
    writer.encrypt("mat-khau")
    files["encrypted"] = folder / "mat-khau.pdf"
    with files["encrypted"].open("wb") as out:
        writer.write(out)
    files["bomb"] = folder / "bom.docx"
    with zipfile.ZipFile(files["bomb"], "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (80 * 1024 * 1024))
    files["not_docx"] = folder / "gia.docx"
    files["not_docx"].write_bytes(b"PK\x03\x04 this is not a zip")
    files["old_word"] = folder / "cu.doc"
    files["old_word"].write_bytes(b"\xd0\xcf\x11\xe0 old word")
    files["image_only"] = folder / "anh.pdf"
    from PIL import Image

    Image.new("L", (600, 800), 255).save(files["image_only"], "PDF", resolution=100)
    files["huge"] = folder / "dai-500-trang.pdf"
    c = canvas.Canvas(str(files["huge"]))
    for n in range(500):
        c.drawString(100, 700, f"Trang {n + 1} của một tệp rất dài")
        c.showPage()
    c.save()
    return files


def test_bad_files_each_say_what_is_wrong_and_nothing_is_recorded(
    sample_db: Database, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _bad_files(tmp_path, corpus)
    monkeypatch.setattr(text_module, "tesseract_path", lambda: None)  # no OCR on this PC
    results = {r.name: r for r in read_many(sample_db, list(files.values()), today=TODAY)}
    problem = {key: results[path.name].problem for key, path in files.items()}
    assert "0 byte" in problem["empty"]
    assert "hỏng" in problem["damaged"]
    assert "mật khẩu" in problem["encrypted"]
    assert "nén quá mức" in problem["bomb"]
    assert "hỏng" in problem["not_docx"]
    assert ".doc" in problem["old_word"]
    assert "tệp ảnh quét — cần nhập tay" in problem["image_only"]
    assert results["anh.pdf"].manual
    assert "Không nhận ra văn bản" in problem["huge"]
    assert results["dai-500-trang.pdf"].pages == 500
    assert results["dai-500-trang.pdf"].seconds < 5
    assert all(r.fields is None or r.obligation.id is None for r in results.values())
    assert _submissions(sample_db) == 0


def test_a_huge_pdf_is_read_from_its_first_and_last_pages_only(tmp_path: Path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "dai.pdf"
    c = canvas.Canvas(str(path))
    for n in range(500):
        c.drawString(100, 700, f"Trang {n + 1} với nội dung đủ dài để có lớp chữ")
        c.showPage()
    c.save()
    document = read_text(path)
    assert document.pages == 500 and document.pages_read == (0, 1, 498, 499)


# --- recording and duplicates -----------------------------------------------------------------


def test_a_confirmed_file_is_recorded_with_its_file_and_flagged_when_dropped_again(
    sample_db: Database, corpus: Path, tmp_path: Path
) -> None:
    path = corpus / "ke-hoach-03.pdf"
    first = read_received(sample_db, path, today=TODAY)
    assert first.obligation.sure and not first.duplicate
    fields = first.fields
    assert fields is not None
    info = record_received(
        sample_db,
        Confirmed(
            path=str(path),
            obligation_id=first.obligation.id or 0,
            number_symbol=fields.number_symbol.text,
            signed_date=first.signed_date,
            received_date=TODAY,
            signer=first.signer,
            summary=first.summary,
        ),
        today=TODAY,
    )
    from app.services.attachments import open_path

    kept = open_path(sample_db, info.attachment_path, tmp_path / "ra")  # a file or a server blob
    assert kept.name == "ke-hoach-03.pdf" and kept.read_bytes() == path.read_bytes()
    assert info.signer.endswith("(Phó Chủ tịch)") or info.signer.endswith("(Chủ tịch)")
    again = read_many(sample_db, [path, path], today=TODAY)
    assert all("đã được ghi nhận" in r.duplicate for r in again)


# --- signatures -------------------------------------------------------------------------------


def test_a_signed_pdf_says_who_signed_whether_it_was_changed_and_which_roots(
    tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    folder = tmp_path_factory.mktemp("signed")
    docs = build(folder, scans=False, signed=True)
    signed = next(folder / d.file_name for d in docs if d.fmt == "signed")
    ca = folder / "chung-thu" / "ca-thu-nghiem.pem"
    untrusted = read_signatures(signed)
    assert len(untrusted) == 1 and untrusted[0].intact and not untrusted[0].trusted
    assert "chưa kiểm tra thu hồi" in untrusted[0].describe()
    assert "chưa khai báo CA tin cậy" in untrusted[0].describe()
    trusted = read_signatures(signed, [str(ca)])
    assert trusted[0].trusted and trusted[0].ok
    assert "CA thử nghiệm Sổ theo dõi" in trusted[0].describe()
    data = bytearray(signed.read_bytes())
    data[2000] ^= 1  # one bit changed inside the signed bytes
    tampered = tmp_path / "sua.pdf"
    tampered.write_bytes(bytes(data))
    assert not read_signatures(tampered, [str(ca)])[0].intact
    assert read_signatures(folder / "ke-hoach-01.pdf") == []


# --- command line -----------------------------------------------------------------------------


def _cli(db: Database, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(db.path) if db.path else db.url, *args], out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_read_prints_fields_with_their_confidence(sample_db: Database, corpus: Path) -> None:
    code, out, _ = _cli(sample_db, "read", str(corpus / "ke-hoach-05.pdf"), "--today", "2018-05-02")
    assert code == 0
    assert "Đơn vị:" in out and "UBND huyện Nghĩa Hành" in out and "[chưa chắc]" not in out
    code, out, _ = _cli(
        sample_db, "read", str(corpus / "ke-hoach-05.pdf"), "--json", "--today", "2018-05-02"
    )
    data = json.loads(out)
    assert data[0]["fields"]["number_symbol"]["sure"] is True
    assert data[0]["signatures"] == [] and data[0]["fields"]["period"]["value"] is None
    assert data[0]["unit"]["label"] == "UBND huyện Nghĩa Hành"
    assert data[0]["obligation"]["sure"] is True


def test_cli_read_walks_a_folder(sample_db: Database, corpus: Path) -> None:
    code, out, _ = _cli(sample_db, "read", str(corpus), "--json", "--today", "2019-01-10")
    data = json.loads(out)
    assert code == 0 and len(data) == len(list(corpus.glob("*.json")))
    assert all(d["obligation"]["sure"] for d in data)


def test_cli_receive_from_file_records_once(sample_db: Database, corpus: Path) -> None:
    path = str(corpus / "ke-hoach-06.pdf")
    code, out, err = _cli(
        sample_db, "receive", "--from-file", path, "--yes", "--today", "2018-05-02"
    )
    assert code == 0, err
    assert "Đã ghi nhận văn bản" in out and _submissions(sample_db) == 1
    code, _, err = _cli(sample_db, "receive", "--from-file", path, "--yes", "--today", "2018-05-02")
    assert code != 0 and "đã được ghi nhận" in err and _submissions(sample_db) == 1
    # A file whose signing date is after "today" is unsure: --yes refuses it.
    code, _, err = _cli(
        sample_db,
        "receive",
        "--from-file",
        str(corpus / "bao-cao-6t-so-02.docx"),
        "--yes",
        "--today",
        "2018-05-02",
    )
    assert code != 0 and "chưa chắc" in err and _submissions(sample_db) == 1


def test_trusted_ca_certificates_are_kept_in_the_settings_and_used(
    sample_db: Database, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    from app.errors import ValidationError
    from app.reading.intake import add_trust_roots, remove_trust_root, trust_root_names

    folder = tmp_path_factory.mktemp("signed-settings")
    docs = build(folder, scans=False, signed=True)
    signed = next(folder / d.file_name for d in docs if d.fmt == "signed")
    assert not read_received(sample_db, signed, today=dt.date(2019, 1, 1)).signatures[0].trusted
    assert add_trust_roots(sample_db, folder / "chung-thu" / "ca-thu-nghiem.pem") == [
        "CA thử nghiệm Sổ theo dõi"
    ]
    assert trust_root_names(sample_db) == ["CA thử nghiệm Sổ theo dõi"]
    result = read_received(sample_db, signed, today=dt.date(2019, 1, 1))
    assert result.signatures[0].trusted and result.signatures[0].intact
    not_a_cert = tmp_path / "rac.pem"
    not_a_cert.write_text("không phải chứng thư")
    with pytest.raises(ValidationError, match="không phải tệp chứng thư"):
        add_trust_roots(sample_db, not_a_cert)
    remove_trust_root(sample_db, 0)
    assert trust_root_names(sample_db) == []


def test_documents_printed_by_this_program_are_read_too(
    sample_db: Database, tmp_path: Path
) -> None:
    """An independent layout (the program's own Nghị định 30 frame: header and footer tables,
    an appendix after the signature, a công văn without a type line, number and date left blank
    for the clerk)."""
    report, letter = tmp_path / "bao-cao.pdf", tmp_path / "cong-van.pdf"
    assert (
        _cli(
            sample_db,
            "report",
            "summary",
            "--directive",
            "2116/UBND-NC",
            "--as-of",
            "2018-05-02",
            "--number",
            "15",
            "--date",
            "2018-05-03",
            "--out",
            str(report),
        )[0]
        == 0
    )
    assert (
        _cli(
            sample_db,
            "report",
            "reminder",
            "--directive",
            "2116/UBND-NC",
            "--as-of",
            "2018-05-02",
            "--out",
            str(letter),
        )[0]
        == 0
    )
    later = dt.date(2018, 5, 10)
    fields = read_fields(read_text(report), today=later)
    assert fields.number_symbol.value == "15/BC-SNV" and fields.number_symbol.sure
    assert fields.signed_date.value == dt.date(2018, 5, 3) and fields.signed_date.sure
    assert fields.issuing_body.value == "SỞ NỘI VỤ"
    assert fields.signer_name.value == "Nguyễn Văn A"  # on page 2, before the appendix
    assert fields.signer_title.value == "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC"
    fields = read_fields(read_text(letter), today=later)
    assert fields.doc_type.value == "CÔNG VĂN"
    assert fields.summary.value.startswith("đôn đốc thực hiện Công văn số 2116/UBND-NC")
    # Number and date left blank for the clerk: nothing read — not the cited letter's date.
    assert fields.number_symbol.value is None and fields.signed_date.value is None


def test_a_word_file_with_its_header_table_in_the_page_header(tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    header = document.sections[0].header
    table = header.add_table(rows=1, cols=2, width=document.sections[0].page_width)
    left, right = table.rows[0].cells
    left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("HUYỆN MỘ ĐỨC")
    left.add_paragraph("Số: 77/KH-UBND")
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    right.add_paragraph("Mộ Đức, ngày 26 tháng 4 năm 2018")
    for text in (
        "KẾ HOẠCH",
        "Phối hợp thực hiện công tác dân vận năm 2018",
        "Thực hiện Công văn số 2116/UBND-NC ngày 18/4/2018 của UBND tỉnh;",
    ):
        document.add_paragraph().add_run(text).bold = not text.startswith("Thực hiện")
    path = tmp_path / "dau-trang.docx"
    document.save(str(path))
    fields = read_fields(read_text(path), today=TODAY)
    assert fields.number_symbol.value == "77/KH-UBND"
    assert fields.signed_date.value == dt.date(2018, 4, 26)
    assert fields.issuing_body.value == "ỦY BAN NHÂN DÂN HUYỆN MỘ ĐỨC"


SNIPPETS = [
    "Số: 45/KH-UBND",
    "Sơn Tịnh, ngày 25 tháng 4 năm 2018",
    "KẾ HOẠCH",
    "BÁO CÁO",
    "ỦY BAN NHÂN DÂN",
    "HUYỆN SƠN TỊNH",
    "KT. CHỦ TỊCH",
    "Nguyễn Văn An",
    "ngày 31/2/2018",
    "Thực hiện Công văn số 2116/UBND-NC ngày 18/4/2018",
    "Phụ lục",
    "V/v",
    "Số:",
    "/",
    "6 tháng đầu năm 2018",
    "quý V/2018",
    "tháng 13/2018",
    "ngày 99 tháng 99 năm 0000",
]


def test_any_lines_give_fields_without_an_error() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    line = st.one_of(st.sampled_from(SNIPPETS), st.text(max_size=60))
    rows = st.lists(st.tuples(st.sampled_from("LRC"), line), max_size=30)

    @settings(max_examples=300, deadline=None)
    @given(rows)
    def check(lines: list[tuple[str, str]]) -> None:
        fields = read_fields(_doc(*lines), today=TODAY)
        if fields.signed_date.sure:
            assert fields.signed_date.value <= TODAY

    check()


def test_random_bytes_named_pdf_or_docx_only_give_a_read_error(tmp_path: Path) -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.reading.text import ReadError

    prefixes = st.sampled_from([b"%PDF-1.4\n", b"PK\x03\x04", b"", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj"])

    @settings(max_examples=60, deadline=None)
    @given(prefixes, st.binary(max_size=2000), st.sampled_from([".pdf", ".docx"]))
    def check(prefix: bytes, body: bytes, suffix: str) -> None:
        path = tmp_path / f"rac{suffix}"
        path.write_bytes(prefix + body)
        try:
            read_text(path)
        except ReadError as exc:
            assert exc.message

    check()


def test_a_signature_fills_in_the_signer_and_date_the_text_lacks(
    sample_db: Database, tmp_path: Path
) -> None:
    from reportlab.pdfgen import canvas

    from tests.data.received.generate import _font, sign_pdf

    plain, signed = tmp_path / "khong-ky-ten.pdf", tmp_path / "da-ky-so.pdf"
    c = canvas.Canvas(str(plain))
    c.setFont(_font("LiberationSerif"), 12)
    for y, text in (
        (800, "SỞ Y TẾ"),
        (780, "Số: 88/BC-SYT"),
        (740, "BÁO CÁO"),
        (720, "Kết quả 6 tháng đầu năm 2018"),
    ):
        c.drawString(250 if text.isupper() and len(text) < 10 else 80, y, text)
    c.save()
    sign_pdf(plain, signed, tmp_path / "chung-thu", dt.datetime(2018, 6, 15, 9))
    result = read_received(sample_db, signed, today=dt.date(2030, 1, 1), roots=[])
    assert result.found("signed_date").value is None and result.found("signer_name").value is None
    assert result.signatures and result.signatures[0].intact
    assert result.signer == result.signatures[0].signer  # the certificate's holder
    assert result.signed_date == result.signatures[0].signed_at.date()  # type: ignore[union-attr]
