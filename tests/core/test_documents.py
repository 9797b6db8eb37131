"""The three real documents (synthesis report, reminder letter, unit sheet) built from the sample
data with a few documents received, measured on the PDFs (pypdf + pdfplumber; no Qt)."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions, Signer, default_recipients, load
from app.documents.data import deliverable, summary_data
from app.documents.generate import build
from app.documents.layout import TIEU_NGU, PageSettings
from app.documents.sample_scenario import record_sample_submissions, sample_submissions
from app.documents.summary_report import appendix_widths
from app.errors import AppError, ValidationError
from app.models import TaskKind, UnitKind
from app.services.directives import (
    DirectiveInput,
    TaskInput,
    add_task,
    create_directive,
    list_directives,
    save_report_texts,
)
from app.services.obligations import list_obligations
from app.services.sample import load_sample
from app.services.units import UnitInput, create_unit, list_units
from app.settings import save_settings
from app.status import Status
from tests.core.test_layout import (
    A4_H,
    A4_W,
    BOTTOM,
    LEFT,
    RIGHT,
    TOP,
    assert_style,
    face,
    find_chars,
    nfc,
    top_margin_chars,
)

JUNE = dt.date(2018, 6, 25)
MAY = dt.date(2018, 5, 2)
SHEET_UNIT = "UBND huyện Bình Sơn"


def flat(text: str) -> str:
    return " ".join(nfc(text).split())


def pdf_text(path: Path) -> str:
    return flat("\n".join(p.extract_text() for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("documents")
    db = connect(str(folder / "sample.db"))
    load_sample(db)
    record_sample_submissions(db)
    directive = list_directives(db)[0]
    save_report_texts(
        db,
        directive.id,
        assessment="Các đơn vị cơ bản triển khai kịp thời.",
        difficulties="Một số huyện miền núi gửi chậm.",
        proposals="Đề nghị UBND tỉnh nhắc nhở các đơn vị chậm gửi.",
    )
    yield db, folder
    db.dispose()


@pytest.fixture(scope="module")
def ids(scenario: tuple[Database, Path]) -> tuple[int, int]:
    db, _ = scenario
    directive_id = list_directives(db)[0].id
    unit_id = next(u.id for u in list_units(db) if u.name == SHEET_UNIT)
    return directive_id, unit_id


def _build(
    scenario: tuple[Database, Path],
    ids: tuple[int, int],
    kind: DocumentKind,
    day: dt.date,
    **kwargs: Any,
) -> Path:
    db, folder = scenario
    path = folder / f"{kind.value}-{day:%m%d}-{len(kwargs)}.pdf"
    build(
        db,
        DocumentOptions(kind=kind, as_of=day, directive_id=ids[0], unit_id=ids[1], **kwargs),
        path,
    )
    return path


@pytest.fixture(scope="module")
def summary_pdf(scenario: tuple[Database, Path], ids: tuple[int, int]) -> Path:
    return _build(scenario, ids, DocumentKind.SUMMARY, JUNE)


@pytest.fixture(scope="module")
def reminder_pdf(scenario: tuple[Database, Path], ids: tuple[int, int]) -> Path:
    return _build(scenario, ids, DocumentKind.REMINDER, JUNE, number="7", date=dt.date(2018, 6, 26))


@pytest.fixture(scope="module")
def sheet_pdf(scenario: tuple[Database, Path], ids: tuple[int, int]) -> Path:
    return _build(scenario, ids, DocumentKind.UNIT_SHEET, JUNE)


@pytest.fixture(scope="module")
def all_pdfs(summary_pdf: Path, reminder_pdf: Path, sheet_pdf: Path) -> list[Path]:
    return [summary_pdf, reminder_pdf, sheet_pdf]


# ------------------------------------------------------------------ page, margins, fonts


def test_pages_are_a4_and_text_inside_the_margins(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                w, h = float(page.width), float(page.height)
                portrait = h > w
                assert {round(w), round(h)} == {round(A4_W), round(A4_H)}
                # A landscape page: the binding edge on top, the decree's bottom margin kept.
                top, bottom, left, right = (
                    (TOP, BOTTOM, LEFT, RIGHT) if portrait else (LEFT, BOTTOM, BOTTOM, TOP)
                )
                body = [c for c in page.chars if c["top"] >= top and c["text"].strip()]
                assert min(c["x0"] for c in body) >= left - 1, path.name
                assert max(c["x1"] for c in body) <= w - right + 1, path.name
                assert max(c["bottom"] for c in body) <= h - bottom + 1, path.name


def test_fonts_are_embedded_serif_subsets(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        for page in PdfReader(path).pages:
            for ref in page["/Resources"]["/Font"].values():
                font = ref.get_object()
                name = str(font["/BaseFont"]).lstrip("/")
                prefix, _, base = name.partition("+")
                assert len(prefix) == 6 and base.startswith("LiberationSerif"), name
                descriptor = (
                    font.get("/FontDescriptor")
                    or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                )
                assert "/FontFile2" in descriptor.get_object(), name


def test_summary_header_title_and_footer_styles(summary_pdf: Path) -> None:
    with pdfplumber.open(summary_pdf) as pdf:
        first = pdf.pages[0]
        assert_style(first, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12, "LiberationSerif-Bold")
        assert_style(first, TIEU_NGU, 13, "LiberationSerif-Bold")
        assert_style(first, "SỞ NỘI VỤ", 12, "LiberationSerif-Bold")
        assert_style(first, "/BC-SNV", 13, "LiberationSerif")
        assert_style(first, "Quảng Ngãi, ngày", 13, "LiberationSerif-Italic")
        assert_style(first, "năm 2018", 13, "LiberationSerif-Italic")
        assert_style(first, "BÁO CÁO", 14, "LiberationSerif-Bold")
        assert_style(first, "Kết quả theo dõi việc triển khai", 14, "LiberationSerif-Bold")
        assert_style(first, "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi.", 14, "LiberationSerif")
        assert_style(first, "I. KẾT QUẢ THEO DÕI, ĐÔN ĐỐC", 14, "LiberationSerif-Bold")
        footer_page = next(p for p in pdf.pages if "Nơi nhận:" in nfc(p.extract_text()))
        assert_style(footer_page, "Nơi nhận:", 12, "LiberationSerif-BoldItalic")
        assert_style(footer_page, "- Như trên;", 11, "LiberationSerif")
        assert_style(footer_page, "- Lưu: VT, XDCQ.", 11, "LiberationSerif")
        assert_style(footer_page, "KT. GIÁM ĐỐC", 14, "LiberationSerif-Bold")
        assert_style(footer_page, "PHÓ GIÁM ĐỐC", 14, "LiberationSerif-Bold")
        assert_style(footer_page, "Nguyễn Văn A", 14, "LiberationSerif-Bold")
        text = flat(footer_page.extract_text())
        assert "xem xét, chỉ đạo./." in text
        # Kính gửi is the agency above: it is "Như trên", not repeated in Nơi nhận.
        assert "UBND tỉnh (báo cáo)" not in text


def test_page_numbers_none_on_page_one_then_centred(all_pdfs: list[Path]) -> None:
    for path in all_pdfs:
        with pdfplumber.open(path) as pdf:
            assert top_margin_chars(pdf.pages[0]) == []
            for page in pdf.pages[1:]:
                numbers = top_margin_chars(page, TOP if page.height > page.width else LEFT)
                if not numbers:  # the first page of an appendix
                    assert "Phụ lục" in nfc(page.extract_text())
                    continue
                digits = "".join(c["text"] for c in numbers)
                assert digits.isdigit()
                left, right = (LEFT, RIGHT) if page.height > page.width else (BOTTOM, TOP)
                centre = left + (float(page.width) - left - right) / 2
                middle = (numbers[0]["x0"] + numbers[-1]["x1"]) / 2
                assert abs(middle - centre) <= 1
                assert round(numbers[0]["size"]) == 13 and face(numbers[0]) == "LiberationSerif"


# ------------------------------------------------------------------ content


def _core_counts(
    db: Database, directive_id: int, day: dt.date
) -> dict[tuple[str, str], Counter[Status]]:
    counts: dict[tuple[str, str], Counter[Status]] = {}
    for r in list_obligations(db, day, directive_id=directive_id):
        if r.unit_name == "Sở Nội vụ":  # the sender is not among the units it follows
            continue
        counts.setdefault((r.task_title, r.period_label), Counter())[r.status] += 1
    return counts


def test_statistics_printed_equal_the_core_counts(
    scenario: tuple[Database, Path], ids: tuple[int, int], summary_pdf: Path
) -> None:
    db, _ = scenario
    text = pdf_text(summary_pdf)
    due = 0
    for (task, period), c in _core_counts(db, ids[0], JUNE).items():
        done = c[Status.DONE_ON_TIME] + c[Status.DONE_LATE]
        bound = sum(c.values()) - c[Status.EXEMPT]
        still = c[Status.OVERDUE] + c[Status.DUE_SOON] + c[Status.NOT_DUE]
        what = deliverable(task, TaskKind.PERIODIC if period else TaskKind.ONE_OFF)
        if done == 0 and c[Status.OVERDUE] == 0:
            continue
        due += 1
        expected = (
            f"đã nhận {done}/{bound} {what} ({c[Status.DONE_ON_TIME]} đúng hạn, "
            f"{c[Status.DONE_LATE]} quá hạn)"
        )
        assert expected in text, (task, period, expected)
        assert still == c[Status.OVERDUE]
        assert (
            f"còn {still} đơn vị chưa gửi, đều đã quá hạn" in text
            or f"{still} đơn vị quá hạn chưa gửi:" in text
        ), (task, period)
        assert "(quá hạn: " not in text and "chưa nhận" not in text
    assert due == 2  # the plan and the first half-year report are due by 25/06/2018


def test_summary_names_late_and_missing_units(
    scenario: tuple[Database, Path], ids: tuple[int, int], summary_pdf: Path
) -> None:
    db, _ = scenario
    text = pdf_text(summary_pdf)
    late = {
        r.unit_name
        for r in list_obligations(db, JUNE, directive_id=ids[0], statuses=[Status.DONE_LATE])
    }
    overdue = {
        r.unit_name
        for r in list_obligations(db, JUNE, directive_id=ids[0], statuses=[Status.OVERDUE])
    }
    assert late and overdue
    for name in late | overdue:
        assert name in text, name
    for s in (
        "đúng hạn",
        "quá hạn",
        "II. ĐÁNH GIÁ CHUNG",
        "Một số huyện miền núi gửi chậm.",
        "IV. ĐỀ XUẤT, KIẾN NGHỊ",
        "Kế hoạch số 72-KH/BDVTU-BCSĐUBND",
        "Công văn số 2116/UBND-NC ngày 18/04/2018",
    ):
        assert nfc(s) in text, s


def test_summary_appendix_rows_and_reference(
    summary_pdf: Path, scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    db, _ = scenario
    data = summary_data(db, ids[0], JUNE, exclude_name="Sở Nội vụ")
    with pdfplumber.open(summary_pdf) as pdf:
        start = next(
            i for i, p in enumerate(pdf.pages) if nfc(p.extract_text()).startswith("Phụ lục")
        )
        appendix = pdf.pages[start:]
        assert_style(appendix[0], "Phụ lục", 14, "LiberationSerif-Bold")
        ref = "(Kèm theo Báo cáo số"
        assert_style(appendix[0], ref, 14, "LiberationSerif-Italic")
        text = flat("\n".join(p.extract_text() for p in appendix))
        assert "/BC-SNV ngày" in text and "năm 2018 của Sở Nội vụ)" in text
        widths, wide = appendix_widths(len(data.columns), PageSettings())
        assert not wide  # three columns fit a portrait page
        x0 = LEFT + widths[0] * mm
        names = flat(
            "\n".join(
                p.crop((x0, 0, x0 + widths[1] * mm, p.height)).extract_text() for p in appendix
            )
        )
        for row in data.rows:
            assert row.unit_name in names
        for number in {n for _, _, _, n, _, received in sample_submissions() if received <= JUNE}:
            assert number in text, number
        for page in appendix:
            assert_style(page, "STT", 12, "LiberationSerif-Bold")
            assert_style(page, "Tên đơn vị", 12, "LiberationSerif-Bold")


def test_summary_number_and_date_when_given(
    scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    path = _build(scenario, ids, DocumentKind.SUMMARY, MAY, number="5", date=dt.date(2018, 5, 3))
    text = pdf_text(path)
    assert "Số: 05/BC-SNV" in text
    assert "Quảng Ngãi, ngày 03 tháng 5 năm 2018" in text
    assert "(Kèm theo Báo cáo số 05/BC-SNV ngày 03 tháng 5 năm 2018 của Sở Nội vụ)" in text
    # The half-year report is not due on 02/05: said once, with the first period and its date.
    assert "Chưa đến hạn gửi báo cáo (kỳ 6 tháng đầu năm 2018, hạn ngày 20/06/2018)" in text


def test_reminder_letter(
    scenario: tuple[Database, Path], ids: tuple[int, int], reminder_pdf: Path
) -> None:
    db, _ = scenario
    with pdfplumber.open(reminder_pdf) as pdf:
        first = pdf.pages[0]
        assert_style(first, "Số: 07/SNV-XDCQ", 13, "LiberationSerif")
        assert_style(first, "Quảng Ngãi, ngày 26 tháng 6 năm 2018", 13, "LiberationSerif-Italic")
        assert_style(first, "V/v đôn đốc thực hiện Công văn số", 12, "LiberationSerif")
        assert_style(first, "Kính gửi:", 14, "LiberationSerif")
    text = pdf_text(reminder_pdf)
    overdue = list_obligations(db, JUNE, directive_id=ids[0], statuses=[Status.OVERDUE])
    for r in overdue:
        if r.unit_name != "Sở Nội vụ":
            assert r.unit_name in text
    assert "Sở Nội vụ:" not in text  # the agency does not remind itself
    assert "(hạn ngày 30/04/2018, quá hạn hơn 1 tháng)" in text
    assert "kỳ 6 tháng đầu năm 2018 (hạn ngày 20/06/2018, quá hạn 5 ngày)" in text
    assert "- Như trên;" in text and "phối hợp của các cơ quan, đơn vị./." in text


def test_reminder_addresses_few_units_by_name(
    scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    # On 02/05/2018 the districts without a plan are overdue: addressed by kind (9 units).
    text = pdf_text(_build(scenario, ids, DocumentKind.REMINDER, MAY))
    assert "Kính gửi: Chủ tịch UBND các huyện, thị xã, thành phố có tên dưới đây." in text
    assert "UBND huyện Nghĩa Hành" in text and "UBND huyện Bình Sơn" not in text


def test_reminder_refused_when_nobody_is_overdue(
    scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    with pytest.raises(AppError, match="không có đơn vị nào quá hạn"):
        _build(scenario, ids, DocumentKind.REMINDER, dt.date(2018, 4, 20))


def test_unit_sheet(sheet_pdf: Path) -> None:
    text = pdf_text(sheet_pdf)
    for s in (
        "PHIẾU BÁO",
        "/PB-SNV",
        "UBND huyện Bình Sơn",
        "52/KH-UBND; 26/04/2018; 27/04/2018",
        "176/BC-UBND; 19/06/2018; 20/06/2018",
        "Hoàn thành đúng hạn",
        "Chưa đến hạn",
        "Báo cáo định kỳ năm",
        "- Lưu: VT, XDCQ.",
    ):
        assert nfc(s) in text, s


def test_unit_sheet_replays_an_earlier_day(
    scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    text = pdf_text(_build(scenario, ids, DocumentKind.UNIT_SHEET, dt.date(2018, 4, 26)))
    assert "52/KH-UBND" not in text  # received on 27/04, not yet seen on 26/04
    assert "Sắp đến hạn" in text


def test_signer_and_recipients_options(
    scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    signer = Signer(authority="", head_title="Giám đốc", title="Giám đốc", name="Trần Văn Bình")
    path = _build(
        scenario,
        ids,
        DocumentKind.SUMMARY,
        JUNE,
        signer=signer,
        recipients=("Như trên", "Ban Dân vận Tỉnh ủy", "Lưu: VT, XDCQ"),
    )
    text = pdf_text(path)
    assert "GIÁM ĐỐC Trần Văn Bình" in text or ("GIÁM ĐỐC" in text and "Trần Văn Bình" in text)
    assert "KT. GIÁM ĐỐC" not in text
    assert "- Ban Dân vận Tỉnh ủy;" in text


def test_missing_signer_name_is_a_clear_error(
    scenario: tuple[Database, Path], ids: tuple[int, int]
) -> None:
    with pytest.raises(ValidationError) as info:
        _build(scenario, ids, DocumentKind.SUMMARY, JUNE, signer=Signer(name=""))
    assert "signer_name" in info.value.errors


def test_authority_lines() -> None:
    assert Signer("KT.", "Giám đốc", "Phó Giám đốc", "A").authority_lines() == (
        "KT. GIÁM ĐỐC",
        "PHÓ GIÁM ĐỐC",
    )
    assert Signer("", "Giám đốc", "Giám đốc", "A").authority_lines() == ("GIÁM ĐỐC",)
    assert Signer("TM.", "Ủy ban nhân dân", "Chủ tịch", "A").authority_lines() == (
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
    )
    assert Signer("Q.", "Giám đốc", "", "A").authority_lines() == ("Q. GIÁM ĐỐC",)
    with pytest.raises(ValidationError):
        Signer("XX.", "Giám đốc", "", "A").validate()


def test_default_recipients(scenario: tuple[Database, Path]) -> None:
    db, _ = scenario
    s = load(db)
    summary = default_recipients(DocumentKind.SUMMARY, s)
    assert summary[0] == "Như trên" and summary[-1].startswith("Lưu: VT")
    assert not any(r.startswith("UBND tỉnh") for r in summary)
    reminder = default_recipients(DocumentKind.REMINDER, s)
    assert reminder[0] == "Như trên" and "UBND tỉnh (báo cáo)" in reminder


def test_options_validation() -> None:
    with pytest.raises(ValidationError) as info:
        DocumentOptions(kind=DocumentKind.SUMMARY, as_of=JUNE).validate()
    assert "directive" in info.value.errors
    with pytest.raises(ValidationError) as info:
        DocumentOptions(kind=DocumentKind.UNIT_SHEET, as_of=JUNE).validate()
    assert "unit" in info.value.errors
    with pytest.raises(ValidationError) as info:
        DocumentOptions(
            kind=DocumentKind.SUMMARY, as_of=JUNE, directive_id=1, number="abc"
        ).validate()
    assert "number" in info.value.errors


def test_build_to_a_file_object(scenario: tuple[Database, Path], ids: tuple[int, int]) -> None:
    db, _ = scenario
    buffer = io.BytesIO()
    build(db, DocumentOptions(kind=DocumentKind.UNIT_SHEET, as_of=JUNE, unit_id=ids[1]), buffer)
    assert buffer.getvalue().startswith(b"%PDF")


# ------------------------------------------------------------------ 130 units


@pytest.fixture(scope="module")
def big_pdf(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    folder = tmp_path_factory.mktemp("big")
    db = connect(str(folder / "big.db"))
    with db.write() as session:
        save_settings(
            session,
            agency_name="Sở Nội vụ",
            parent_agency="Ủy ban nhân dân tỉnh Gia Lai",
            agency_abbreviation="SNV",
            place_name="Gia Lai",
            drafting_unit="CCVC",
            signer_name="Lê Thị Mai",
        )
    names = [f"UBND xã Thử Nghiệm {i:03d}" for i in range(1, 131)]
    for name in names:
        create_unit(db, UnitInput(name=name, kind=UnitKind.COMMUNE))
    directive = create_directive(
        db,
        DirectiveInput(
            number_symbol="15/KH-UBND",
            signed_date=dt.date(2026, 1, 5),
            issuer="UBND tỉnh Gia Lai",
            subject="Triển khai công tác cải cách hành chính năm 2026",
        ),
    )
    add_task(
        db,
        directive.id,
        TaskInput(
            title="Báo cáo kết quả quý I",
            kind="once",
            due_date=dt.date(2026, 3, 20),
            unit_kinds=[UnitKind.COMMUNE],
        ),
    )
    path = folder / "big.pdf"
    build(
        db,
        DocumentOptions(
            kind=DocumentKind.SUMMARY, as_of=dt.date(2026, 3, 25), directive_id=directive.id
        ),
        path,
    )
    yield path, names
    db.dispose()


def _appendix_starts(pdf: Any) -> list[int]:
    return [i for i, p in enumerate(pdf.pages) if nfc(p.extract_text()).startswith("Phụ lục")]


def test_appendix_of_130_units_spans_pages_with_header_repeated(
    big_pdf: tuple[Path, list[str]],
) -> None:
    path, names = big_pdf
    with pdfplumber.open(path) as pdf:
        starts = _appendix_starts(pdf)
        # 130 overdue units: too many for the body, so Phụ lục I (the grid of the current
        # round) and Phụ lục II (the list of overdue items), each numbering its own pages.
        assert len(starts) == 2
        assert nfc(pdf.pages[starts[0]].extract_text()).startswith("Phụ lục I\n")
        assert nfc(pdf.pages[starts[1]].extract_text()).startswith("Phụ lục II\n")
        for first, end in ((starts[0], starts[1]), (starts[1], len(pdf.pages))):
            appendix = pdf.pages[first:end]
            assert len(appendix) >= 3
            assert top_margin_chars(appendix[0]) == []
            for n, page in enumerate(appendix[1:], start=2):
                assert "".join(c["text"] for c in top_margin_chars(page)) == str(n)
            for page in appendix:
                stt = find_chars(page, "STT")[0]
                assert face(stt) == "LiberationSerif-Bold"
                rows = [
                    c
                    for c in page.chars
                    if c["top"] > TOP and round(c["size"]) == 12 and face(c) == "LiberationSerif"
                ]
                assert stt["bottom"] < min(c["top"] for c in rows)
            text = flat("\n".join(p.extract_text() for p in appendix))
            for name in names:
                assert name in text
    body = pdf_text(path)
    assert "Kế hoạch số 15/KH-UBND ngày 05/01/2026" in body
    assert "đã nhận 0/130 báo cáo" in body
    assert "130 đơn vị quá hạn chưa gửi (danh sách tại Phụ lục II)" in body


def test_many_tasks_split_the_grid_and_every_overdue_period_is_reported(tmp_path: Path) -> None:
    """A monthly report with months still overdue and more tasks than a landscape table holds:
    every overdue month is in the body, the grid is split into several tables (nothing
    dropped), and landscape pages keep the decree's bottom margin."""
    db = connect(str(tmp_path / "wide.db"))
    try:
        load_sample(db)
        directive = create_directive(
            db,
            DirectiveInput(
                number_symbol="30/CT-UBND",
                signed_date=dt.date(2018, 1, 10),
                issuer="UBND tỉnh Quảng Ngãi",
                subject="Tăng cường kỷ luật, kỷ cương hành chính",
            ),
        )
        add_task(
            db,
            directive.id,
            TaskInput(
                title="Báo cáo tháng",
                kind="periodic",
                period_kind="month",
                start_date=dt.date(2018, 1, 10),
                end_date=dt.date(2018, 12, 31),
                unit_kinds=[UnitKind.DISTRICT],
            ),
        )
        for i in range(1, 8):
            add_task(
                db,
                directive.id,
                TaskInput(
                    title=f"Nhiệm vụ {i}",
                    kind="once",
                    due_date=dt.date(2018, 3, i),
                    unit_kinds=[UnitKind.DISTRICT],
                ),
            )
        path = tmp_path / "wide.pdf"
        data = build(
            db,
            DocumentOptions(
                kind=DocumentKind.SUMMARY, as_of=dt.date(2018, 9, 25), directive_id=directive.id
            ),
            path,
        )
    finally:
        db.dispose()
    assert len(data.columns) == 8  # type: ignore[attr-defined]
    pages = PdfReader(path).pages
    assert float(pages[0].mediabox.width) < float(pages[0].mediabox.height)
    assert any(float(p.mediabox.width) > float(p.mediabox.height) for p in pages)
    text = pdf_text(path)
    assert "Chỉ thị số 30/CT-UBND" in text
    # The current round and every earlier month (all 14 districts still owe them).
    assert "a) Kỳ tháng 9/2018 (hạn ngày 20/09/2018)" in text
    for month in range(1, 9):
        assert f"Kỳ tháng {month}/2018 (hạn ngày 20/{month:02d}/2018)" in text, month
    assert "Bảng 1: nhiệm vụ 1–" in text and "Bảng 2: nhiệm vụ" in text
    for i in range(1, 8):
        assert f"Nhiệm vụ {i}" in text
    assert "kỳ báo cáo trước đó" not in text
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            if page.width > page.height:
                lowest = max(c["bottom"] for c in page.chars if c["text"].strip())
                assert page.height - lowest >= BOTTOM - 0.5, page.page_number
