"""Typed settings stored in the database (agency, signer, warning window, defaults).

Stored as key/value rows in the ``setting`` table so that a backup carries them.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import ValidationError
from app.models import Setting
from app.schedule import DEFAULT_DUE_DAY
from app.status import DEFAULT_WARNING_DAYS
from app.text import clean


@dataclass(frozen=True)
class Settings:
    # The agency that follows (cơ quan theo dõi)
    agency_name: str = "Sở Nội vụ"
    parent_agency: str = ""
    agency_abbreviation: str = "SNV"
    place_name: str = ""
    drafting_unit: str = ""  # đơn vị soạn thảo, in "- Lưu: VT, <x>."
    # Who signs (remembered from the last document)
    signer_authority: str = "KT."  # "", TM., KT., TL., TUQ., Q.
    signer_head_title: str = "Giám đốc"  # the title the authority is exercised for
    signer_title: str = "Phó Giám đốc"
    signer_name: str = ""
    recipients: tuple[str, ...] = ()  # Nơi nhận defaults for reports
    # Work rules
    warning_days: int = DEFAULT_WARNING_DAYS
    default_due_day: int = DEFAULT_DUE_DAY
    # Printed page (Nghị định 30/2020 ranges are checked by the documents module)
    margin_top_mm: float = 20.0
    margin_bottom_mm: float = 20.0
    margin_left_mm: float = 30.0
    margin_right_mm: float = 15.0
    # Backups
    backup_keep_daily: int = 7
    backup_keep_monthly: int = 12
    # Who changes records (audit trail); empty: the operating-system user
    user_name: str = ""
    last_start: str = ""  # ISO date of the previous start (overdue notice)
    extra: dict[str, Any] = field(default_factory=dict)


_FIELDS = {f.name: f for f in fields(Settings) if f.name != "extra"}


def _whole_number(value: Any) -> int | None:
    """An int from a form or an import ("7", 7, 7.0); None when it is not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if (
        isinstance(value, str)
        and value.strip().lstrip("+-").isascii()
        and value.strip().lstrip("+-").isdigit()
        and len(value.strip()) <= 12
    ):
        return int(value.strip())
    return None


_RANGES: dict[str, tuple[int, int, str]] = {
    "warning_days": (0, 90, "Số ngày cảnh báo phải là số nguyên từ 0 đến 90."),
    "default_due_day": (1, 31, "Ngày hạn nộp mặc định phải là số nguyên từ 1 đến 31."),
    "backup_keep_daily": (0, 3650, "Số bản sao lưu giữ lại phải là số nguyên từ 0 đến 3650."),
    "backup_keep_monthly": (0, 3650, "Số bản sao lưu giữ lại phải là số nguyên từ 0 đến 3650."),
}


def _validate(values: dict[str, Any]) -> None:
    """Check (and convert in place) the whole-number settings."""
    errors: dict[str, str] = {}
    for key, (low, high, message) in _RANGES.items():
        if values.get(key) is None:
            continue
        number = _whole_number(values[key])
        if number is None or not low <= number <= high:
            errors[key] = message
        else:
            values[key] = number
    if errors:
        raise ValidationError(next(iter(errors.values())), errors=errors)


def load_settings(session: Session) -> Settings:
    rows = dict(session.execute(select(Setting.key, Setting.value)).all())
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, raw in rows.items():
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            value = raw
        if key in _FIELDS:
            default = _FIELDS[key].default
            if isinstance(default, tuple):
                value = tuple(value or ())
            elif isinstance(default, int) and not isinstance(default, bool):
                try:
                    value = int(value)
                except (TypeError, ValueError):
                    continue
            elif isinstance(default, float):
                try:
                    value = float(value)
                except (TypeError, ValueError):
                    continue
            values[key] = value
        else:
            extra[key] = value
    return Settings(**values, extra=extra)


def save_settings(session: Session, **changes: Any) -> Settings:
    """Save some settings (unknown keys go to ``extra``) and return them all."""
    cleaned: dict[str, Any] = {}
    for key, value in changes.items():
        if isinstance(value, str):
            value = clean(value)
        elif isinstance(value, (list, tuple)):
            value = [clean(v) for v in value if clean(v)]
        cleaned[key] = value
    _validate(cleaned)
    for key, value in cleaned.items():
        row = session.get(Setting, key)
        text = json.dumps(value, ensure_ascii=False)
        if row is None:
            session.add(Setting(key=key, value=text))
        else:
            row.value = text
    session.flush()
    return load_settings(session)


def replace(settings: Settings, **changes: Any) -> Settings:
    return dataclasses.replace(settings, **changes)
