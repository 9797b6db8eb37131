"""Nothing overdue is left out, at the size of a real province (the "M" benchmark database:
130 units, ten years, 200 directives, 100,000 obligations).

For every directive, the set of (unit, task, period) overdue on 15/10/2025 according to the
service behind ``status --json`` equals the set the synthesis report names — read back from the
PDF: the body's "chưa gửi: …" clauses of each period, and the rows of the list of overdue items
(Phụ lục II) where the body sends the reader there — and the same for the reminder letter, under
the rule of docs/domain.md ("Which units a document names"): the sender is never named; a unit
that no longer exists is shown apart in the report and never addressed in a letter (its
successor does not inherit what it owed).

The database is generated once (about 20 s) into pytest's cache folder and reused; the whole
module takes about two minutes on the reference machine (docs/performance.md).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest

from app.db import Database, connect
from app.documents.common import DocumentKind, DocumentOptions
from app.documents.data import period_phrase, task_names
from app.documents.generate import build
from app.errors import AppError
from app.services.directives import get_directive, list_directives
from app.services.obligations import ObligationRow, list_obligations
from app.services.units import UnitInfo, list_units
from app.status import Status
from bench.generate import SCALES, generate

AS_OF = SCALES["M"].as_of
SENDER = "Sở Nội vụ"
Key = tuple[str, int, str, str]  # (unit name, task number in the directive, period label, due)


# The documents do not depend on the database server: the PostgreSQL pass of CI skips this.
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def m_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    source = (Path(__file__).resolve().parents[2] / "bench" / "generate.py").read_bytes()
    cache = getattr(request.config, "cache", None)  # None under -p no:cacheprovider
    folder = cache.mkdir("m-database") if cache is not None else tmp_path_factory.mktemp("m")
    path = folder / f"M-{hashlib.sha256(source).hexdigest()[:12]}.db"
    if not path.exists():
        for old in folder.glob("M-*.db*"):
            old.unlink()
        generate("M", path)
    db = connect(str(path))
    yield db
    db.dispose()


def _flat(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def _pages(path: Path) -> list[str]:
    """Each page's text, its page number (drawn last, in the top margin, on every page but the
    first of the document and of each appendix) left out."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        texts = [_flat(page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()
    return [
        t if i == 0 or t.startswith("Phụ lục") else re.sub(r" \d+$", "", t)
        for i, t in enumerate(texts)
    ]


def _names_in(clause: str, names: list[str]) -> set[str]:
    """The unit names written in ``clause``, longest first so that "UBND xã Trà Mỹ 20" is not
    read as "UBND xã Trà Mỹ"."""
    found: set[str] = set()
    for name in names:
        pattern = re.compile(re.escape(name) + r"(?![\w])(?! \d)")
        if pattern.search(clause):
            found.add(name)
            clause = pattern.sub("#", clause)
    return found


MARKER = re.compile(r"Kỳ ([^();,]{1,40}?) \(hạn ngày (\d\d/\d\d/\d{4})\)")
MERGED_INTO = re.compile(r"\(đã sáp nhập vào [^)]*\)")
MISSING = re.compile(r"chưa gửi: (.*?)(?:;|\.(?: |$))")


def _summary_named(
    pages: list[str], path: Path, titles: list[str], labels: dict[str, str], names: list[str]
) -> set[Key]:
    """(unit, task number, period label, due) the summary names, from its PDF."""
    starts = [i for i, p in enumerate(pages) if p.startswith("Phụ lục")]
    body = " ".join(pages[: starts[0]] if starts else pages)
    end = body.index("Trên đây là báo cáo")
    positions: list[int] = []
    cursor = 0
    for n, title in enumerate(titles, start=1):
        cursor = body.index(f"{n}. {title}", cursor)
        positions.append(cursor)
    named: set[Key] = set()
    deferred: set[tuple[int, str, str]] = set()
    for n, (start, stop) in enumerate(zip(positions, [*positions[1:], end], strict=True), 1):
        section = body[start:stop]
        markers = list(MARKER.finditer(section))
        segments = [
            (
                labels.get(m.group(1), m.group(1)),
                m.group(2),
                m.end(),
                markers[i + 1].start() if i + 1 < len(markers) else len(section),
            )
            for i, m in enumerate(markers)
        ] or [("", "", 0, len(section))]
        for label, due, a, b in segments:
            segment = section[a:b]
            if not markers:  # a one-off task: its single deadline
                found = re.search(r"Hạn gửi [^:]+: ngày (\d\d/\d\d/\d{4})", segment)
                due = found.group(1) if found else ""
            for clause in MISSING.findall(segment):
                clause = MERGED_INTO.sub("", clause)  # the successor named in the note
                named |= {(u, n, label, due) for u in _names_in(clause, names)}
            if "(danh sách tại Phụ lục" in segment:
                deferred.add((n, label, due))
    if len(starts) == 2:
        listed = _overdue_list(path, starts[1], labels)
        named |= {k for k in listed if (k[1], k[2], k[3]) in deferred}
    return named


def _overdue_list(path: Path, first_page: int, labels: dict[str, str]) -> set[Key]:
    """The rows of the list of overdue items (the last appendix): one table per task, its
    caption "n. Task" above it; a table running onto the next page has no caption there."""
    rows: set[Key] = set()
    task = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages[first_page:]:
            top = 0.0
            for table in sorted(page.find_tables(), key=lambda t: t.bbox[1]):
                above = page.crop((0, top, page.width, table.bbox[1])).extract_text() or ""
                captions = re.findall(r"^(\d+)\. ", _flat_lines(above), flags=re.MULTILINE)
                if captions:
                    task = int(captions[-1])
                for row in table.extract():
                    cells = [_flat(c or "") for c in row]
                    if not cells or cells[0] in ("STT", ""):
                        continue
                    label = "" if cells[2] == "—" else cells[2]
                    rows.add((cells[1], task, labels.get(label, label), cells[3]))
                top = table.bbox[3]
    return rows


