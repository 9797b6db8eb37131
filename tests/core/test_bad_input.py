"""Bad input everywhere (property-based): random Unicode, control characters, RTL marks,
decomposed Vietnamese, 10,000-character strings, impossible dates, huge numbers.

Every validator either accepts (and returns clean values within its limits) or raises a
ValidationError/NotFound with a Vietnamese message at a field; a rejected action changes no row.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sqlite3
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import event

from app.cli import run
from app.dates import MAX_YEAR, MIN_YEAR, fmt, parse_date
from app.db import Database, connect
from app.errors import AppError, NotFound, ValidationError
from app.services.sample import load_sample
from app.text import clean, matches, search_key, sort_key

SPECIAL = [
    "",
    " ",
    "Sở Nội vụ",
    unicodedata.normalize("NFD", "Ủy ban nhân dân huyện Sơn Tịnh"),  # decomposed
    "Ho\u0300a Vang",  # a combining tone on its own
    "\u202eUBND\u202c",  # right-to-left override
    "\u200f\u200e\u061c",  # RTL/LTR marks
    "\x00\x01\x07\x1b[31m",  # NUL, bell, an escape sequence
    "\ufeffBOM",
    "\U0001f600 😀",  # emoji
    "a\r\nb\rc\nd\te",
    "2116/UBND-NC",
    "'; DROP TABLE unit; --",
    "ạ" * 10_000,
    "x" * 256,
    " " * 10_000,
    "\u0301" * 500,
]
texts = st.one_of(
    st.text(max_size=60),
    st.sampled_from(SPECIAL),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=3), st.integers(1, 4000)),
)
dates = st.one_of(st.none(), st.dates(), st.dates(dt.date(2015, 1, 1), dt.date(2030, 12, 31)))
huge = st.one_of(
    st.integers(-5, 40),
    st.integers(-(2**80), 2**80),
    st.sampled_from([2**63, 2**63 - 1, -(2**63) - 1, 10**30]),
)
# SOTHEODOI_FUZZ_SCALE=20 multiplies every example count (the long run in docs/reliability.md).
SCALE = max(1, int(os.environ.get("SOTHEODOI_FUZZ_SCALE", "1")))
SETTINGS = settings(
    max_examples=50 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def shared_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("bad-input") / "sotheodoi.db"
    db = connect(str(path))
    load_sample(db)
    db.dispose()  # durability is tested elsewhere; here thousands of rejected writes are
    event.listen(
        db.engine,
        "connect",  # tried, so skip the fsync of each commit
        lambda con, _rec: con.execute("PRAGMA synchronous=OFF"),
    )
    yield db
    db.dispose()


def counts(db: Database) -> dict[str, int]:
    assert db.path is not None
    con = sqlite3.connect(db.path)
    try:
        tables = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        con.close()


def assert_clear(exc: AppError) -> None:
    """A message a person can read: not empty, Vietnamese, no Python repr of an exception."""
    assert exc.message.strip()
    assert "Traceback" not in exc.message and "Error(" not in exc.message
    if isinstance(exc, ValidationError):
        assert all(m.strip() for m in exc.errors.values())


def no_controls(value: str) -> bool:
    return not any(unicodedata.category(c) in {"Cc", "Cf"} and c not in "\n" for c in value)


# --- text helpers -------------------------------------------------------------------------------


@settings(max_examples=300 * SCALE, deadline=None)
@given(st.one_of(st.text(), st.sampled_from(SPECIAL)))
def test_text_helpers_never_crash_and_keep_their_promises(value: str) -> None:
    cleaned = clean(value)
    assert clean(cleaned) == cleaned
    assert no_controls(cleaned) and "\n" not in cleaned
    assert cleaned == cleaned.strip()
    multi = clean(value, multiline=True)
    assert clean(multi, multiline=True) == multi and no_controls(multi)
    decomposed = unicodedata.normalize("NFD", value)
    assert clean(decomposed) == cleaned
    key = search_key(value)
    assert search_key(key) == key
    assert search_key(decomposed) == key
    assert matches(value, value)
    assert matches("", value)
    assert sort_key(decomposed) == sort_key(value)
    sorted([value, cleaned, key, decomposed], key=sort_key)


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.sampled_from(SPECIAL[:12])), max_size=30))
def test_sort_key_is_a_total_order(values: list[str]) -> None:
    ordered = sorted(values, key=sort_key)
    keys = [sort_key(v) for v in ordered]
    assert keys == sorted(keys)


# --- dates --------------------------------------------------------------------------------------


@settings(max_examples=300 * SCALE, deadline=None)
@given(
    st.one_of(
        st.text(max_size=30),
        st.sampled_from(SPECIAL),
        st.builds("{}/{}/{}".format, huge, huge, huge),
        st.builds("{}-{}-{}".format, huge, huge, huge),
    )
)
def test_parse_date_gives_a_date_or_a_clear_error(text: str) -> None:
    try:
        day = parse_date(text, field="ngay")
    except ValidationError as exc:
        assert_clear(exc)
        assert exc.errors.keys() == {"ngay"}
        return
    assert MIN_YEAR <= day.year <= MAX_YEAR


@settings(max_examples=100 * SCALE, deadline=None)
@given(st.dates(dt.date(MIN_YEAR, 1, 1), dt.date(MAX_YEAR, 12, 31)))
def test_parse_date_reads_what_fmt_writes(day: dt.date) -> None:
    assert parse_date(fmt(day)) == day
    assert parse_date(day.isoformat()) == day


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2018",
        "29/02/2019",
        "00/01/2018",
        "32/01/2018",
        "15/13/2018",
        "31/04/2018",
        "01/01/1900",
        "01/01/99999",
        "1/1/18",
        "30-04",
        "ngày 30 tháng 4",
    ],
)
def test_impossible_dates_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date(text)
    assert_clear(caught.value)


# --- units ------------------------------------------------------------------------------------


@SETTINGS
@given(
    name=texts,
    short=texts,
    kind=st.one_of(st.sampled_from(["so_nganh", "huyen", "khac"]), texts),
    email=texts,
    note=texts,
    phone=texts,
    start=dates,
    end=dates,
    order=st.one_of(st.none(), huge),
)
def test_unit_form(
    shared_db: Database,
    name: str,
    short: str,
    kind: str,
    email: str,
    note: str,
    phone: str,
    start: dt.date | None,
    end: dt.date | None,
    order: int | None,
) -> None:
    from app.services.units import NAME_MAX, UnitInput, create_unit, validate

    data = UnitInput(
        name=name,
        kind=kind,
        short_name=short,
        email=email,
        note=note,
        phone=phone,
        valid_from=start,
        valid_to=end,
        sort_order=order,
    )
    try:
        values = validate(data)
    except ValidationError as exc:
        assert_clear(exc)
        assert exc.errors and set(exc.errors) <= {
            "name",
            "short_name",
            "kind",
            "valid_to",
            "email",
            "head_title",
            "address",
            "phone",
            "contact_person",
            "note",
            "sort_order",
        }
    else:
        assert 0 < len(str(values["name"])) <= NAME_MAX and no_controls(str(values["name"]))
    before = counts(shared_db)
    try:
        create_unit(shared_db, data)
    except (ValidationError, NotFound) as exc:
        assert_clear(exc)
        assert counts(shared_db) == before  # nothing half-written
    else:
        after = counts(shared_db)
        assert after["unit"] == before["unit"] + 1


# --- directives and tasks -------------------------------------------------------------------


@SETTINGS
@given(
    symbol=st.one_of(texts, st.builds("{}/{}".format, huge, texts)),
    signed=dates,
    subject=texts,
    issuer=texts,
    basis=texts,
)
def test_directive_form(
    shared_db: Database, symbol: str, signed: dt.date | None, subject: str, issuer: str, basis: str
) -> None:
    from app.services.directives import DirectiveInput, _validate_directive, create_directive

    data = DirectiveInput(
        number_symbol=symbol, signed_date=signed, subject=subject, issuer=issuer, basis=basis
    )
    try:
        _validate_directive(data)
    except ValidationError as exc:
        assert_clear(exc)
    before = counts(shared_db)
    try:
        create_directive(shared_db, data)
    except ValidationError as exc:
        assert_clear(exc)
        assert counts(shared_db) == before
    else:
        assert counts(shared_db)["directive"] == before["directive"] + 1


@SETTINGS
@given(
    title=texts,
    kind=st.one_of(st.sampled_from(["once", "periodic"]), texts),
    period=st.one_of(
        st.none(), st.sampled_from(["month", "quarter", "half", "nine_months", "year"]), texts
    ),
    due=dates,
    start=dates,
    end=dates,
    due_day=st.one_of(st.none(), huge),
    offset=huge,
    unit_kinds=st.lists(st.one_of(st.sampled_from(["so_nganh", "huyen"]), texts), max_size=3),
    unit_ids=st.lists(huge, max_size=3),
)
def test_task_form(
    shared_db: Database,
    title: str,
    kind: str,
    period: str | None,
    due: dt.date | None,
    start: dt.date | None,
    end: dt.date | None,
    due_day: int | None,
    offset: int,
    unit_kinds: list[str],
    unit_ids: list[int],
) -> None:
    from app.services.directives import TaskInput, add_task, list_directives

    directive_id = list_directives(shared_db)[0].id
    data = TaskInput(
        title=title,
        kind=kind,
        period_kind=period,
        due_date=due,
        start_date=start,
        end_date=end,
        due_day=due_day,
        due_month_offset=offset,
        unit_kinds=unit_kinds,
        unit_ids=unit_ids,
    )
    before = counts(shared_db)
    try:
        add_task(shared_db, directive_id, data)
    except (ValidationError, NotFound) as exc:
        assert_clear(exc)
        assert counts(shared_db) == before
    else:
        assert counts(shared_db)["task"] == before["task"] + 1


# --- submissions --------------------------------------------------------------------------------


@SETTINGS
@given(
    obligation=st.one_of(st.integers(1, 90), huge),
    number=texts,
    signed=dates,
    received=dates,
    signer=texts,
    channel=st.one_of(st.sampled_from(["giay", "email"]), texts),
    summary=texts,
    today=st.dates(dt.date(2018, 1, 1), dt.date(2030, 1, 1)),
)
def test_submission_form(
    shared_db: Database,
    obligation: int,
    number: str,
    signed: dt.date | None,
    received: dt.date | None,
    signer: str,
    channel: str,
    summary: str,
    today: dt.date,
) -> None:
    from app.services.submissions import SubmissionInput, record_submission

    data = SubmissionInput(
        obligation_id=obligation,
        number_symbol=number,
        signed_date=signed,
        received_date=received,
        signer=signer,
        channel=channel,
        summary=summary,
    )
    before = counts(shared_db)
    try:
        info = record_submission(shared_db, data, today=today)
    except (ValidationError, NotFound) as exc:
        assert_clear(exc)
        assert counts(shared_db) == before
    else:
        assert counts(shared_db)["submission"] == before["submission"] + 1
        assert info.received_date <= today and no_controls(info.number_symbol)


# --- settings -----------------------------------------------------------------------------------


@SETTINGS
@given(
    warning=st.one_of(huge, texts, st.none()),
    due_day=st.one_of(huge, texts),
    keep=st.one_of(huge, texts, st.floats()),
    agency=texts,
    recipients=st.lists(texts, max_size=4),
)
def test_settings_form(
    shared_db: Database,
    warning: object,
    due_day: object,
    keep: object,
    agency: str,
    recipients: list[str],
) -> None:
    from app.settings import load_settings, save_settings

    with shared_db.read() as session:
        saved = load_settings(session)
    try:
        with shared_db.write() as session:
            result = save_settings(
                session,
                warning_days=warning,
                default_due_day=due_day,
                backup_keep_daily=keep,
                agency_name=agency,
                recipients=recipients,
            )
    except ValidationError as exc:
        assert_clear(exc)
        with shared_db.read() as session:
            assert load_settings(session) == saved  # nothing half-saved
    else:
        assert 0 <= result.warning_days <= 90 and 1 <= result.default_due_day <= 31
        with shared_db.write() as session:  # put the sample's settings back
            save_settings(
                session,
                warning_days=saved.warning_days,
                default_due_day=saved.default_due_day,
                backup_keep_daily=saved.backup_keep_daily,
                agency_name=saved.agency_name,
                recipients=list(saved.recipients),
            )


# --- the command line -------------------------------------------------------------------------

TOKENS = [
    "status",
    "receive",
    "sample",
    "units",
    "--json",
    "--as-of",
    "--unit",
    "--directive",
    "--task",
    "--period",
    "--number",
    "--signed",
    "--received",
    "--today",
    "--kind",
    "--status",
    "--channel",
    "--summary",
    "--signer",
    "-h",
    "--all",
    "2116/UBND-NC",
    "Sở Tư pháp",
    "Năm 2018",
    "Báo cáo định kỳ năm",
    "31/02/2018",
    "02/05/2018",
    "2018-13-45",
    "99999999999999999999",
    "-1",
    "huyen",
    "overdue",
    "giay",
    "--",
    "=",
    "--as-of=30/04/2018",
    "\u202e",
    "ạ" * 10_000,
]
# Free text never starts with "-": argparse would read it as an abbreviation of --db.
free = texts.filter(lambda s: not s.startswith("-"))


@settings(
    max_examples=120 * SCALE,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(argv=st.lists(st.one_of(st.sampled_from(TOKENS), free), max_size=12))
def test_cli_with_random_arguments(
    shared_db: Database, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assume("-h" not in argv or argv.index("-h") > 0)
    out, err = io.StringIO(), io.StringIO()
    code = run(["--db", str(shared_db.path), *argv], out=out, err=err)
    captured = capsys.readouterr()
    messages = err.getvalue() + captured.err
    assert code in (0, 1, 2, 3, 4)
    assert "Traceback" not in messages
    assert "không mong đợi" not in messages  # no bug reached the last-resort handler
    if code:
        assert "Lỗi" in messages


def test_cli_never_touches_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert (
        run(
            ["--db", str(tmp_path / "x.db"), "status", "--as-of", "31/02/2018"],
            out=io.StringIO(),
            err=io.StringIO(),
        )
        == 2
    )
    assert [p.name for p in tmp_path.iterdir()] == []
