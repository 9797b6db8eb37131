"""What was read, matched to the records: the issuing body to a unit (accent- and
case-insensitively, "ỦY BAN NHÂN DÂN" = "UBND", by a unit valid on the signing date, a merged
unit leading to its successor), the cited document to a directive, and the three to the
obligation the document answers.

A match is sure only when it is exact and valid on the date; anything approximate (a near
spelling, a unit merged or not yet created on that date, a directive guessed because none was
cited) is returned unsure with a note, so the user checks it. Never a confident wrong unit.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from app.dates import fmt
from app.db import Database
from app.models import TaskKind
from app.reading.fields import SURE, Citation, Fields
from app.schedule import PeriodKind
from app.services.directives import DirectiveInfo, list_directives
from app.services.obligations import ObligationRow, list_obligations
from app.services.units import UnitInfo, list_units
from app.text import search_key

FUZZY_MIN = 0.86  # similarity of a near spelling (OCR) worth proposing, unsure


@dataclass(frozen=True)
class Match:
    id: int | None
    label: str = ""
    confidence: float = 0.0
    note: str = ""

    @property
    def sure(self) -> bool:
        return self.id is not None and self.confidence >= SURE


NO_MATCH = Match(None)


@dataclass(frozen=True)
class Catalogue:
    """The units and directives, loaded once for a batch of files."""

    units: tuple[UnitInfo, ...]
    directives: tuple[DirectiveInfo, ...]


def load_catalogue(db: Database) -> Catalogue:
    return Catalogue(tuple(list_units(db)), tuple(list_directives(db)))


_ABBREVIATIONS = [
    (r"\buy ban nhan dan\b", "ubnd"),
    (r"\bthanh pho\b", "tp"),
    (r"\bthi xa\b", "tx"),
    (r"&", " va "),
    (r"\bso nn va ptnt\b", "so nong nghiep va phat trien nong thon"),
]


def org_key(text: str) -> str:
    """ "ỦY BAN NHÂN DÂN HUYỆN SƠN TỊNH" and "UBND huyện Sơn Tịnh" give the same key;
    punctuation and a trailing "tỉnh" do not matter."""
    key = search_key(text)
    for pattern, repl in _ABBREVIATIONS:
        key = re.sub(pattern, repl, key)
    key = re.sub(r"[^a-z0-9 ]+", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    return key.removesuffix(" tinh").strip()


def _unit_keys(unit: UnitInfo) -> set[str]:
    keys = {org_key(unit.name)}
    if unit.short_name:
        keys.add(org_key(unit.short_name))
    return {k for k in keys if k}


def match_unit(
    catalogue: Catalogue, candidates: tuple[str, ...] | list[str], day: dt.date | None
) -> Match:
    """The unit that issued the document, valid on ``day`` (the signing date)."""
    if not candidates:
        return Match(None, "", 0.0, "Không tìm thấy tên cơ quan ban hành")
    by_id = {u.id: u for u in catalogue.units}
    for rank, candidate in enumerate(candidates):
        key = org_key(candidate)
        exact = [u for u in catalogue.units if key in _unit_keys(u)]
        if exact:
            return _valid_on(exact, day, by_id, 0.97 if rank == 0 else 0.93)
    # A near spelling (a scan): the best unit if clearly better than the next one. Unsure.
    scored = []
    for unit in catalogue.units:
        best = max(
            (
                SequenceMatcher(None, org_key(c), k).ratio()
                for c in candidates
                for k in _unit_keys(unit)
            ),
            default=0.0,
        )
        scored.append((best, unit.id))
    scored.sort(reverse=True)
    if (
        scored
        and scored[0][0] >= FUZZY_MIN
        and (len(scored) == 1 or scored[0][0] - scored[1][0] >= 0.04)
    ):
        unit = by_id[scored[0][1]]
        found = _valid_on([unit], day, by_id, 0.7)
        return Match(
            found.id,
            found.label,
            min(found.confidence, 0.7),
            found.note or f'Tên gần giống "{candidates[0]}": kiểm tra lại',
        )
    return Match(None, "", 0.0, f'Không có đơn vị nào tên "{candidates[0]}"')


def _valid_on(
    units: list[UnitInfo], day: dt.date | None, by_id: dict[int, UnitInfo], confidence: float
) -> Match:
    if day is None:
        unit = units[0]
        return Match(
            unit.id,
            unit.name,
            min(confidence, 0.8),
            "Chưa rõ ngày ký: chưa kiểm tra hiệu lực đơn vị",
        )
    valid = [u for u in units if u.valid_on(day)]
    if len(valid) == 1:
        return Match(valid[0].id, valid[0].name, confidence)
    if len(valid) > 1:
        return Match(valid[0].id, valid[0].name, 0.6, "Nhiều đơn vị trùng tên: chọn đúng đơn vị")
    unit = units[0]
    if unit.valid_to is not None and day > unit.valid_to:
        successor = by_id.get(unit.successor_id or -1)
        seen: set[int] = set()
        while (
            successor is not None
            and not successor.valid_on(day)
            and successor.id not in seen
            and successor.successor_id
        ):
            seen.add(successor.id)
            successor = by_id.get(successor.successor_id)
        if successor is not None:
            return Match(
                successor.id,
                successor.name,
                0.7,
                f"{unit.name} đã sáp nhập vào {successor.name} (hết hiệu lực "
                f"{fmt(unit.valid_to)}): kiểm tra lại",
            )
        return Match(
            unit.id,
            unit.name,
            0.5,
            f"{unit.name} hết hiệu lực từ {fmt(unit.valid_to)}: kiểm tra lại",
        )
    return Match(
        unit.id, unit.name, 0.5, f"{unit.name} chưa có hiệu lực ngày {fmt(day)}: kiểm tra lại"
    )


def _symbol_key(symbol: str) -> str:
    return re.sub(r"^0+(?=\d)", "", search_key(symbol).replace(" ", ""))


def match_directive(
    catalogue: Catalogue, citations: tuple[Citation, ...], task: str | None
) -> Match:
    """The directive the document answers: the first cited one that is on record."""
    known = {_symbol_key(d.number_symbol): d for d in catalogue.directives}
    for citation in citations:
        directive = known.get(_symbol_key(citation.symbol))
        if directive is None:
            continue
        if citation.date is not None and citation.date != directive.signed_date:
            return Match(
                directive.id,
                directive.number_symbol,
                0.7,
                f"Văn bản trích dẫn ngày {fmt(citation.date)}, văn bản chỉ đạo "
                f"ngày {fmt(directive.signed_date)}: kiểm tra lại",
            )
        return Match(directive.id, directive.number_symbol, 0.96)
    kind = {"plan": TaskKind.ONE_OFF, "report": TaskKind.PERIODIC}.get(task or "")
    usable = [
        d for d in catalogue.directives if any(kind is None or t.kind is kind for t in d.tasks)
    ]
    if len(usable) == 1:
        return Match(
            usable[0].id,
            usable[0].number_symbol,
            0.6,
            "Văn bản không trích dẫn văn bản chỉ đạo nào đang theo dõi: đoán là "
            f"{usable[0].number_symbol}",
        )
    return Match(None, "", 0.0, "Không thấy văn bản chỉ đạo được trích dẫn")


@dataclass(frozen=True)
class ObligationMatch(Match):
    task_title: str = ""
    period_label: str = ""


def obligation_label(row: ObligationRow) -> str:
    return row.task_title + (f" — {row.period_label}" if row.period_label else "")


def match_obligation(
    db: Database, unit: Match, directive: Match, fields: Fields, day: dt.date
) -> ObligationMatch:
    """The obligation the document answers: the unit's obligation under the directive, of the
    task its type names (plan: a one-off task; report: the periodic one of its period)."""
    if unit.id is None or directive.id is None:
        return ObligationMatch(None, "", 0.0, "Chưa xác định được đơn vị và văn bản chỉ đạo")
    rows = list_obligations(db, day, directive_id=directive.id, unit_id=unit.id)
    if not rows:
        return ObligationMatch(
            None, "", 0.0, f"{unit.label} không có nghĩa vụ nào theo văn bản {directive.label}"
        )
    base = min(unit.confidence, directive.confidence)
    task = fields.task.value
    if task == "plan":
        chosen = [r for r in rows if r.task_kind is TaskKind.ONE_OFF]
        confidence = min(base, fields.task.confidence)
    elif task == "report":
        periodic = [r for r in rows if r.task_kind is TaskKind.PERIODIC]
        chosen = [r for r in periodic if r.period_key == fields.period.value]
        confidence = min(base, fields.task.confidence, fields.period.confidence)
        if not chosen:
            signed = fields.signed_date.value
            earlier = [r for r in periodic if signed is None or r.due_date >= signed]
            chosen = sorted(earlier, key=lambda r: r.due_date)[:1] or periodic[:1]
            confidence = min(confidence, 0.6)
    else:
        chosen = rows
        confidence = min(base, 0.5)
    if not chosen:
        return ObligationMatch(
            None, "", 0.0, "Không có nghĩa vụ cùng loại (kế hoạch/báo cáo) cho đơn vị này"
        )
    note = ""
    if len(chosen) > 1:
        confidence = min(confidence, 0.6)
        note = "Nhiều nghĩa vụ phù hợp: chọn đúng nghĩa vụ"
    elif confidence < SURE:
        note = "Kiểm tra lại nghĩa vụ"
    row = chosen[0]
    return ObligationMatch(
        row.id,
        f"{unit.label} — {obligation_label(row)}",
        confidence,
        note,
        task_title=row.task_title,
        period_label=row.period_label,
    )


def unit_obligations(
    db: Database, unit_id: int, day: dt.date, directive_id: int | None = None
) -> list[ObligationRow]:
    """Every obligation of a unit (the choices offered when the user corrects a match)."""
    filters: dict[str, object] = {"unit_id": unit_id}
    if directive_id is not None:
        filters["directive_id"] = directive_id
    return list_obligations(db, day, **filters)


__all__ = [
    "NO_MATCH",
    "Catalogue",
    "Match",
    "ObligationMatch",
    "PeriodKind",
    "load_catalogue",
    "match_directive",
    "match_obligation",
    "match_unit",
    "org_key",
    "unit_obligations",
]
