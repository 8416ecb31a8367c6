"""the case's background; method registrations that answer the key figures; lists as data

Issue 14 items 1 and 3:
- case_background: target group, case type and (when the organisation records it) the child's
  gender, one row per version;
- the fixed lists become data: the CHECK constraints on method_registration.target_group and
  .case_type and on case_closure.reopen_reason go (the forms check the organisation's lists), and
  the columns take a list's longest code;
- a method registration belongs to its case and has a date; its meeting is optional (a method
  offered and not used has none); it says whether the method was held, not used or failed (with
  a reason), whether it was the first or a follow-up meeting, and "the network took on a role"
  is an outcome of its own. Participants and plan coverage only when held.

Existing registrations stay valid: they were held, after their meeting, on its day; whether
the meeting was the first or a follow-up was not asked, so it stays empty (NULL).

Revision ID: 3b9e4c71d0a5
Revises: b52e9d7f1c08
Create Date: 2026-12-02 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '3b9e4c71d0a5'
down_revision = 'b52e9d7f1c08'
branch_labels = None
depends_on = None

TARGET_GROUPS = "('vulnerable', 'disability', 'young_adults', 'infants', 'other')"
CASE_TYPES = ("('notification', 'application', 'initial_assessment', 'investigation', 'ongoing_measure', "
              "'after_care', 'other')")
REOPEN_REASONS = "('notification', 'family_asked', 'plan_failed', 'other')"
OLD_OUTCOMES = "('closed', 'measure', 'continues')"
PARTICIPATION = ('child_took_part', 'parents_took_part', 'network_count', 'professional_count', 'plan_coverage')
PARTICIPATION_TYPES = {'child_took_part': sa.Boolean(), 'parents_took_part': sa.Boolean(),
                       'network_count': sa.Integer(), 'professional_count': sa.Integer(),
                       'plan_coverage': sa.Integer()}

NEW_CHECKS = {
    'status': "status IN ('held', 'not_used', 'failed')",
    'occasion': "occasion IS NULL OR occasion IN ('first', 'follow_up')",
    'held': ("status <> 'held' OR (meeting_id IS NOT NULL AND child_took_part IS NOT NULL AND "
             "parents_took_part IS NOT NULL AND network_count IS NOT NULL AND "
             "professional_count IS NOT NULL AND plan_coverage IS NOT NULL)"),
    'not_held': ("status = 'held' OR (child_took_part IS NULL AND parents_took_part IS NULL AND "
                 "network_count IS NULL AND professional_count IS NULL AND plan_coverage IS NULL)"),
    'failure_reason': ("(status = 'held' AND failure_reason IS NULL AND failure_note IS NULL) OR "
                       "(status <> 'held' AND failure_reason IS NOT NULL)"),
    'outcome_without_meeting': "status = 'held' OR outcome IN ('measure', 'continues')",
    'network_role': "(outcome = 'network_role') = (network_role IS NOT NULL)",
}


def upgrade():
    op.create_table(
        'case_background',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('target_group', sa.String(length=40), nullable=False),
        sa.Column('case_type', sa.String(length=40), nullable=False),
        sa.Column('gender', sa.String(length=10), nullable=True),
        sa.Column('written_by_id', sa.Integer(), nullable=False),
        sa.Column('written_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("gender IS NULL OR gender IN ('girl', 'boy', 'other')", name=op.f('ck_case_background_gender')),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_background_case_id_case'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['written_by_id'], ['user.id'], name=op.f('fk_case_background_written_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_background')),
    )
    with op.batch_alter_table('case_background') as batch_op:
        batch_op.create_index(batch_op.f('ix_case_background_case_id'), ['case_id'], unique=False)

    with op.batch_alter_table('case_closure') as batch_op:
        batch_op.drop_constraint(op.f('ck_case_closure_reopen_reason'), type_='check')
        batch_op.alter_column('reopen_reason', existing_type=sa.String(length=30), type_=sa.String(length=40),
                              existing_nullable=True)

    with op.batch_alter_table('method_registration') as batch_op:
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('occurred_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('status', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('occasion', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('failure_reason', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('failure_note', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('network_role', sa.String(length=300), nullable=True))
    registration = sa.table('method_registration', sa.column('meeting_id', sa.Integer), sa.column('case_id', sa.Integer),
                            sa.column('occurred_on', sa.Date), sa.column('status', sa.String))
    meeting = sa.table('meeting', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer),
                       sa.column('held_on', sa.Date))
    op.execute(registration.update().values(
        case_id=sa.select(meeting.c.case_id).where(meeting.c.id == registration.c.meeting_id).scalar_subquery(),
        occurred_on=sa.select(meeting.c.held_on).where(meeting.c.id == registration.c.meeting_id).scalar_subquery(),
        status='held',
    ))
    with op.batch_alter_table('method_registration') as batch_op:
        for name in ('target_group', 'case_type', 'outcome'):
            batch_op.drop_constraint(op.f(f'ck_method_registration_{name}'), type_='check')
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('occurred_on', existing_type=sa.Date(), nullable=False)
        batch_op.alter_column('status', existing_type=sa.String(length=10), nullable=False)
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=True)
        for name in PARTICIPATION:
            batch_op.alter_column(name, existing_type=PARTICIPATION_TYPES[name], nullable=True)
        batch_op.alter_column('target_group', existing_type=sa.String(length=20), type_=sa.String(length=40),
                              existing_nullable=False)
        batch_op.alter_column('case_type', existing_type=sa.String(length=20), type_=sa.String(length=40),
                              existing_nullable=False)
        batch_op.create_index(batch_op.f('ix_method_registration_case_id'), ['case_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_method_registration_case_id_case'), 'case', ['case_id'], ['id'],
                                    ondelete='CASCADE')
        batch_op.create_check_constraint(op.f('ck_method_registration_outcome'),
                                         "outcome IN ('closed', 'measure', 'network_role', 'continues')")
        for name, condition in NEW_CHECKS.items():
            batch_op.create_check_constraint(op.f(f'ck_method_registration_{name}'), condition)


def downgrade():
    # Refused by the database while a registration has no meeting, or a list's code the old
    # constraints do not know: registrations are never changed or deleted here.
    with op.batch_alter_table('method_registration') as batch_op:
        for name in (*NEW_CHECKS, 'outcome'):
            batch_op.drop_constraint(op.f(f'ck_method_registration_{name}'), type_='check')
        batch_op.drop_constraint(op.f('fk_method_registration_case_id_case'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_method_registration_case_id'))
        batch_op.alter_column('case_type', existing_type=sa.String(length=40), type_=sa.String(length=20),
                              existing_nullable=False)
        batch_op.alter_column('target_group', existing_type=sa.String(length=40), type_=sa.String(length=20),
                              existing_nullable=False)
        for name in PARTICIPATION:
            batch_op.alter_column(name, existing_type=PARTICIPATION_TYPES[name], nullable=False)
        batch_op.alter_column('meeting_id', existing_type=sa.Integer(), nullable=False)
        for name in ('network_role', 'failure_note', 'failure_reason', 'occasion', 'status', 'occurred_on', 'case_id'):
            batch_op.drop_column(name)
        batch_op.create_check_constraint(op.f('ck_method_registration_outcome'), f"outcome IN {OLD_OUTCOMES}")
        batch_op.create_check_constraint(op.f('ck_method_registration_case_type'), f"case_type IN {CASE_TYPES}")
        batch_op.create_check_constraint(op.f('ck_method_registration_target_group'),
                                         f"target_group IN {TARGET_GROUPS}")
    with op.batch_alter_table('case_closure') as batch_op:
        batch_op.alter_column('reopen_reason', existing_type=sa.String(length=40), type_=sa.String(length=30),
                              existing_nullable=True)
        batch_op.create_check_constraint(op.f('ck_case_closure_reopen_reason'),
                                         f"reopen_reason IS NULL OR reopen_reason IN {REOPEN_REASONS}")
    with op.batch_alter_table('case_background') as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_background_case_id'))
    op.drop_table('case_background')
