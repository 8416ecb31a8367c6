"""Issue 15 "Figures to print": a count figure summed in the database (app/figures/sums.py) gives
the very cells the figure's Python computation gave, so a release publishes the same tables.

The Python computation I1 had before it was summed in the database is kept here as the reference.
Both run on generated organisations with every state an invitation can be in, meetings outside
the period, every kind of meeting, method registrations (held, failed, corrected) and a team of
one case worker (rule 5a), on SQLite and PostgreSQL.
"""

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.extensions import db
from app.figures import catalogue, releases, sums
from app.figures.facts import Facts, first_meeting, load, load_span, teams
from app.figures.periods import Period, closed_since, parse
from app.invitations.models import Invitation, Response
from app.registrations.models import MethodRegistration
from app.settings import services as settings
from app.teams.departments import department_of
from tests import figure_data


def reference_i1(facts: Facts) -> list:
    """I1 as app/figures/catalogue.py computed it from the rows before it was summed in the database."""
    groups = defaultdict(list)
    for row in facts.in_period:
        groups[(row.role_group, row.status)].append(row)
    return [catalogue._cell(key, rows, facts) for key, rows in sorted(groups.items())]


def _departments(team_ids: list[int]) -> dict[int, int]:
    return {team: found.id for team, found in department_of(team_ids).items() if found is not None}


def _by_python(facts: Facts) -> Facts:
    """The same rows, summed in Python (as rows made by hand are)."""
    return replace(facts, source=None, cache={})


def _assert_same_i1_cells(facts: Facts) -> None:
    team_ids = list(teams())
    departments = _departments(team_ids)
    database, python = facts, _by_python(facts)
    for filters in releases.filter_sets(team_ids, departments):
        expected = reference_i1(releases._narrow(python, filters, departments))
        assert sums.i1(releases._narrow(database, filters, departments)) == expected, filters
        assert sums.i1(releases._narrow(python, filters, departments)) == expected, filters


def _assert_same_release(period: Period, facts: Facts, monkeypatch) -> dict:
    """The release built with I1 summed in the database equals the one built with the reference.

    The disclosure engine answers from the tables and rules it is given alone, so the reference build,
    when it hands the engine tables equal to those of the first build, is given the engine's answer to
    them again instead of waiting for the same answer twice; other tables the engine protects anew."""
    team_ids = list(teams())
    departments = _departments(team_ids)
    rules = releases.rules()
    protect, answered = releases.disclosure.protect, []

    def remembered(tables, rules_):
        for asked, asked_rules, shown in answered:
            if asked_rules == rules_ and asked == list(tables):
                return shown
        asked = list(tables)
        shown = protect(tables, rules_)
        answered.append((asked, rules_, shown))
        return shown

    with monkeypatch.context() as patched:
        patched.setattr(releases.disclosure, "protect", remembered)
        summed = releases.build(period, facts, team_ids, rules, departments)
        patched.setitem(catalogue.FIGURES, "I1", replace(catalogue.FIGURES["I1"], compute=reference_i1))
        expected = releases.build(period, _by_python(facts), team_ids, rules, departments)
    assert summed == expected
    return summed


def _register(invitation: Invitation, method: str, status: str, corrects: int | None = None) -> int:
    meeting = invitation.round.meeting
    held = status == "held"
    registration = MethodRegistration(
        case_id=meeting.case_id, meeting_id=meeting.id, occurred_on=meeting.held_on, method=method, status=status,
        occasion="first", target_group="vulnerable", case_type="notification",
        failure_reason=None if held else "family_declined", outcome="continues",
        child_took_part=True if held else None, parents_took_part=True if held else None,
        network_count=2 if held else None, professional_count=1 if held else None, plan_coverage=4 if held else None,
        corrects_id=corrects, registered_by_id=invitation.round.created_by_id)
    db.session.add(registration)
    db.session.flush()
    return registration.id


def _vary(app) -> None:
    """Give the generated invitations every state, role, kind of meeting, method and day there is."""
    far = datetime.now(timezone.utc) + timedelta(days=30)
    roles = ("mother", "father", "carer", "network", "provider", "school", "child")
    kinds = ("network_meeting", "family_group_conference", "follow_up", "startup")
    with app.app_context():
        for n, invitation in enumerate(db.session.scalars(select(Invitation).order_by(Invitation.id))):
            meeting = invitation.round.meeting
            current = [r for r in invitation.responses if r.superseded_at is None]
            invitation.respondent_role = roles[n % len(roles)]
            meeting.kind = kinds[n % len(kinds)]
            if n % 6 == 1:
                invitation.revoked_at = invitation.issued_at + timedelta(days=1)
            elif n % 6 == 2 and current:
                current[0].declined = True
            elif n % 6 == 3 and current:
                current[0].superseded_at = current[0].submitted_at  # no current answer left: expired
            elif n % 6 == 4:
                for response in current:
                    db.session.delete(response)
                invitation.expires_at = far  # not answered yet, still open: waiting
            elif n % 6 == 5 and current:
                db.session.add(Response(invitation=invitation, instrument_id="fit-outcome-child", instrument_version=1,
                                        answers={}, declined=True, language="da",
                                        submitted_at=current[0].submitted_at, submission_id=f"also-{n}"))
            if n % 9 == 0:
                meeting.held_on -= timedelta(days=100)  # the quarter before
            elif n % 13 == 0:
                meeting.held_on += timedelta(days=100)  # after the period
            if n % 5 == 0:
                _register(invitation, "family_group_conference", "held")
            elif n % 5 == 1:
                _register(invitation, "network_meeting", "failed")
            elif n % 10 == 2:
                first = _register(invitation, "family_group_conference", "held")
                _register(invitation, "network_meeting", "held", corrects=first)  # the correction is in force
        db.session.commit()


@pytest.mark.parametrize("rounding", [False, True])
def test_a_release_with_i1_summed_in_the_database_publishes_what_the_python_computation_did(
        app, monkeypatch, rounding):
    code, day = figure_data.last_years_quarter()
    figure_data.organisation(app, {"Team Nord": (3, 14), "Team Syd": (3, 11), "Team Vest": (1, 4)}, day)
    _vary(app)
    with app.test_request_context():
        if rounding:
            settings.put("round_to_five", True)
            db.session.commit()
        period = parse(code)
        facts = load(period)
        assert facts.source is not None
        states = {(row.role_group, row.status) for row in facts.in_period}
        assert {s for _, s in states} == {"answered", "declined", "expired", "revoked", "waiting"}
        assert {r for r, _ in states} == {"child", "parents", "network", "provider"}
        _assert_same_i1_cells(facts)
        published = _assert_same_release(period, facts, monkeypatch)
    i1 = [t for t in published["tables"] if t["figure"] == "I1"]
    assert len(i1) > 1 and any(c["hidden"] for t in i1 for c in t["cells"])  # filters and hidden cells were compared


def test_the_demo_organisation_releases_the_same_every_closed_period(demo_app, monkeypatch):
    # The demo organisation as `flask demo-data` made it (create_organisation, dated today), with Emma's
    # case beside it: a copy of the database built once per backend (tests/conftest.py demo_template).
    with demo_app.test_request_context():
        periods = closed_since(first_meeting(), date.today(), ("quarter", "half"))
        read = load_span(Period(min(p.start for p in periods), max(p.end for p in periods), "span", "all"))
        compared = 0
        for period in periods:
            facts = read.for_period(period)
            if not facts.in_period:
                continue
            _assert_same_i1_cells(facts)
            _assert_same_release(period, facts, monkeypatch)
            compared += 1
    assert compared >= 2
