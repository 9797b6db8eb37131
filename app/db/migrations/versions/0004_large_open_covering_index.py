"""The open-obligation index covers the whole "open on a day" test: (first_received,
due_date, exempt_reason, waived) replaces (first_received, due_date).

The warnings page asks for the open obligations of a day on every load, filter and search
(a page of rows and a COUNT, app/services/warning_list.py). With only (first_received,
due_date) in the index, each of the ~50,000 open rows at the large scale was also read from
the table to test ``exempt_reason``/``waived``: the covering index halves both queries
(docs/performance.md, "Usable at L"); it is a few bytes per row larger than the one it
replaces.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_open")
        batch_op.create_index(
            "ix_obligation_open_status",
            ["first_received", "due_date", "exempt_reason", "waived"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_open_status")
        batch_op.create_index("ix_obligation_open", ["first_received", "due_date"], unique=False)
