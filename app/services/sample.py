"""The sample data set (Quảng Ngãi, letter 2116/UBND-NC of 18/4/2018). Loading is idempotent."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.models import Directive, Task, TaskUnitKind, Unit, UnitKind
from app.paths import resource_path
from app.services import audit
from app.services.directives import directive_search_key
from app.services.obligations import sync_task
from app.services.units import unit_search_key
from app.settings import load_settings, save_settings
from app.text import clean, search_key

SAMPLE_FILE = "quang-ngai-2018.json"


@dataclass(frozen=True)
class SampleResult:
    units_added: int
    directives_added: int
    obligations_added: int

    def describe(self) -> str:
        if not (self.units_added or self.directives_added):
            return "Dữ liệu mẫu đã có sẵn; không thêm gì."
        return (
            f"Đã nạp dữ liệu mẫu: {self.units_added} đơn vị, {self.directives_added} văn bản "
            f"chỉ đạo, {self.obligations_added} nghĩa vụ."
        )


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def sample_path() -> Path:
    return resource_path("sample", SAMPLE_FILE)


def load_sample(db: Database, path: Path | None = None) -> SampleResult:
    """Load the sample set once: existing units and directives (same name/number) are kept."""
    data: dict[str, Any] = json.loads((path or sample_path()).read_text(encoding="utf-8"))
    units_added = directives_added = obligations_added = 0
    with db.write() as session:
        settings = load_settings(session)
        if not settings.parent_agency and not settings.place_name:
            save_settings(session, **data.get("settings", {}))
        existing = {search_key(u.name): u for u in session.scalars(select(Unit))}
        successors: list[tuple[Unit, str]] = []
        for item in data["units"]:
            name = clean(item["name"])
            unit = existing.get(search_key(name))
            if unit is None:
                unit = Unit(
                    name=name,
                    short_name=clean(item.get("short_name", "")),
                    kind=UnitKind(item["kind"]).value,
                    sort_order=int(item.get("sort_order", 0)),
                    head_title=item.get("head_title", ""),
                    note=item.get("note", ""),
                    active=bool(item.get("active", True)),
                    valid_from=_date(item.get("valid_from")),
                    valid_to=_date(item.get("valid_to")),
                    search_key=unit_search_key(name, item.get("short_name", "")),
                    address="",
                    phone="",
                    email="",
                    contact_person="",
                )
                session.add(unit)
                existing[search_key(name)] = unit
                units_added += 1
                if item.get("successor"):
                    successors.append((unit, item["successor"]))
        session.flush()
        for unit, successor_name in successors:
            successor = existing.get(search_key(successor_name))
            if successor is not None:
                unit.successor_id = successor.id
        for item in data["directives"]:
            signed = dt.date.fromisoformat(item["signed_date"])
            symbol_key = search_key(item["number_symbol"])
            found = any(
                search_key(d.number_symbol) == symbol_key and d.signed_date.year == signed.year
                for d in session.scalars(select(Directive))
            )
            if found:
                continue
            directive = Directive(
                number_symbol=item["number_symbol"],
                signed_date=signed,
                issuer=item.get("issuer", ""),
                signer=item.get("signer", ""),
                subject=item.get("subject", ""),
                basis=item.get("basis", ""),
                note=item.get("note", ""),
                attachment_path="",
                report_assessment="",
                report_difficulties="",
                report_proposals="",
                search_key=directive_search_key(
                    item["number_symbol"], item.get("issuer", ""), item.get("subject", "")
                ),
            )
            session.add(directive)
            for order, t in enumerate(item["tasks"], start=1):
                task = Task(
                    title=t["title"],
                    description=t.get("description", ""),
                    kind=t["kind"],
                    sort_order=order,
                    due_date=_date(t.get("due_date")),
                    period_kind=t.get("period_kind"),
                    start_date=_date(t.get("start_date")),
                    end_date=_date(t.get("end_date")),
                    due_day=t.get("due_day"),
                    due_month_offset=int(t.get("due_month_offset", 0)),
                )
                task.unit_kinds = [TaskUnitKind(kind=k) for k in t.get("unit_kinds", [])]
                directive.tasks.append(task)
            session.flush()
            for task in directive.tasks:
                obligations_added += sync_task(session, task).added
            directives_added += 1
            audit.record(
                session,
                "create",
                "directive",
                directive.id,
                after=audit.snapshot(directive),
                summary=f"Nạp dữ liệu mẫu: văn bản {directive.number_symbol}",
            )
    return SampleResult(units_added, directives_added, obligations_added)
