"""how an answer came in: with help on the case worker's device, or typed in from paper

Revision ID: b7d3e1f5a920
Revises: 3ea5f81ef22e
Create Date: 2026-12-03 07:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b7d3e1f5a920'
down_revision = '3ea5f81ef22e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answered_with', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('paper_dated', sa.Date(), nullable=True))
        batch_op.create_check_constraint(op.f('ck_response_answered_with'),
                                         "answered_with IN ('help', 'paper')")


def downgrade():
    with op.batch_alter_table('response', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_response_answered_with'), type_='check')
        batch_op.drop_column('paper_dated')
        batch_op.drop_column('answered_with')
