"""issued documents: what the office printed for signature (kind, directive, as-of day, number,
signer, recipients, the edited text) and the units each was addressed to; the exemption of units
that did not exist yet re-derived by the rule of docs/domain.md ("Units over time")

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:11:52.185924
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "issued_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("issued_date", sa.Date(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("signer", sa.String(length=200), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("edits", sa.Text(), nullable=False),
        sa.Column("options", sa.Text(), nullable=False),
        sa.Column("follow_up_round", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["directive_id"],
            ["directive.id"],
            name=op.f("fk_issued_document_directive_id_directive"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_issued_document_unit_id_unit"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document")),
    )
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_issued_document_directive", ["directive_id", "kind"], unique=False
        )

    op.create_table(
        "issued_document_unit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["issued_document.id"],
            name=op.f("fk_issued_document_unit_document_id_issued_document"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_issued_document_unit_unit_id_unit"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_issued_document_unit")),
    )
    with op.batch_alter_table("issued_document_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_issued_document_unit_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index("ix_issued_document_unit_unit", ["unit_id"], unique=False)

    _rederive_validity()


# The rule as it stood when this revision was written (app/services/obligations.py
# validity_reason), frozen here: a migration must not change when the program does.
_OLD_PREFIXES = ("Đơn vị bắt đầu hoạt động từ", "Đơn vị thành lập từ", "Đơn vị không còn")


def _date(value: object) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value  # type: ignore[return-value]
    return dt.date.fromisoformat(str(value)[:10])


def _reason(
    unit_from: dt.date | None,
    unit_to: dt.date | None,
    directive_date: dt.date,
    period_start: dt.date | None,
    due: dt.date,
) -> str | None:
    start = directive_date if period_start is None else period_start
    if unit_from and start < unit_from:
        when = "ngày ban hành văn bản" if period_start is None else "đầu kỳ"
        return f"Đơn vị thành lập từ {unit_from:%d/%m/%Y}, sau {when}"
    if unit_to and (due > unit_to or start > unit_to):
        gone = unit_to + dt.timedelta(days=1)
        return f"Đơn vị không còn (sáp nhập/giải thể) từ {gone:%d/%m/%Y}"
    return None


def _rederive_validity() -> None:
    """Units created after a directive's date (or mid-period) were bound before this revision;
    they are exempt now. Only reasons that came from the unit's validity are touched."""
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT o.id, o.exempt_reason, o.period_start, o.due_date, t.kind, d.signed_date, "
            "u.valid_from, u.valid_to FROM obligation o JOIN task t ON t.id = o.task_id "
            "JOIN directive d ON d.id = t.directive_id JOIN unit u ON u.id = o.unit_id "
            "WHERE u.valid_from IS NOT NULL OR u.valid_to IS NOT NULL"
        )
    ).all()
    changes = []
    for oid, old, pstart, due, kind, signed, vfrom, vto in rows:
        if old is not None and not old.startswith(_OLD_PREFIXES):
            continue  # out of scope, or another reason: not the unit's validity
        new = _reason(
            _date(vfrom),
            _date(vto),
            _date(signed),  # type: ignore[arg-type]
            None if kind == "once" else _date(pstart),
            _date(due),  # type: ignore[arg-type]
        )
        if new != old:
            changes.append({"i": oid, "r": new})
    if changes:
        conn.execute(sa.text("UPDATE obligation SET exempt_reason = :r WHERE id = :i"), changes)


def downgrade() -> None:
    with op.batch_alter_table("issued_document_unit", schema=None) as batch_op:
        batch_op.drop_index("ix_issued_document_unit_unit")
        batch_op.drop_index(batch_op.f("ix_issued_document_unit_document_id"))

    op.drop_table("issued_document_unit")
    with op.batch_alter_table("issued_document", schema=None) as batch_op:
        batch_op.drop_index("ix_issued_document_directive")

    op.drop_table("issued_document")
