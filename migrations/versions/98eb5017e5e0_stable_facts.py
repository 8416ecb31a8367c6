"""stable facts for counting: the respondent's role and relation, and the form's total, kept with each answer

Issue 14 item 5. A response keeps the respondent's role and relation as they were when it was
saved, the form's total (a sum, FIT) or mean (participation), and its FIT signal level; an
invitation keeps the role the person was asked in. Rows from before this migration get today's
role and relation of their person, marked role_filled_later, and their totals and signal
levels worked out now from the answers, in meeting order (with the forms as the catalogue
holds them, when the catalogue is loaded).

Revision ID: 98eb5017e5e0
Revises: 3b9e4c71d0a5
Create Date: 2026-12-02 17:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '98eb5017e5e0'
down_revision = '3b9e4c71d0a5'
branch_labels = None
depends_on = None

PERSON_ROLES = "('child', 'mother', 'father', 'carer', 'network', 'provider', 'school')"

person = sa.table('person', sa.column('id', sa.Integer), sa.column('role', sa.String),
                  sa.column('relation', sa.String))
invitation = sa.table('invitation', sa.column('id', sa.Integer), sa.column('person_id', sa.Integer),
                      sa.column('round_id', sa.Integer),
                      sa.column('respondent_role', sa.String), sa.column('role_filled_later', sa.Boolean))
response = sa.table('response', sa.column('id', sa.Integer), sa.column('invitation_id', sa.Integer),
                    sa.column('instrument_id', sa.String), sa.column('answers', sa.JSON),
                    sa.column('declined', sa.Boolean), sa.column('respondent_role', sa.String),
                    sa.column('respondent_relation', sa.String), sa.column('role_filled_later', sa.Boolean),
                    sa.column('score_total', sa.Float), sa.column('score_mean', sa.Float),
                    sa.column('signal_level', sa.String), sa.column('superseded_at', sa.DateTime))
round_ = sa.table('round', sa.column('id', sa.Integer), sa.column('meeting_id', sa.Integer))
meeting = sa.table('meeting', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer),
                   sa.column('held_on', sa.Date))
case = sa.table('case', sa.column('id', sa.Integer), sa.column('child_birth_year', sa.Integer))


def upgrade():
    op.add_column('invitation', sa.Column('respondent_role', sa.String(length=20), nullable=True))
    op.add_column('invitation', sa.Column('role_filled_later', sa.Boolean(), server_default=sa.false(),
                                          nullable=False))
    op.add_column('response', sa.Column('respondent_role', sa.String(length=20), nullable=True))
    op.add_column('response', sa.Column('respondent_relation', sa.String(length=120), nullable=True))
    op.add_column('response', sa.Column('role_filled_later', sa.Boolean(), server_default=sa.false(),
                                        nullable=False))
    op.add_column('response', sa.Column('score_total', sa.Float(), nullable=True))
    op.add_column('response', sa.Column('score_mean', sa.Float(), nullable=True))
    op.add_column('response', sa.Column('signal_level', sa.String(length=10), nullable=True))
    _fill_roles()
    _fill_totals(op.get_bind())
    with op.batch_alter_table('invitation') as batch_op:
        batch_op.alter_column('respondent_role', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(op.f('ck_invitation_respondent_role'), f"respondent_role IN {PERSON_ROLES}")
    with op.batch_alter_table('response') as batch_op:
        batch_op.alter_column('respondent_role', existing_type=sa.String(length=20), nullable=False)
        batch_op.create_check_constraint(op.f('ck_response_respondent_role'), f"respondent_role IN {PERSON_ROLES}")
        batch_op.create_check_constraint(op.f('ck_response_signal_level'),
                                         "signal_level IN ('grey', 'green', 'orange', 'red')")


def _fill_roles():
    """Every row made before the columns gets its person's role (and relation) of today, marked as filled later."""
    asked = sa.select(person.c.role).where(person.c.id == invitation.c.person_id).scalar_subquery()
    op.execute(invitation.update().values(respondent_role=asked, role_filled_later=True))

    def of_person(column):
        return (sa.select(column).where(person.c.id == invitation.c.person_id,
                                        invitation.c.id == response.c.invitation_id).scalar_subquery())

    op.execute(response.update().values(
        respondent_role=of_person(person.c.role),
        respondent_relation=of_person(person.c.relation),
        role_filled_later=True,
    ))


def _fill_totals(connection):
    """Score each earlier answer as saving it scores it now, and read its FIT signals against the
    same person's earlier current answers in meeting order; without the catalogue (no app), they stay empty."""
    from flask import current_app, has_app_context

    if not has_app_context() or "instruments" not in current_app.extensions:
        return
    from app.instruments import Instrument, score
    from app.reconcile.signals import Measurement, signal_level

    catalogue = current_app.extensions["instruments"]
    rows = connection.execute(
        sa.select(response.c.id, response.c.instrument_id, response.c.answers, response.c.superseded_at,
                  invitation.c.person_id, meeting.c.held_on, round_.c.id.label("round_id"), case.c.child_birth_year)
        .join(invitation, invitation.c.id == response.c.invitation_id)
        .join(round_, round_.c.id == invitation.c.round_id)
        .join(meeting, meeting.c.id == round_.c.meeting_id)
        .join(case, case.c.id == meeting.c.case_id)
        .where(response.c.declined.is_(sa.false()))
        .order_by(meeting.c.held_on, round_.c.id, response.c.id)
    ).all()
    series = {}  # (person, form) -> the current complete FIT answers so far, in meeting order
    filled = []
    for row in rows:
        form = catalogue.get(row.instrument_id) if row.instrument_id in catalogue else None
        if not isinstance(form, Instrument):
            continue
        scored = score(form, row.answers or {})
        level = None
        if scored.total is not None and form.is_fit:
            latest = Measurement(scored.total, row.answers or {}, row.held_on.year - row.child_birth_year)
            earlier = series.setdefault((row.person_id, form.id), [])
            level = signal_level(form, [*earlier, latest])
            if row.superseded_at is None:
                earlier.append(latest)
        if scored.total is not None or scored.mean is not None:
            filled.append({"row_id": row.id, "total": scored.total, "mean": scored.mean, "level": level})
    if filled:
        connection.execute(
            response.update().where(response.c.id == sa.bindparam("row_id"))
            .values(score_total=sa.bindparam("total"), score_mean=sa.bindparam("mean"),
                    signal_level=sa.bindparam("level")),
            filled,
        )


def downgrade():
    with op.batch_alter_table('response') as batch_op:
        batch_op.drop_constraint(op.f('ck_response_signal_level'), type_='check')
        batch_op.drop_constraint(op.f('ck_response_respondent_role'), type_='check')
        batch_op.drop_column('signal_level')
        batch_op.drop_column('score_mean')
        batch_op.drop_column('score_total')
        batch_op.drop_column('role_filled_later')
        batch_op.drop_column('respondent_relation')
        batch_op.drop_column('respondent_role')
    with op.batch_alter_table('invitation') as batch_op:
        batch_op.drop_constraint(op.f('ck_invitation_respondent_role'), type_='check')
        batch_op.drop_column('role_filled_later')
        batch_op.drop_column('respondent_role')
