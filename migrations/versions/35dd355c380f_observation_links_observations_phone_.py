"""observation links, observations, phone follow-ups, method registrations, re-openings

Revision ID: 35dd355c380f
Revises: 4ff068fc71c0
Create Date: 2026-11-22 13:50:58.745664

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '35dd355c380f'
down_revision = '4ff068fc71c0'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reopening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('reopened_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_reopening_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_reopening_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reopening'))
    )
    with op.batch_alter_table('reopening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reopening_case_id'), ['case_id'], unique=False)

    op.create_table('method_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=30), nullable=False),
    sa.Column('target_group', sa.String(length=20), nullable=False),
    sa.Column('case_type', sa.String(length=20), nullable=False),
    sa.Column('child_took_part', sa.Boolean(), nullable=False),
    sa.Column('parents_took_part', sa.Boolean(), nullable=False),
    sa.Column('network_count', sa.Integer(), nullable=False),
    sa.Column('professional_count', sa.Integer(), nullable=False),
    sa.Column('plan_coverage', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("case_type IN ('notification', 'application', 'investigation', 'ongoing_measure', 'after_care', 'other')", name=op.f('ck_method_registration_case_type')),
    sa.CheckConstraint("method IN ('network_meeting', 'family_group_conference')", name=op.f('ck_method_registration_method')),
    sa.CheckConstraint("outcome IN ('closed', 'measure', 'continues')", name=op.f('ck_method_registration_outcome')),
    sa.CheckConstraint("target_group IN ('vulnerable', 'disability', 'young_adults', 'infants', 'other')", name=op.f('ck_method_registration_target_group')),
    sa.CheckConstraint('network_count BETWEEN 0 AND 99', name=op.f('ck_method_registration_network_count')),
    sa.CheckConstraint('plan_coverage BETWEEN 1 AND 5', name=op.f('ck_method_registration_plan_coverage')),
    sa.CheckConstraint('professional_count BETWEEN 0 AND 99', name=op.f('ck_method_registration_professional_count')),
    sa.ForeignKeyConstraint(['corrects_id'], ['method_registration.id'], name=op.f('fk_method_registration_corrects_id_method_registration')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_method_registration_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user.id'], name=op.f('fk_method_registration_registered_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_method_registration')),
    sa.UniqueConstraint('corrects_id', name=op.f('uq_method_registration_corrects_id'))
    )
    with op.batch_alter_table('method_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_method_registration_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_method_registration_first', ['meeting_id'], unique=True, sqlite_where=sa.text('corrects_id IS NULL'), postgresql_where=sa.text('corrects_id IS NULL'))

    op.create_table('observation_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_observation_link_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_observation_link_created_by_id_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_observation_link_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation_link')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_observation_link_token_hash'))
    )
    with op.batch_alter_table('observation_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_link_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_link_person_id'), ['person_id'], unique=False)

    op.create_table('phone_follow_up',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('reached', sa.Boolean(), nullable=False),
    sa.Column('started', sa.String(length=10), nullable=True),
    sa.Column('helps', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("started IN ('yes', 'partly', 'no')", name=op.f('ck_phone_follow_up_started')),
    sa.CheckConstraint('helps BETWEEN 1 AND 5', name=op.f('ck_phone_follow_up_helps')),
    sa.ForeignKeyConstraint(['corrects_id'], ['phone_follow_up.id'], name=op.f('fk_phone_follow_up_corrects_id_phone_follow_up')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_phone_follow_up_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_phone_follow_up_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_phone_follow_up_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phone_follow_up')),
    sa.UniqueConstraint('corrects_id', name=op.f('uq_phone_follow_up_corrects_id'))
    )
    with op.batch_alter_table('phone_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phone_follow_up_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index('uq_phone_follow_up_first', ['meeting_id', 'person_id'], unique=True, sqlite_where=sa.text('corrects_id IS NULL'), postgresql_where=sa.text('corrects_id IS NULL'))

    op.create_table('observation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('link_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('goal_version', sa.Integer(), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("kind IN ('positive', 'negative', 'mixed')", name=op.f('ck_observation_kind')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_observation_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_observation_goal_id_goal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['link_id'], ['observation_link.id'], name=op.f('fk_observation_link_id_observation_link'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observation'))
    )
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_observation_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_observation_link_id'), ['link_id'], unique=False)

    op.create_table('decision_observation',
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.Column('observation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_observation_decision_id_decision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['observation_id'], ['observation.id'], name=op.f('fk_decision_observation_observation_id_observation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('decision_id', 'observation_id', name=op.f('pk_decision_observation'))
    )


def downgrade():
    op.drop_table('decision_observation')
    with op.batch_alter_table('observation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_link_id'))
        batch_op.drop_index(batch_op.f('ix_observation_case_id'))

    op.drop_table('observation')
    with op.batch_alter_table('phone_follow_up', schema=None) as batch_op:
        batch_op.drop_index('uq_phone_follow_up_first', sqlite_where=sa.text('corrects_id IS NULL'), postgresql_where=sa.text('corrects_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_phone_follow_up_meeting_id'))

    op.drop_table('phone_follow_up')
    with op.batch_alter_table('observation_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_observation_link_person_id'))
        batch_op.drop_index(batch_op.f('ix_observation_link_case_id'))

    op.drop_table('observation_link')
    with op.batch_alter_table('method_registration', schema=None) as batch_op:
        batch_op.drop_index('uq_method_registration_first', sqlite_where=sa.text('corrects_id IS NULL'), postgresql_where=sa.text('corrects_id IS NULL'))
        batch_op.drop_index(batch_op.f('ix_method_registration_meeting_id'))

    op.drop_table('method_registration')
    with op.batch_alter_table('reopening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reopening_case_id'))

    op.drop_table('reopening')
