"""the organisation's settings, kept in the database

Revision ID: b52e9d7f1c08
Revises: a1c4e7b93d20
Create Date: 2026-12-02 14:50:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'b52e9d7f1c08'
down_revision = 'a1c4e7b93d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('setting',
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user.id'], name=op.f('fk_setting_changed_by_id_user')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )


def downgrade():
    op.drop_table('setting')
