"""closing and re-opening a case (case_closure), decisions filed in the case system (decision_filing)

The closure record becomes the one source of truth (issue 12 item 14): a method registration
with the outcome "closed" points to its closing, and the re-openings (table reopening, a date
and free text of their own) become the second half of a closing. Nothing is lost:

- each line of method registrations whose registration in force says "closed" becomes a closing
  ("closed without further measure" after that meeting, dated the day it was first registered so),
  unless the case was already closed then, and its "closed" registrations point to it;
- a case's closed_at, set by hand before there was a closure record, becomes a closing too;
- each re-opening fills in the closing in force then; one with none before it gets a closing of
  its own, reason "not_recorded" and no date (it was closed before Samstem knew). Its free text
  is kept word for word as the re-opening's note, with the reason "other".

Revision ID: f3b8d2c6a914
Revises: e2a7c4b9d1f3
Create Date: 2026-12-03 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'f3b8d2c6a914'
down_revision = 'e2a7c4b9d1f3'
branch_labels = None
depends_on = None

CLOSE_REASONS = "('closed_no_measure', 'measure_ended', 'moved', 'aged_out', 'transferred', 'other', 'not_recorded')"
REOPEN_REASONS = "('notification', 'family_asked', 'plan_failed', 'other')"

# A Table, not a table(): inserting a closing gives back its id.
closure = sa.Table(
    'case_closure', sa.MetaData(), sa.Column('id', sa.Integer, primary_key=True), sa.Column('case_id', sa.Integer),
    sa.Column('closed_on', sa.Date), sa.Column('reason', sa.String), sa.Column('meeting_id', sa.Integer),
    sa.Column('note', sa.Text), sa.Column('closed_by_id', sa.Integer), sa.Column('closed_at', sa.DateTime),
    sa.Column('reopened_on', sa.Date), sa.Column('reopen_reason', sa.String), sa.Column('reopen_note', sa.Text),
    sa.Column('reopened_by_id', sa.Integer), sa.Column('reopened_at', sa.DateTime),
)
registration = sa.table(
    'method_registration', sa.column('id', sa.Integer), sa.column('meeting_id', sa.Integer),
    sa.column('outcome', sa.String), sa.column('corrects_id', sa.Integer), sa.column('registered_by_id', sa.Integer),
    sa.column('registered_at', sa.DateTime), sa.column('closure_id', sa.Integer),
)
meeting = sa.table('meeting', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer))
reopening = sa.table(
    'reopening', sa.column('id', sa.Integer), sa.column('case_id', sa.Integer), sa.column('reopened_on', sa.Date),
    sa.column('reason', sa.Text), sa.column('recorded_by_id', sa.Integer), sa.column('recorded_at', sa.DateTime),
)
case = sa.table('case', sa.column('id', sa.Integer), sa.column('closed_at', sa.DateTime))


def upgrade():
    _create_tables()
    with op.batch_alter_table('method_registration') as batch_op:
        batch_op.add_column(sa.Column('closure_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_method_registration_closure_id'), ['closure_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_method_registration_closure_id_case_closure'),
                                    'case_closure', ['closure_id'], ['id'])
        batch_op.create_check_constraint(op.f('ck_method_registration_closure'),
                                         "closure_id IS NULL OR outcome = 'closed'")
    _move_into_closures(op.get_bind())
    with op.batch_alter_table('reopening') as batch_op:
        batch_op.drop_index(batch_op.f('ix_reopening_case_id'))
    op.drop_table('reopening')
    with op.batch_alter_table('case') as batch_op:
        batch_op.drop_column('closed_at')


def _create_tables():
    op.create_table(
        'case_closure',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('reason', sa.String(length=30), nullable=False),
        sa.Column('meeting_id', sa.Integer(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('closed_at', sa.DateTime(), nullable=False),
        sa.Column('reopened_on', sa.Date(), nullable=True),
        sa.Column('reopen_reason', sa.String(length=30), nullable=True),
        sa.Column('reopen_note', sa.Text(), nullable=True),
        sa.Column('reopened_by_id', sa.Integer(), nullable=True),
        sa.Column('reopened_at', sa.DateTime(), nullable=True),
        sa.Column('purged_at', sa.DateTime(), nullable=True),
        sa.CheckConstraint(f"reason IN {CLOSE_REASONS}", name=op.f('ck_case_closure_reason')),
        sa.CheckConstraint(f"reopen_reason IS NULL OR reopen_reason IN {REOPEN_REASONS}",
                           name=op.f('ck_case_closure_reopen_reason')),
        sa.CheckConstraint("closed_on IS NOT NULL OR reason = 'not_recorded'", name=op.f('ck_case_closure_closed_on')),
        sa.CheckConstraint("(reopened_on IS NULL AND reopen_reason IS NULL) OR "
                           "(reopened_on IS NOT NULL AND reopen_reason IS NOT NULL)",
                           name=op.f('ck_case_closure_reopened')),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_closure_case_id_case'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_case_closure_meeting_id_meeting'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_case_closure_closed_by_id_user')),
        sa.ForeignKeyConstraint(['reopened_by_id'], ['user.id'], name=op.f('fk_case_closure_reopened_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_case_closure')),
    )
    with op.batch_alter_table('case_closure') as batch_op:
        batch_op.create_index(batch_op.f('ix_case_closure_case_id'), ['case_id'], unique=False)
        batch_op.create_index('uq_case_closure_open', ['case_id'], unique=True,
                              sqlite_where=sa.text('reopened_on IS NULL'),
                              postgresql_where=sa.text('reopened_on IS NULL'))
    op.create_table(
        'decision_filing',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('decision_id', sa.Integer(), nullable=False),
        sa.Column('filed_on', sa.Date(), nullable=False),
        sa.Column('filed_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_filing_decision_id_decision'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['filed_by_id'], ['user.id'], name=op.f('fk_decision_filing_filed_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_filing')),
        sa.UniqueConstraint('decision_id', name=op.f('uq_decision_filing_decision_id')),
    )


# --- the data: registrations, closed_at and re-openings become closings --------------------


def _closing_events(connection) -> list[tuple]:
    """Every closing the old tables tell of, as (case_id, day, order, kind, facts): a registration
    line whose registration in force says "closed", and a case's closed_at."""
    rows = connection.execute(
        sa.select(registration.c.id, registration.c.meeting_id, registration.c.outcome, registration.c.corrects_id,
                  registration.c.registered_by_id, registration.c.registered_at, meeting.c.case_id)
        .select_from(registration.join(meeting, meeting.c.id == registration.c.meeting_id))
        .order_by(registration.c.id)
    ).all()
    corrected = {row.corrects_id for row in rows if row.corrects_id is not None}
    lines: dict[int, list] = {}
    for row in rows:
        lines.setdefault(row.meeting_id, []).append(row)
    events = []
    for line in lines.values():
        in_force = next(row for row in reversed(line) if row.id not in corrected)
        if in_force.outcome != 'closed':
            continue
        closed = [row for row in line if row.outcome == 'closed']
        first = closed[0]
        events.append((first.case_id, first.registered_at.date(), 0, 'registration', first.id, {
            'meeting_id': first.meeting_id, 'closed_by_id': first.registered_by_id, 'closed_at': first.registered_at,
            'registrations': [row.id for row in closed]}))
    for row in connection.execute(sa.select(case.c.id, case.c.closed_at).where(case.c.closed_at.is_not(None))):
        events.append((row.id, row.closed_at.date(), 0, 'closed_at', 0, {'closed_at': row.closed_at}))
    return events