def _flat_lines(text: str) -> str:
    return "\n".join(_flat(line) for line in text.splitlines())


def _reminder_named(
    pages: list[str], heads: list[tuple[int, str, str, str]], names: list[str]
) -> dict[tuple[int, str, str], set[str]]:
    """Per item of the letter (task number, period label, due): the unit names written in it."""
    text = " ".join(pages)
    start = text.index("dù đã quá thời hạn quy định:")
    end = text.index("Để kịp thời tổng hợp")
    owed = text[start:end]
    assert owed.count("(hạn ngày ") == len(heads), "an item the core does not know of"
    found: dict[tuple[int, str, str], set[str]] = {}
    spots = []
    for n, title, label, due in heads:
        what = title + (f", {period_phrase(label)}" if label else "")
        head = f"{what} (hạn ngày {due}, quá hạn"
        spots.append((owed.index(head), n, label, due))
    spots.sort()
    for i, (at, n, label, due) in enumerate(spots):
        stop = spots[i + 1][0] if i + 1 < len(spots) else len(owed)
        segment = owed[owed.index("): ", at) + 3 : stop]
        found[(n, label, due)] = _names_in(segment, names)
    return found


def _exists(unit: UnitInfo) -> bool:
    return (unit.valid_from is None or unit.valid_from <= AS_OF) and (
        unit.valid_to is None or unit.valid_to >= AS_OF
    )


PARTS = 8  # the 200 directives in 8 tests, each well within the per-test timeout
SEEN: dict[str, int] = defaultdict(int)


@pytest.mark.parametrize("part", range(PARTS))
def test_every_overdue_obligation_is_named_in_the_summary_and_the_reminder(
    m_db: Database, tmp_path: Path, part: int
) -> None:
    db = m_db
    units = {u.id: u for u in list_units(db)}
    names = sorted({u.name for u in units.values()}, key=len, reverse=True)
    overdue: dict[int, list[ObligationRow]] = defaultdict(list)
    for r in list_obligations(db, AS_OF, statuses=[Status.OVERDUE]):
        if r.unit_name != SENDER:
            overdue[r.directive_id].append(r)
    gone_seen = sender_seen = 0
    checked = reminders = 0
    mine = list_directives(db)[part::PARTS]
    for info in mine:
        directive = get_directive(db, info.id)
        titles = [t.title for t in directive.tasks]
        number = {t.id: n for n, t in enumerate(directive.tasks, start=1)}
        names_of = task_names(directive)
        rows = overdue.get(info.id, [])
        labels = {period_phrase(r.period_label)[3:]: r.period_label for r in rows}
        expected: set[Key] = {
            (r.unit_name, number[r.task_id], r.period_label, f"{r.due_date:%d/%m/%Y}") for r in rows
        }
        summary = tmp_path / f"summary-{info.id}.pdf"
        build(db, DocumentOptions(DocumentKind.SUMMARY, AS_OF, info.id), summary)
        pages = _pages(summary)
        named = _summary_named(pages, summary, titles, labels, names)
        assert named == expected, (
            info.number_symbol,
            sorted(expected - named)[:5],
            sorted(named - expected)[:5],
        )
        results = " ".join(pages).split("như sau:", 1)[1].split("Trên đây là báo cáo")[0]
        assert SENDER not in results, info.number_symbol
        checked += 1

        # The reminder letter: who still exists answers; a merged unit through its successor.
        items: dict[tuple[int, str, str], set[str]] = defaultdict(set)
        heads: dict[tuple[int, str, str], str] = {}
        not_addressed: set[str] = set()
        for r in rows:
            unit = units[r.unit_id]
            key = (number[r.task_id], r.period_label, f"{r.due_date:%d/%m/%Y}")
            if not _exists(unit):  # never addressed; its successor does not inherit it
                not_addressed.add(unit.name)
                gone_seen += 1
                continue
            items[key].add(unit.name)
            heads[key] = names_of[r.task_id]
        letter = tmp_path / f"reminder-{info.id}.pdf"
        if not items:
            with pytest.raises(AppError, match="không có đơn vị nào quá hạn"):
                build(db, DocumentOptions(DocumentKind.REMINDER, AS_OF, info.id), letter)
            continue
        build(db, DocumentOptions(DocumentKind.REMINDER, AS_OF, info.id), letter)
        pages = _pages(letter)
        found = _reminder_named(pages, [(k[0], heads[k], k[1], k[2]) for k in items], names)
        assert found == dict(items), info.number_symbol
        text = " ".join(pages)
        gone_named = _names_in(text, names) & not_addressed
        assert not gone_named, (info.number_symbol, gone_named)
        sender_seen += f"Kính gửi: {SENDER}" in text
        reminders += 1
    assert checked == len(mine) and sender_seen == 0
    SEEN["directives"] += checked
    SEEN["reminders"] += reminders
    SEEN["not addressed"] += gone_seen


def test_all_directives_were_checked() -> None:
    """Run after the parts above (file order): every directive of M was read back, most had a
    reminder, and some overdue units no longer existed (the abolished district level)."""
    if SEEN["directives"] == 0:
        pytest.skip("the parts above were not run")
    assert SEEN["directives"] == 200
    assert SEEN["reminders"] > 150 and SEEN["not addressed"] > 0
