"""two-factor login: the time step of each user's last code, so a code is used once (issue 13)

Revision ID: 8c2f4a6d1e37
Revises: 5a1e7c3b9d02
Create Date: 2026-12-02 17:27:25

"""
import sqlalchemy as sa
from alembic import op

revision = '8c2f4a6d1e37'
down_revision = '5a1e7c3b9d02'
branch_labels = None
depends_on = None


def upgrade():
    # An added column: no table is rebuilt (SQLite), no row is rewritten.
    op.add_column('user', sa.Column('totp_last_step', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('totp_last_step')
