"""issued documents: what the office printed for signature (kind, directive, as-of day, number,
signer, recipients, the edited text) and the units each was addressed to

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 14:11:52.185924
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('issued_document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('directive_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('issued_date', sa.Date(), nullable=True),
    sa.Column('title', sa.String(length=500), nullable=False),
    sa.Column('signer', sa.String(length=200), nullable=False),
    sa.Column('recipients', sa.Text(), nullable=False),
    sa.Column('edits', sa.Text(), nullable=False),
    sa.Column('options', sa.Text(), nullable=False),
    sa.Column('follow_up_round', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['directive_id'], ['directive.id'], name=op.f('fk_issued_document_directive_id_directive'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_issued_document_unit_id_unit'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document'))
    )
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.create_index('ix_issued_document_directive', ['directive_id', 'kind'], unique=False)

    op.create_table('issued_document_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['issued_document.id'], name=op.f('fk_issued_document_unit_document_id_issued_document'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_issued_document_unit_unit_id_unit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_issued_document_unit'))
    )
    with op.batch_alter_table('issued_document_unit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issued_document_unit_document_id'), ['document_id'], unique=False)
        batch_op.create_index('ix_issued_document_unit_unit', ['unit_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('issued_document_unit', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_document_unit_unit')
        batch_op.drop_index(batch_op.f('ix_issued_document_unit_document_id'))

    op.drop_table('issued_document_unit')
    with op.batch_alter_table('issued_document', schema=None) as batch_op:
        batch_op.drop_index('ix_issued_document_directive')

    op.drop_table('issued_document')
