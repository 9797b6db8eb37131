"""Check a form's input without saving it, so a form can show every problem at once (also
those of fields next to one whose text could not be read)."""

from __future__ import annotations

import datetime as dt

from app.db import Database
from app.services import directives, submissions, units


def check_unit(data: units.UnitInput) -> None:
    """Raise ValidationError with every field problem of a unit."""
    units.validate(data)


def check_directive(data: directives.DirectiveInput) -> None:
    directives._validate_directive(data)


def check_submission(
    db: Database,
    data: submissions.SubmissionInput,
    *,
    today: dt.date,
    exclude_id: int | None = None,
) -> None:
    with db.read() as session:
        submissions.validate(session, data, today=today, exclude_id=exclude_id)


def check_task(db: Database, data: directives.TaskInput) -> None:
    with db.read() as session:
        directives._validate_task(session, data)
