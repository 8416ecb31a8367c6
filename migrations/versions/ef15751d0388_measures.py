"""a case's measures on the intervention ladder, each change a version (issue 14 item 2)

Revision ID: ef15751d0388
Revises: 9c8d332648fe
Create Date: 2026-12-02 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'ef15751d0388'
down_revision = '9c8d332648fe'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('measure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_measure_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_measure_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_case_id'), ['case_id'], unique=False)

    op.create_table('measure_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('rung', sa.String(length=40), nullable=False),
    sa.Column('provider', sa.String(length=40), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('end_reason', sa.String(length=40), nullable=True),
    sa.Column('end_note', sa.Text(), nullable=True),
    sa.Column('written_at', sa.DateTime(), nullable=False),
    sa.Column('written_by_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_measure_version_number')),
    sa.CheckConstraint('ended_on IS NULL OR ended_on >= started_on', name=op.f('ck_measure_version_dates')),
    sa.CheckConstraint('(ended_on IS NULL AND end_reason IS NULL) OR (ended_on IS NOT NULL AND end_reason IS NOT NULL)',
                       name=op.f('ck_measure_version_end_reason')),
    sa.CheckConstraint('end_note IS NULL OR ended_on IS NOT NULL', name=op.f('ck_measure_version_end_note')),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name=op.f('fk_measure_version_measure_id_measure'),
                            ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['written_by_id'], ['user.id'], name=op.f('fk_measure_version_written_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_version')),
    sa.UniqueConstraint('measure_id', 'number', name=op.f('uq_measure_version_measure_id'))
    )


def downgrade():
    op.drop_table('measure_version')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_case_id'))
    op.drop_table('measure')
