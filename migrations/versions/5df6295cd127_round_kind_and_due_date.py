"""round kind and due date

Revision ID: 5df6295cd127
Revises: 359530d2a8d7
Create Date: 2026-11-22 13:44:23.748507

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '5df6295cd127'
down_revision = '359530d2a8d7'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=20), server_default='feedback', nullable=False))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_round_kind'), "kind IN ('feedback', 'status', 'see_happen', 'indicators')"
        )


def downgrade():
    with op.batch_alter_table('round', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_round_kind'), type_='check')
        batch_op.drop_column('due_on')
        batch_op.drop_column('kind')

