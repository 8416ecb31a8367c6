"""departments above teams, if the organisation wants them (issue 13); a team belongs to one or none

Revision ID: 3e9b1d7a5c64
Revises: 8c2f4a6d1e37
Create Date: 2026-12-02 17:37:10

"""
import sqlalchemy as sa
from alembic import op

revision = '3e9b1d7a5c64'
down_revision = '8c2f4a6d1e37'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department')),
    sa.UniqueConstraint('name', name=op.f('uq_department_name'))
    )
    # SQLite adds a foreign key only by rebuilding the table (batch); no row changes.
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('department_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_team_department_id'), ['department_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_team_department_id_department'), 'department',
                                    ['department_id'], ['id'])


def downgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_team_department_id_department'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_team_department_id'))
        batch_op.drop_column('department_id')

    op.drop_table('department')
