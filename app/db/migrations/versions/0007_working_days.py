"""Working days: the user's holiday table, a due rule in working days per task, the shift of a
due date off a day off per directive, and the effective due date's history per obligation.

``obligation.due_date`` stays the date the status uses (now the effective one); the date the
task sets moves to ``nominal_due_date`` (equal for every existing row: nothing is shifted until
the user turns it on). ``due_history_until`` joins the covering open-status index so the
warnings stay one index scan.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("working", sa.Boolean(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("basis", sa.String(length=255), nullable=False),
        sa.Column("known_from", sa.Date(), nullable=False),
        sa.Column("removed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_day")),
    )
    with op.batch_alter_table("calendar_day", schema=None) as batch_op:
        batch_op.create_index("ix_calendar_day_day", ["day"], unique=False)
    op.create_table(
        "obligation_due_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obligation_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column("previous_due", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["obligation_id"],
            ["obligation.id"],
            name=op.f("fk_obligation_due_change_obligation_id_obligation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_obligation_due_change")),
        sa.UniqueConstraint(
            "obligation_id", "changed_on", name=op.f("uq_obligation_due_change_obligation_id")
        ),
    )
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("shift_due", sa.Boolean(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("due_working_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.add_column(sa.Column("nominal_due_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("due_history_until", sa.Date(), nullable=True))
        batch_op.drop_index("ix_obligation_open_status")
        batch_op.create_index(
            "ix_obligation_open_status",
            ["first_received", "due_date", "exempt_reason", "waived", "due_history_until"],
            unique=False,
        )
        batch_op.create_index(
            "ix_obligation_due_history_until", ["due_history_until"], unique=False
        )
    # The constant server default "0" lets SQLite add the column in place: an expression (or
    # dropping the default afterwards) would copy the directive table, whose tasks hang on it
    # by a cascading foreign key.
    op.execute("UPDATE obligation SET nominal_due_date = due_date")


def downgrade() -> None:
    with op.batch_alter_table("obligation", schema=None) as batch_op:
        batch_op.drop_index("ix_obligation_due_history_until")
        batch_op.drop_index("ix_obligation_open_status")
        batch_op.create_index(
            "ix_obligation_open_status",
            ["first_received", "due_date", "exempt_reason", "waived"],
            unique=False,
        )
        batch_op.drop_column("due_history_until")
        batch_op.drop_column("nominal_due_date")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_column("due_working_days")
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.drop_column("shift_due")
    op.drop_table("obligation_due_change")
    with op.batch_alter_table("calendar_day", schema=None) as batch_op:
        batch_op.drop_index("ix_calendar_day_day")
    op.drop_table("calendar_day")
