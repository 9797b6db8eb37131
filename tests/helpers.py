"""Small helpers shared by test modules."""

from __future__ import annotations

import dataclasses

from app.db import Database


def db_arg(db: Database) -> str:
    """What to give ``--db`` for this database: its file, or its server URL."""
    return str(db.path or db.url)


def edit_directive(db: Database, directive_id: int, **changes: object) -> None:
    """Save the directive as it is but for ``changes`` (fields of ``DirectiveInput``), as its
    form does."""
    from app.services.directives import DirectiveInput, get_directive, update_directive

    d = get_directive(db, directive_id)
    kept = {f.name: getattr(d, f.name) for f in dataclasses.fields(DirectiveInput)}
    update_directive(db, directive_id, DirectiveInput(**(kept | changes)))  # type: ignore[arg-type]


def edit_unit(db: Database, name: str, **changes: object) -> None:
    """Save the unit named ``name`` as it is but for ``changes`` (fields of ``UnitInput``), as
    its form does."""
    from app.services.units import UnitInput, list_units, update_unit

    unit = next(u for u in list_units(db) if u.name == name)
    kept = {
        f.name: getattr(unit, f.name) for f in dataclasses.fields(UnitInput) if f.name != "extra"
    }
    update_unit(db, unit.id, UnitInput(**(kept | changes)))  # type: ignore[arg-type]
