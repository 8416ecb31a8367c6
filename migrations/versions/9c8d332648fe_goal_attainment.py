"""the case worker's goal attainment per action-plan goal and follow-up meeting (goal_attainment)

Issue 14 item 4: kept as written; a change is a correction that names the row it corrects.

Revision ID: 9c8d332648fe
Revises: 98eb5017e5e0
Create Date: 2026-12-02 18:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = '9c8d332648fe'
down_revision = '98eb5017e5e0'
branch_labels = None
depends_on = None

ATTAINMENT_STEPS = "('full', 'high', 'some', 'none', 'not_relevant', 'not_followed_up')"


def upgrade():
    op.create_table('goal_attainment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('goal_version', sa.Integer(), nullable=False),
    sa.Column('attainment', sa.String(length=20), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint(f"attainment IN {ATTAINMENT_STEPS}", name=op.f('ck_goal_attainment_attainment')),
    sa.CheckConstraint('goal_version >= 1', name=op.f('ck_goal_attainment_goal_version')),
    sa.ForeignKeyConstraint(['corrects_id'], ['goal_attainment.id'], name=op.f('fk_goal_attainment_corrects_id_goal_attainment')),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_attainment_goal_id_goal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_goal_attainment_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_goal_attainment_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_attainment')),
    sa.UniqueConstraint('corrects_id', name=op.f('uq_goal_attainment_corrects_id'))
    )
    op.create_index(op.f('ix_goal_attainment_goal_id'), 'goal_attainment', ['goal_id'], unique=False)
    op.create_index(op.f('ix_goal_attainment_meeting_id'), 'goal_attainment', ['meeting_id'], unique=False)
    op.create_index('uq_goal_attainment_first', 'goal_attainment', ['goal_id', 'meeting_id'], unique=True,
                    sqlite_where=sa.text('corrects_id IS NULL'), postgresql_where=sa.text('corrects_id IS NULL'))


def downgrade():
    op.drop_index('uq_goal_attainment_first', table_name='goal_attainment')
    op.drop_index(op.f('ix_goal_attainment_meeting_id'), table_name='goal_attainment')
    op.drop_index(op.f('ix_goal_attainment_goal_id'), table_name='goal_attainment')
    op.drop_table('goal_attainment')
