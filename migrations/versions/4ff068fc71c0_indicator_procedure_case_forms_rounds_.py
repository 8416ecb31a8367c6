"""indicator procedure, case forms, rounds, scorings and final scores

Revision ID: 4ff068fc71c0
Revises: 5df6295cd127
Create Date: 2026-11-22 13:52:03.184810

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '4ff068fc71c0'
down_revision = '5df6295cd127'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('indicator_procedure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scorers', sa.JSON(), nullable=False),
    sa.Column('together', sa.Boolean(), nullable=False),
    sa.Column('rhythm_months', sa.Integer(), nullable=False),
    sa.Column('default_form', sa.String(length=80), nullable=False),
    sa.Column('family_split', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('rhythm_months IN (4, 6)', name=op.f('ck_indicator_procedure_rhythm')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_indicator_procedure_updated_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_procedure'))
    )
    op.create_table('case_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=80), nullable=False),
    sa.Column('intake_on', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_indicators_case_id_case'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_indicators')),
    sa.UniqueConstraint('case_id', name=op.f('uq_case_indicators_case_id'))
    )
    op.create_table('final_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('factor', sa.String(length=40), nullable=False),
    sa.Column('status', sa.Integer(), nullable=True),
    sa.Column('dont_know', sa.Boolean(), nullable=False),
    sa.Column('goal', sa.Integer(), nullable=True),
    sa.Column('level', sa.String(length=1), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('family_note', sa.Text(), nullable=False),
    sa.Column('unscored', sa.Boolean(), nullable=False),
    sa.Column('set_by_id', sa.Integer(), nullable=False),
    sa.Column('set_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("level IS NULL OR level IN ('A', 'B', 'C', 'D', 'E')", name=op.f('ck_final_score_level')),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_final_score_round_id_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by_id'], ['user.id'], name=op.f('fk_final_score_set_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_final_score'))
    )
    with op.batch_alter_table('final_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_final_score_round_id'), ['round_id'], unique=False)

    op.create_table('indicator_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.String(length=80), nullable=False),
    sa.Column('form_version', sa.Integer(), nullable=False),
    sa.Column('family_split', sa.Boolean(), nullable=False),
    sa.Column('together', sa.Boolean(), nullable=False),
    sa.Column('scorers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_indicator_round_round_id_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_round')),
    sa.UniqueConstraint('round_id', name=op.f('uq_indicator_round_round_id'))
    )
    op.create_table('staff_scoring',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('scored_by_id', sa.Integer(), nullable=False),
    sa.Column('together', sa.Boolean(), nullable=False),
    sa.Column('took_part', sa.JSON(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=False),
    sa.Column('superseded_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['round_id'], ['round.id'], name=op.f('fk_staff_scoring_round_id_round'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scored_by_id'], ['user.id'], name=op.f('fk_staff_scoring_scored_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_scoring'))
    )
    with op.batch_alter_table('staff_scoring', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_scoring_round_id'), ['round_id'], unique=False)

    # ### end Alembic commands ###


def downgrade():
    with op.batch_alter_table('staff_scoring', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_scoring_round_id'))

    op.drop_table('staff_scoring')
    op.drop_table('indicator_round')
    with op.batch_alter_table('final_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_final_score_round_id'))

    op.drop_table('final_score')
    op.drop_table('case_indicators')
    op.drop_table('indicator_procedure')
    # ### end Alembic commands ###
