"""the client address of every audit entry

Revision ID: i12_audit_address
Revises: i12_sessions
Create Date: 2026-12-02 14:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'i12_audit_address'
down_revision = 'i12_sessions'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))


def downgrade():
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.drop_column('address')
