"""Per-field precision and recall of the intake reader on the generated corpus (the truth is the
JSON next to each file). Used by tests/core/test_reading_accuracy.py and
tools/intake_accuracy.py (which writes docs/intake-accuracy.md)."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app.db import Database
from app.models import TaskKind
from app.reading.intake import ReceivedFile, read_received
from app.reading.matching import load_catalogue
from app.services.obligations import list_obligations
from app.services.submissions import number_key
from app.text import clean, search_key

FIELDS = (
    "number_symbol",
    "signed_date",
    "unit",
    "doc_type",
    "summary",
    "signer_name",
    "signer_title",
    "directive",
    "task",
    "period",
    "obligation",
)
GROUPS = {
    "pdf": "PDF có lớp chữ",
    "signed": "PDF ký số",
    "docx": "Word .docx",
    "word-pdf": "Word in ra PDF bằng LibreOffice",
    "scan": "Bản quét (OCR)",
}


@dataclass
class FieldScore:
    total: int = 0
    predicted: int = 0
    correct: int = 0
    confident_wrong: int = 0
    marked_sure: int = 0  # values shown without the amber "check" mark
    wrong_examples: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.total if self.total else 1.0


@dataclass
class Report:
    scores: dict[str, dict[str, FieldScore]] = field(default_factory=dict)  # group → field
    seconds: dict[str, list[float]] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)

    def score(self, group: str, name: str) -> FieldScore:
        return self.scores.setdefault(group, {}).setdefault(name, FieldScore())

    def confident_wrong(self, names: Iterable[str] = FIELDS) -> int:
        return sum(
            s.confident_wrong for g in self.scores.values() for n, s in g.items() if n in names
        )

    def median_seconds(self, group: str) -> float:
        return statistics.median(self.seconds.get(group) or [0.0])

    def markdown(self) -> str:
        lines = []
        for group, label in GROUPS.items():
            if group not in self.scores:
                continue
            times = self.seconds.get(group) or [0.0]
            lines.append(
                f"### {label}: {self.documents[group]} tệp (thời gian đọc một tệp: "
                f"trung vị {statistics.median(times):.3f} s, lâu nhất "
                f"{max(times):.3f} s)"
            )
            lines.append("")
            lines.append(
                "| trường | độ chính xác (precision) | độ phủ (recall) | "
                "đánh dấu chắc chắn | sai mà chắc chắn |"
            )
            lines.append("|---|---|---|---|---|")
            for name in FIELDS:
                s = self.scores[group].get(name)
                if s is None:
                    continue
                lines.append(
                    f"| {name} | {s.precision:.1%} ({s.correct}/{s.predicted}) | "
                    f"{s.recall:.1%} ({s.correct}/{s.total}) | "
                    f"{s.marked_sure}/{s.total} | {s.confident_wrong} |"
                )
            lines.append("")
            wrong = [w for s in self.scores[group].values() for w in s.wrong_examples]
            if wrong:
                lines.append(
                    "Sai hoặc thiếu (tất cả đều được đánh dấu *chưa chắc* trừ khi ghi ở cột trên):"
                )
                lines.extend(f"- {w}" for w in wrong[:20])
                lines.append("")
        return "\n".join(lines)


def _group(truth: dict[str, object]) -> str:
    return str(truth["format"])


def expected_obligation(db: Database, truth: dict[str, object], day: dt.date) -> int | None:
    from app.services.units import list_units

    unit = next(u for u in list_units(db) if u.name == truth["unit"])
    rows = list_obligations(db, day, unit_id=unit.id)
    kind = TaskKind.ONE_OFF if truth["task"] == "plan" else TaskKind.PERIODIC
    for row in rows:
        if row.task_kind is kind and (
            kind is TaskKind.ONE_OFF
            or search_key(row.period_label) == search_key(str(truth["period"]))
        ):
            return row.id
    return None


def measure(
    db: Database, folder: Path, *, today: dt.date, groups: Iterable[str] | None = None
) -> tuple[Report, list[ReceivedFile]]:
    """Read every corpus file of ``groups`` in ``folder`` and score it against its truth."""
    wanted = set(groups) if groups is not None else None
    report = Report()
    catalogue = load_catalogue(db)
    results = []
    for truth_path in sorted(folder.glob("*.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        group = _group(truth)
        if wanted is not None and group not in wanted:
            continue
        result = read_received(
            db, folder / str(truth["file"]), today=today, catalogue=catalogue, roots=[]
        )
        results.append(result)
        report.documents[group] = report.documents.get(group, 0) + 1
        report.seconds.setdefault(group, []).append(result.seconds)
        f = result.fields
        got: dict[str, tuple[object, bool]] = {}
        if f is not None:
            got = {
                "number_symbol": (f.number_symbol.value, f.number_symbol.sure),
                "signed_date": (f.signed_date.value, f.signed_date.sure),
                "unit": (result.unit.label or None, result.unit.sure),
                "doc_type": (f.doc_type.value, f.doc_type.sure),
                "summary": (f.summary.value, f.summary.sure),
                "signer_name": (f.signer_name.value, f.signer_name.sure),
                "signer_title": (f.signer_title.value, f.signer_title.sure),
                "directive": (result.directive.label or None, result.directive.sure),
                "task": (f.task.value, f.task.sure),
                "period": (f.period_label or None, f.period.sure),
                "obligation": (result.obligation.id, result.obligation.sure),
            }
        want: dict[str, object] = {
            "number_symbol": number_key(str(truth["number_symbol"])),
            "signed_date": dt.date.fromisoformat(str(truth["signed_date"])),
            "unit": truth["unit"],
            "doc_type": truth["doc_type"],
            "summary": clean(str(truth["summary"])),
            "signer_name": truth["signer_name"],
            "signer_title": truth["signer_title"],
            "directive": truth["directive"],
            "task": truth["task"],
            "period": search_key(str(truth["period"])) or None,
            "obligation": expected_obligation(db, truth, today),
        }
        for name in FIELDS:
            if name == "period" and truth["task"] == "plan":
                continue  # a plan has no period
            score = report.score(group, name)
            score.total += 1
            value, sure = got.get(name, (None, False))
            if value in (None, ""):
                score.wrong_examples.append(f"{truth['file']}: {name} không đọc được")
                continue
            score.predicted += 1
            score.marked_sure += bool(sure)
            if name == "number_symbol":
                value = number_key(str(value))
            elif name == "period":
                value = search_key(str(value))
            elif name == "summary":
                value = clean(str(value))
            if value == want[name]:
                score.correct += 1
            else:
                score.wrong_examples.append(
                    f'{truth["file"]}: {name} đọc "{value}", đúng là "{want[name]}"'
                    + (" (đánh dấu chắc chắn!)" if sure else " (đánh dấu chưa chắc)")
                )
                if sure:
                    score.confident_wrong += 1
    return report, results
