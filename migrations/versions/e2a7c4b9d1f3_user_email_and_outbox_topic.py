"""a case worker's e-mail address, and the topic of an outbox message

Revision ID: e2a7c4b9d1f3
Revises: e7a41c9d2b60
Create Date: 2026-12-10 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e2a7c4b9d1f3'
down_revision = 'e7a41c9d2b60'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('email', sa.String(length=254), nullable=True))
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('topic', sa.String(length=20), nullable=True))


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_column('topic')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('email')
