"""login through the identity provider (a user's stable claim) and two-factor login (a sealed TOTP secret)

Revision ID: a13c0d1e2f30
Revises: 350752914840
Create Date: 2026-12-02 14:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a13c0d1e2f30'
down_revision = '350752914840'
branch_labels = None
depends_on = None


def upgrade():
    # Added columns and a unique index: no table is rebuilt (SQLite), no row is rewritten.
    op.add_column('user', sa.Column('oidc_subject', sa.String(length=255), nullable=True))
    op.add_column('user', sa.Column('totp_secret', sa.String(length=255), nullable=True))
    op.create_index('uq_user_oidc_subject', 'user', ['oidc_subject'], unique=True)


def downgrade():
    op.drop_index('uq_user_oidc_subject', table_name='user')
    with op.batch_alter_table('user') as batch_op:
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('oidc_subject')
