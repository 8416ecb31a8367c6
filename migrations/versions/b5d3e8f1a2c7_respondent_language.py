"""the language a respondent chose, remembered for their link

Revision ID: b5d3e8f1a2c7
Revises: b7d3e1f5a920
Create Date: 2026-12-03 07:15:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'b5d3e8f1a2c7'
down_revision = 'b7d3e1f5a920'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))
    with op.batch_alter_table('observation_link', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=8), nullable=True))


def downgrade():
    with op.batch_alter_table('observation_link', schema=None) as batch_op:
        batch_op.drop_column('language')
    with op.batch_alter_table('invitation', schema=None) as batch_op:
        batch_op.drop_column('language')
