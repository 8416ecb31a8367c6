"""figure releases of closed periods, and the organisation's comments on figures

Revision ID: 3ea5f81ef22e
Revises: 3e9b1d7a5c64
Create Date: 2026-12-02 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '3ea5f81ef22e'
down_revision = '3e9b1d7a5c64'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('figure_release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('children', sa.Integer(), nullable=False),
    sa.Column('tables', sa.JSON(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('version >= 1', name=op.f('ck_figure_release_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_release')),
    sa.UniqueConstraint('period', 'scope', 'version', name=op.f('uq_figure_release_period'))
    )
    with op.batch_alter_table('figure_release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figure_release_period'), ['period'], unique=False)

    op.create_table('figure_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('figure', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['written_by_id'], ['user.id'], name=op.f('fk_figure_comment_written_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_figure_comment'))
    )
    with op.batch_alter_table('figure_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figure_comment_scope'), ['scope'], unique=False)


def downgrade():
    with op.batch_alter_table('figure_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figure_comment_scope'))
    op.drop_table('figure_comment')
    with op.batch_alter_table('figure_release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figure_release_period'))
    op.drop_table('figure_release')
