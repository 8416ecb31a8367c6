"""sealed links: the token kept encrypted while handed out, reminders, why a message was not sent

Revision ID: e71a5c0d9b24
Revises: f3b8d2c6a914
Create Date: 2026-12-05 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e71a5c0d9b24'
down_revision = 'f3b8d2c6a914'
branch_labels = None
depends_on = None

NOT_SENT_REASONS = ('revoked', 'answered', 'declined', 'locked', 'expired', 'opened', 'lost')


def upgrade():
    # Links issued before this have no sealed token: they still open, but can only be shown
    # or sent again after "Lav et nyt link".
    with op.batch_alter_table('invitation') as batch_op:
        batch_op.add_column(sa.Column('sealed_token', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.add_column(sa.Column('not_sent_reason', sa.String(length=10), nullable=True))
        batch_op.create_check_constraint(op.f('ck_outbox_message_not_sent_reason'),
                                         f"not_sent_reason IN {NOT_SENT_REASONS}")


def downgrade():
    with op.batch_alter_table('outbox_message') as batch_op:
        batch_op.drop_constraint(op.f('ck_outbox_message_not_sent_reason'), type_='check')
        batch_op.drop_column('not_sent_reason')
    with op.batch_alter_table('invitation') as batch_op:
        batch_op.drop_column('reminded_at')
        batch_op.drop_column('sealed_token')