def _reopening_events(connection) -> list[tuple]:
    return [
        (row.case_id, row.reopened_on, 1, 'reopening', row.id, {
            'reopened_on': row.reopened_on, 'reopen_reason': 'other', 'reopen_note': row.reason,
            'reopened_by_id': row.recorded_by_id, 'reopened_at': row.recorded_at})
        for row in connection.execute(sa.select(reopening))
    ]


def _insert_closing(connection, case_id: int, values: dict) -> int:
    return connection.execute(closure.insert().values(case_id=case_id, **values)).inserted_primary_key[0]


def _move_into_closures(connection) -> None:
    """Walk each case's closings and re-openings in the order they happened (a closing before a
    re-opening on the same day) and write them as closings with their re-openings."""
    events = sorted(_closing_events(connection) + _reopening_events(connection),
                    key=lambda event: (event[0], event[1], event[2], event[4]))
    open_closing: dict[int, int] = {}
    for case_id, day, _order, kind, _id, facts in events:
        if kind == 'reopening':
            closing = open_closing.pop(case_id, None)
            if closing is None:  # re-opened, but Samstem never heard it was closed
                closing = _insert_closing(connection, case_id, {
                    'closed_on': None, 'reason': 'not_recorded', 'closed_at': facts['reopened_at']})
            connection.execute(closure.update().where(closure.c.id == closing).values(**facts))
            continue
        if case_id not in open_closing:
            open_closing[case_id] = _insert_closing(connection, case_id, {
                'closed_on': day, 'closed_at': facts['closed_at'],
                'reason': 'closed_no_measure' if kind == 'registration' else 'not_recorded',
                'meeting_id': facts.get('meeting_id'), 'closed_by_id': facts.get('closed_by_id')})
        if kind == 'registration':
            connection.execute(registration.update().where(registration.c.id.in_(facts['registrations']))
                               .values(closure_id=open_closing[case_id]))


def downgrade():
    op.add_column('case', sa.Column('closed_at', sa.DateTime(), nullable=True))
    op.create_table(
        'reopening',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('reopened_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_reopening_case_id_case'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_reopening_recorded_by_id_user')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_reopening')),
    )
    with op.batch_alter_table('reopening') as batch_op:
        batch_op.create_index(batch_op.f('ix_reopening_case_id'), ['case_id'], unique=False)
    _move_out_of_closures(op.get_bind())
    with op.batch_alter_table('method_registration') as batch_op:
        batch_op.drop_constraint(op.f('ck_method_registration_closure'), type_='check')
        batch_op.drop_constraint(op.f('fk_method_registration_closure_id_case_closure'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_method_registration_closure_id'))
        batch_op.drop_column('closure_id')
    op.drop_table('decision_filing')
    with op.batch_alter_table('case_closure') as batch_op:
        batch_op.drop_index('uq_case_closure_open')
        batch_op.drop_index(batch_op.f('ix_case_closure_case_id'))
    op.drop_table('case_closure')


def _move_out_of_closures(connection) -> None:
    """Back to the old tables: a re-opening with recorded by and reason (its note, else its code),
    and a closing in force as the case's closed_at. The closings' reasons have no old home."""
    for row in connection.execute(sa.select(closure).order_by(closure.c.id)):
        if row.reopened_on is not None and row.reopened_by_id is not None:
            connection.execute(reopening.insert().values(
                case_id=row.case_id, reopened_on=row.reopened_on, reason=row.reopen_note or row.reopen_reason,
                recorded_by_id=row.reopened_by_id, recorded_at=row.reopened_at or row.closed_at))
        elif row.reopened_on is None:
            connection.execute(case.update().where(case.c.id == row.case_id).values(closed_at=row.closed_at))
