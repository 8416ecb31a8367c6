"""the client address of every audit entry

Revision ID: d5e3f9b2a416
Revises: c4d2e8a1f305
Create Date: 2026-12-02 14:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd5e3f9b2a416'
down_revision = 'c4d2e8a1f305'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.drop_column('address')
