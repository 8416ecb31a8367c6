"""stand-ins for absent case workers (issue 13): who works whose cases, from which day to which

Revision ID: 5a1e7c3b9d02
Revises: ef15751d0388
Create Date: 2026-12-02 17:17:40

"""
import sqlalchemy as sa
from alembic import op

revision = '5a1e7c3b9d02'
down_revision = 'ef15751d0388'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stand_in',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('absent_id', sa.Integer(), nullable=False),
    sa.Column('stand_in_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.Column('given_by_id', sa.Integer(), nullable=True),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('absent_id <> stand_in_id', name=op.f('ck_stand_in_not_oneself')),
    sa.CheckConstraint('ends_on >= starts_on', name=op.f('ck_stand_in_period')),
    sa.ForeignKeyConstraint(['absent_id'], ['user.id'], name=op.f('fk_stand_in_absent_id_user')),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user.id'], name=op.f('fk_stand_in_ended_by_id_user')),
    sa.ForeignKeyConstraint(['given_by_id'], ['user.id'], name=op.f('fk_stand_in_given_by_id_user')),
    sa.ForeignKeyConstraint(['stand_in_id'], ['user.id'], name=op.f('fk_stand_in_stand_in_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stand_in'))
    )
    op.create_index(op.f('ix_stand_in_absent_id'), 'stand_in', ['absent_id'], unique=False)
    op.create_index(op.f('ix_stand_in_stand_in_id'), 'stand_in', ['stand_in_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_stand_in_stand_in_id'), table_name='stand_in')
    op.drop_index(op.f('ix_stand_in_absent_id'), table_name='stand_in')
    op.drop_table('stand_in')
