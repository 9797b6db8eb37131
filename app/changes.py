"""What a write changed, said in the terms the window's lists reload by.

Every table has its :class:`Change` here, and only here (``CHANGE_OF``): the window never
decides itself what a write made. :meth:`app.db.Database.write` records, for each transaction
that commits, the tables its statements wrote — the unit of work's inserts, updates and
deletes and the bulk statements (``session.execute(insert/update/delete(...))``) — and
:meth:`app.db.Database.track_changes` adds them up while an operation runs::

    with db.track_changes() as written:
        units.create_unit(db, data)
    written.value  # Change.UNITS

A transaction rolled back records nothing; the audit trail and the import's bookkeeping
change nothing a list shows.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from app.models import (
    AttachmentBlob,
    AuditEntry,
    Base,
    CalendarDay,
    Directive,
    ImportBatch,
    IssuedDocument,
    IssuedDocumentUnit,
    Obligation,
    ObligationDueChange,
    Setting,
    Submission,
    Task,
    TaskUnit,
    TaskUnitKind,
    Unit,
)


class Change(enum.Flag):
    """What a write changed, so that only the lists it concerns reload."""

    NONE = 0
    UNITS = enum.auto()  # units added, edited, deactivated, merged, reordered, deleted
    DIRECTIVES = enum.auto()  # directives and their tasks, and which units a task binds
    SUBMISSIONS = enum.auto()  # the obligations and their statuses: documents received,
    # waivers, due dates moved by the holiday table
    DOCUMENTS = enum.auto()  # documents issued (reminders sent: "đã đôn đốc lần N")
    SETTINGS = enum.auto()  # the office's settings and its table of holidays and work days
    DAY = enum.auto()  # the window's "as of" day (never a write)
    ALL = UNITS | DIRECTIVES | SUBMISSIONS | DOCUMENTS | SETTINGS | DAY


# What a write to each table changes. A new table must be added here (tests/core/test_changes.py
# checks every table is); until then a write to it counts as a change of everything.
CHANGE_OF: dict[type[Base], Change] = {
    Unit: Change.UNITS,
    Directive: Change.DIRECTIVES,
    Task: Change.DIRECTIVES,
    TaskUnit: Change.DIRECTIVES,
    TaskUnitKind: Change.DIRECTIVES,
    Obligation: Change.SUBMISSIONS,
    ObligationDueChange: Change.SUBMISSIONS,
    Submission: Change.SUBMISSIONS,
    IssuedDocument: Change.DOCUMENTS,
    IssuedDocumentUnit: Change.DOCUMENTS,
    Setting: Change.SETTINGS,
    CalendarDay: Change.SETTINGS,
    # a file kept in the database: what lists show is the record that refers to it
    AttachmentBlob: Change.NONE,
    ImportBatch: Change.NONE,  # an import's bookkeeping: the rows it wrote say what changed
    AuditEntry: Change.NONE,  # the history of changes itself
}
_BY_TABLE = {str(model.__tablename__): change for model, change in CHANGE_OF.items()}
_UNKNOWN = Change.ALL & ~Change.DAY


def change_of_table(name: str) -> Change:
    """What a write to the table ``name`` changes."""
    return _BY_TABLE.get(name, _UNKNOWN)


@dataclass
class Written:
    """What the writes of an operation changed, added up while it runs (``value``)."""

    value: Change = Change.NONE


# --- recording (listeners on a Database's session factory) ----------------------------------
WRITTEN_KEY = "sotheodoi_written"  # Session.info: what this session's transaction wrote


def _add(session: Session, change: Change) -> None:
    session.info[WRITTEN_KEY] = session.info.get(WRITTEN_KEY, Change.NONE) | change


def _change_of(obj: Any) -> Change:
    change = CHANGE_OF.get(type(obj))
    return change if change is not None else change_of_table(inspect(obj).mapper.local_table.name)


def record_flush(session: Session, _context: UOWTransaction) -> None:
    """``after_flush``: the objects the flush inserted, updated (a real change of a column, not
    an attribute set to the value it had) or deleted. Their lists are still as before the
    flush here."""
    change = Change.NONE
    for obj in (*session.new, *session.deleted):
        change |= _change_of(obj)
    for obj in session.dirty:
        of = _change_of(obj)
        if of & ~change and session.is_modified(obj, include_collections=False):
            change |= of
    if change:
        _add(session, change)


def record_statement(state: ORMExecuteState) -> None:
    """``do_orm_execute``: a bulk insert, update or delete run through the session."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table: Any = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    _add(state.session, change_of_table(name) if isinstance(name, str) else _UNKNOWN)


def written_by(session: Session) -> Change:
    """What the session's transaction wrote (read once it has committed)."""
    value = session.info.pop(WRITTEN_KEY, Change.NONE)
    return value if isinstance(value, Change) else Change.NONE
