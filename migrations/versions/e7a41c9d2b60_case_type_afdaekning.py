"""case type initial_assessment (Afdækning)

Revision ID: e7a41c9d2b60
Revises: 7c1e0f5a9b32
Create Date: 2026-12-03 10:00:00.000000

"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e7a41c9d2b60'
down_revision = '7c1e0f5a9b32'
branch_labels = None
depends_on = None

OLD = "'notification', 'application', 'investigation', 'ongoing_measure', 'after_care', 'other'"
NEW = ("'notification', 'application', 'initial_assessment', 'investigation', 'ongoing_measure', 'after_care', "
       "'other'")


def upgrade():
    with op.batch_alter_table('method_registration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_method_registration_case_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_method_registration_case_type'), f"case_type IN ({NEW})")


def downgrade():
    # Refused by the database while a registration has the case type Afdækning: registrations are
    # never changed or deleted here.
    with op.batch_alter_table('method_registration', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_method_registration_case_type'), type_='check')
        batch_op.create_check_constraint(op.f('ck_method_registration_case_type'), f"case_type IN ({OLD})")
