"""meeting kind fit_session (FIT-samtale)

Revision ID: 7c1e0f5a9b32
Revises: d5e3f9b2a416
Create Date: 2026-11-23 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c1e0f5a9b32'
down_revision = 'd5e3f9b2a416'
branch_labels = None
depends_on = None

KINDS = "'network_meeting', 'family_group_conference', 'startup', 'follow_up', 'action_plan', 'notification', 'informal'"


def upgrade():
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meeting_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_meeting_kind'), f"kind IN ({KINDS}, 'fit_session')")


def downgrade():
    # Refused by the database while a FIT-samtale is recorded: its answers are never deleted here.
    with op.batch_alter_table('meeting', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_meeting_kind'), type_='check')
        batch_op.create_check_constraint(op.f('ck_meeting_kind'), f"kind IN ({KINDS})")
