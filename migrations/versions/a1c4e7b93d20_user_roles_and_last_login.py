"""roles in a table of their own (a user may hold several, analyst is new); each user's last login

Revision ID: a1c4e7b93d20
Revises: a13c0d1e2f30
Create Date: 2026-12-02 14:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a1c4e7b93d20'
down_revision = 'a13c0d1e2f30'
branch_labels = None
depends_on = None

ROLES = "('caseworker', 'team_leader', 'leader', 'analyst', 'admin')"
OLD_ROLES = "('caseworker', 'team_leader', 'leader', 'admin')"


def upgrade():
    op.create_table(
        'user_role',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=20), nullable=False),
        sa.CheckConstraint(f"role IN {ROLES}", name=op.f('ck_user_role_role')),
        sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_user_role_user_id_user'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_role')),
    )
    # Each user keeps the one role they had.
    op.execute('INSERT INTO user_role (user_id, role) SELECT id, role FROM "user"')
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('last_login_at', sa.DateTime(), nullable=True))
        batch_op.drop_constraint(op.f('ck_user_role'), type_='check')
        batch_op.drop_column('role')


def downgrade():
    with op.batch_alter_table('user') as batch_op:
        batch_op.add_column(sa.Column('role', sa.String(length=20), nullable=False, server_default='caseworker'))
        batch_op.drop_column('last_login_at')
    # One role each: of those held, the last in this list (an analyst becomes a leader).
    for held, kept in (('caseworker', 'caseworker'), ('analyst', 'leader'), ('leader', 'leader'), ('admin', 'admin'),
                       ('team_leader', 'team_leader')):
        op.execute(f"UPDATE \"user\" SET role = '{kept}' WHERE id IN (SELECT user_id FROM user_role WHERE role = '{held}')")
    with op.batch_alter_table('user') as batch_op:
        batch_op.alter_column('role', server_default=None)
        batch_op.create_check_constraint('role', f"role IN {OLD_ROLES}")
    op.drop_table('user_role')
