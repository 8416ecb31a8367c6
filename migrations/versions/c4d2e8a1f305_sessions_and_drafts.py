"""sessions that end: the user's session version, and what a user typed when theirs ended

Revision ID: c4d2e8a1f305
Revises: 35dd355c380f
Create Date: 2026-12-02 13:30:00

"""
import sqlalchemy as sa
from alembic import op


revision = 'c4d2e8a1f305'
down_revision = '35dd355c380f'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='1', nullable=False))
    op.create_table('draft',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('draft') as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('draft') as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_user_id'))
    op.drop_table('draft')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('session_version')
