"""submission ids: each rendered respondent form is stored once

Revision ID: 350752914840
Revises: e71a5c0d9b24
Create Date: 2026-12-09 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '350752914840'
down_revision = 'e71a5c0d9b24'
branch_labels = None
depends_on = None


def upgrade():
    # Added columns and unique indexes: no table is rebuilt (SQLite), no row is rewritten.
    op.add_column('response', sa.Column('submission_id', sa.String(length=64), nullable=True))
    op.create_index('uq_response_submission', 'response', ['submission_id', 'instrument_id'], unique=True)
    op.add_column('observation', sa.Column('submission_id', sa.String(length=64), nullable=True))
    op.create_index('uq_observation_submission', 'observation', ['submission_id'], unique=True)


def downgrade():
    op.drop_index('uq_observation_submission', table_name='observation')
    with op.batch_alter_table('observation') as batch_op:
        batch_op.drop_column('submission_id')
    op.drop_index('uq_response_submission', table_name='response')
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_column('submission_id')
