"""The consolidated reminder to one unit, the reminder's chosen addressees and new deadline, and
a printed document kept and reopened with its edits (no Qt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.data import overdue_for
from app.documents.generate import generate
from app.documents.issued import copy_options, keep_issued, reopen_options
from app.documents.reminder_letter import reminder_content
from app.errors import AppError, NotFound, ValidationError
from app.services.directives import list_directives
from app.services.issued_documents import last_reminders, list_issued, reminder_note
from app.services.obligations import list_obligations
from app.services.sample import load_sample
from app.services.units import list_units
from app.status import Status

DAY = dt.date(2018, 8, 2)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = connect(str(tmp_path / "s.db"))
    load_sample(database)
    yield database
    database.dispose()


def _unit(db: Database, name: str) -> int:
    return next(u.id for u in list_units(db) if u.name == name)


def _text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def test_unit_reminder_lists_every_overdue_item_across_directives(
    db: Database, tmp_path: Path
) -> None:
    unit = _unit(db, "UBND huyện Bình Sơn")
    owed = list_obligations(db, DAY, unit_id=unit, statuses=[Status.OVERDUE])
    assert len({r.directive_id for r in owed}) >= 1 and len(owed) >= 2
    out = tmp_path / "dv.pdf"
    g = generate(
        db,
        DocumentOptions(
            DocumentKind.UNIT_REMINDER, DAY, unit_id=unit, reply_by=dt.date(2018, 8, 15)
        ),
        out,
    )
    text = _text(out)
    assert "Kính gửi: UBND huyện Bình Sơn" in text
    for r in owed:
        assert r.task_title in text and f"{r.due_date:%d/%m/%Y}" in text
        assert f"(hạn ngày {r.due_date:%d/%m/%Y}, {overdue_for(r.days_past_due)})" in text
        assert r.directive_symbol in text
    assert "trước ngày 15/08/2018" in text
    assert g.content.header.letter_subject and g.content.header.letter_subject.startswith(
        "V/v đôn đốc"
    )
    assert [f.key for f in g.content.fields()] == [
        "letter_subject",
        "kinh_gui",
        "opening",
        "owed",
        "request",
        "closing",
        "noi_nhan",
    ]


def test_unit_reminder_is_never_an_empty_letter(db: Database, tmp_path: Path) -> None:
    unit = _unit(db, "UBND huyện Bình Sơn")
    early = dt.date(2018, 4, 20)  # nothing due yet
    assert not list_obligations(db, early, unit_id=unit, statuses=[Status.OVERDUE])
    with pytest.raises(AppError, match="không còn nhiệm vụ nào quá hạn"):
        generate(
            db, DocumentOptions(DocumentKind.UNIT_REMINDER, early, unit_id=unit), tmp_path / "x.pdf"
        )
    with pytest.raises(AppError, match="không tự đôn đốc"):
        generate(
            db,
            DocumentOptions(DocumentKind.UNIT_REMINDER, DAY, unit_id=_unit(db, "Sở Nội vụ")),
            tmp_path / "x.pdf",
        )
    with pytest.raises(ValidationError, match="hãy chọn một đơn vị"):
        generate(db, DocumentOptions(DocumentKind.UNIT_REMINDER, DAY), tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_reminder_goes_to_the_chosen_units_with_a_new_deadline(db: Database) -> None:
    directive = list_directives(db)[0].id
    everyone, data = reminder_content(db, DocumentOptions(DocumentKind.REMINDER, DAY, directive))
    assert "trước ngày" not in everyone.section("request").text()
    chosen = (data.units[0].unit_id, data.units[-1].unit_id)
    content, some = reminder_content(
        db,
        DocumentOptions(
            DocumentKind.REMINDER, DAY, directive, unit_ids=chosen, reply_by=dt.date(2018, 8, 20)
        ),
    )
    assert [u.unit_id for u in some.units] == list(chosen)
    assert content.kinh_gui == (data.units[0].unit_name, data.units[-1].unit_name)
    assert (
        content.section("request")
        .text()
        .endswith("gửi văn bản về Sở Nội vụ trước ngày 20/08/2018.")
    )
    owed = content.section("owed").text()
    assert data.units[1].unit_name not in owed
    # A unit no longer overdue (or never) is not addressed; none left: refused clearly.
    with pytest.raises(ValidationError, match="Không đơn vị nào được chọn còn quá hạn"):
        reminder_content(
            db,
            DocumentOptions(
                DocumentKind.REMINDER, DAY, directive, unit_ids=(_unit(db, "Sở Nội vụ"),)
            ),
        )
    with pytest.raises(ValidationError, match="ít nhất một đơn vị"):
        DocumentOptions(DocumentKind.REMINDER, DAY, directive, unit_ids=()).validate()
    with pytest.raises(ValidationError, match="phải sau ngày tính số liệu"):
        DocumentOptions(DocumentKind.REMINDER, DAY, directive, reply_by=DAY).validate()


def test_a_kept_document_reopens_with_its_edits_and_copies_for_a_new_round(
    db: Database, tmp_path: Path
) -> None:
    directive = list_directives(db)[0].id
    edits = (("opening", "Mở đầu do chuyên viên viết lại."), ("closing", "Kết thúc viết lại."))
    options = DocumentOptions(
        DocumentKind.SUMMARY,
        DAY,
        directive,
        number="15",
        edits=edits,
        recipients=("Như trên", "Lưu: VT, XDCQ"),
    )
    first = tmp_path / "first.pdf"
    kept = keep_issued(db, options, generate(db, options, first))
    assert kept.edits == dict(edits) and kept.number == "15"
    assert kept.title.startswith("Kết quả theo dõi")
    assert list_issued(db, directive_id=directive)[0].id == kept.id

    again = reopen_options(kept)
    assert again.edit_map == dict(edits) and again.number == "15"
    assert again.recipients == ("Như trên", "Lưu: VT, XDCQ")
    second = tmp_path / "second.pdf"
    generate(db, again, second)
    assert _text(second) == _text(first)
    assert "Mở đầu do chuyên viên viết lại." in _text(second)

    later = dt.date(2018, 9, 2)
    copy = copy_options(kept, later)
    assert copy.as_of == later and copy.number is None and copy.edit_map == dict(edits)
    # Reprinting the reopened document updates it; the copy is a new record.
    keep_issued(db, again, generate(db, again, second), kept.id)
    keep_issued(db, copy, generate(db, copy, tmp_path / "copy.pdf"))
    assert [d.as_of for d in list_issued(db, directive_id=directive)] == [later, DAY]


def test_a_consolidated_reminder_counts_for_each_directive_it_lists(
    db: Database, tmp_path: Path
) -> None:
    unit = _unit(db, "UBND huyện Bình Sơn")
    directive = list_directives(db)[0].id
    letter = DocumentOptions(DocumentKind.REMINDER, DAY, directive, unit_ids=(unit,))
    keep_issued(db, letter, generate(db, letter, tmp_path / "a.pdf"))
    options = DocumentOptions(DocumentKind.UNIT_REMINDER, dt.date(2018, 8, 10), unit_id=unit)
    g = generate(db, options, tmp_path / "b.pdf")
    keep_issued(db, options, g)
    notes = last_reminders(db)
    listed = {group.directive.id for group in g.data.directives}  # type: ignore[attr-defined]
    assert directive in listed
    assert reminder_note(notes[(unit, directive)]) == "đã đôn đốc lần 2, ngày 10/08/2018"
    for other in listed - {directive}:
        assert reminder_note(notes[(unit, other)]) == "đã đôn đốc lần 1, ngày 10/08/2018"


def test_damaged_kept_options_reopen_with_defaults() -> None:
    from app.documents.issued import options_from_json, options_to_json

    options = DocumentOptions(
        DocumentKind.REMINDER,
        DAY,
        3,
        number="7",
        unit_ids=(1, 2),
        reply_by=dt.date(2018, 8, 20),
        recipients=("Như trên",),
        edits=(("opening", "x"),),
    )
    assert options_from_json(options_to_json(options), {"opening": "x"}) == options
    damaged = {
        "kind": "no-such-kind",
        "as_of": "2018-13-45",
        "directive_id": "3",
        "unit_ids": "1,2",
        "signer": "KT.",
        "reply_by": "hôm qua",
        "recipients": "x",
    }
    back = options_from_json(damaged, {}, fallback_as_of=DAY)
    assert back.kind is DocumentKind.SUMMARY and back.as_of == DAY
    assert back.directive_id is None and back.unit_ids is None and back.signer is None
    assert back.reply_by is None and back.recipients is None


def test_the_clerks_number_and_date_are_written_in_later(db: Database, tmp_path: Path) -> None:
    from app.services.issued_documents import set_issue_number

    directive = list_directives(db)[0].id
    options = DocumentOptions(DocumentKind.REMINDER, DAY, directive)
    generated = generate(db, options, tmp_path / "cv.pdf")
    kept = keep_issued(db, options, generated)
    unit = kept.unit_ids[0]
    assert reminder_note(last_reminders(db)[(unit, directive)]).endswith("02/08/2018")
    numbered = set_issue_number(db, kept.id, " 118 ", dt.date(2018, 8, 6))
    assert (numbered.number, numbered.issued_date) == ("118", dt.date(2018, 8, 6))
    assert (
        reminder_note(last_reminders(db)[(unit, directive)]) == "đã đôn đốc lần 1, ngày 06/08/2018"
    )
    again = reopen_options(numbered)
    assert (again.number, again.date) == ("118", dt.date(2018, 8, 6))
    with pytest.raises(ValidationError, match="Số văn bản"):
        set_issue_number(db, kept.id, "số 5", None)
    with pytest.raises(ValidationError, match="không thể trước ngày tính số liệu"):
        set_issue_number(db, kept.id, "", dt.date(2018, 8, 1))
    cleared = set_issue_number(db, kept.id, "", None)
    assert cleared.number == "" and cleared.issued_date is None


def test_the_text_as_printed_is_kept(db: Database, tmp_path: Path) -> None:
    from app.documents.issued import printed_text

    directive = list_directives(db)[0].id
    options = DocumentOptions(
        DocumentKind.REMINDER, DAY, directive, edits=(("closing", "Kết thúc viết lại."),)
    )
    kept = keep_issued(db, options, generate(db, options, tmp_path / "cv.pdf"))
    text = dict(printed_text(kept))
    assert text["Kết thúc"] == "Kết thúc viết lại."
    assert text["Trích yếu (V/v …)"].startswith("V/v đôn đốc thực hiện")
    assert "quá hạn" in text["Những việc còn nợ"]
    assert reopen_options(kept).edit_map == {"closing": "Kết thúc viết lại."}


@pytest.mark.parametrize("key", ["kinh_gui", "noi_nhan", "letter_subject"])
def test_a_field_too_long_for_a_page_is_refused_clearly(
    db: Database, tmp_path: Path, key: str
) -> None:
    directive = list_directives(db)[0].id
    text = (
        " ".join(["chữ"] * 900)
        if key == "letter_subject"
        else "\n".join(f"Đơn vị số {i}" for i in range(90))
    )
    out = tmp_path / "x.pdf"
    with pytest.raises(ValidationError, match="dài hơn một trang"):
        generate(
            db, DocumentOptions(DocumentKind.REMINDER, DAY, directive, edits=((key, text),)), out
        )
    assert not out.exists()


def test_markup_and_odd_characters_in_edits_print_as_text(db: Database, tmp_path: Path) -> None:
    directive = list_directives(db)[0].id
    odd = "a < b & c > d <b>đậm?</b> &amp; &#1234; <font size=40> \x00\x0b\u200b 😀"
    out = tmp_path / "x.pdf"
    generate(
        db, DocumentOptions(DocumentKind.REMINDER, DAY, directive, edits=(("opening", odd),)), out
    )
    assert "a < b & c > d <b>đậm?</b> &amp;" in _text(out)


_KEYS = ("letter_subject", "kinh_gui", "opening", "owed", "request", "closing", "noi_nhan")


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    database = connect(str(tmp_path_factory.mktemp("fuzz") / "s.db"))
    load_sample(database)
    yield database
    database.dispose()


def test_any_edit_prints_or_is_refused_clearly(fuzz_db: Database, tmp_path: Path) -> None:
    """Hostile text in every field (hypothesis): a PDF, or a Vietnamese ValidationError —
    never another exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    directive = list_directives(fuzz_db)[0].id
    text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
    lines = st.lists(text, max_size=30).map("\n".join)

    @settings(
        max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(st.dictionaries(st.sampled_from(_KEYS), st.one_of(text, lines), max_size=4))
    def check(edits: dict[str, str]) -> None:
        out = tmp_path / "f.pdf"
        out.unlink(missing_ok=True)
        try:
            generate(
                fuzz_db,
                DocumentOptions(DocumentKind.REMINDER, DAY, directive, edits=tuple(edits.items())),
                out,
            )
        except ValidationError as exc:
            assert exc.message and not out.exists()
        else:
            assert out.stat().st_size > 1000

    check()


def test_a_kept_document_about_a_deleted_directive_is_not_remade_for_another(
    db: Database, tmp_path: Path
) -> None:
    from app.models import Directive
    from app.services.issued_documents import get_issued

    directive = list_directives(db)[0].id
    options = DocumentOptions(DocumentKind.REMINDER, DAY, directive)
    kept = keep_issued(db, options, generate(db, options, tmp_path / "cv.pdf"))
    with db.write() as session:  # as if deleted (the service refuses a directive in use)
        session.delete(session.get(Directive, directive))
    gone = get_issued(db, kept.id)
    assert gone.directive_id is None and gone.options["directive_id"] == directive
    with pytest.raises(NotFound, match="đã bị xóa"):
        reopen_options(gone)
    with pytest.raises(NotFound, match="đã bị xóa"):
        copy_options(gone, dt.date(2018, 9, 1))


def test_a_unit_no_longer_there_gets_no_letter(db: Database, tmp_path: Path) -> None:
    from app.models import Unit

    unit = _unit(db, "UBND huyện Bình Sơn")
    assert list_obligations(db, DAY, unit_id=unit, statuses=[Status.OVERDUE])
    with db.write() as session:  # merged away on 01/07/2018 (as the merge form records it)
        session.get(Unit, unit).valid_to = dt.date(2018, 7, 1)
    with pytest.raises(AppError, match="không còn được theo dõi tại ngày 02/08/2018"):
        generate(
            db, DocumentOptions(DocumentKind.UNIT_REMINDER, DAY, unit_id=unit), tmp_path / "x.pdf"
        )
