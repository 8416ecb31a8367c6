"""Kinds of round are entries in one registry (app/invitations/kinds.py), each complete."""

import pytest

from app.invitations.kinds import all_kinds, no_decision_kinds, round_kind
from app.invitations.models import ROUND_KINDS


def test_every_kind_the_database_allows_is_registered_and_no_other(app):
    assert set(all_kinds()) == set(ROUND_KINDS)


@pytest.mark.parametrize("name", ROUND_KINDS)
def test_each_kind_has_its_templates_and_words(app, name):
    kind = round_kind(name)
    partials = [kind.intro_partial, kind.thanks_partial, kind.answers_partial, kind.round_links_partial]
    if kind.reconcile_links_partial:
        partials.append(kind.reconcile_links_partial)
    for partial in partials:
        assert app.jinja_env.get_template(partial) is not None, partial
    with app.test_request_context():
        assert str(kind.label) and str(kind.handout_title) and "%(kind)s" in str(kind.summary_heading)
        assert "%(caseworker)s" in str(kind.sms_ask)
        # An e-mail has its words here, in the registry (issue 11 item 7: no kind borrows another's).
        assert kind.email_subject and kind.email_ask
        assert kind.own_form is None or kind.asks_whole_case


def test_only_wishes_before_a_meeting_wait_for_no_decision(app):
    # DESIGN.md C: wishes feed the meeting's agenda; every other round needs a position (flow E).
    assert no_decision_kinds() == ("see_happen",)


@pytest.mark.parametrize("words", ["handout_title", "summary_heading", "sms_ask"])
def test_no_kind_borrows_another_kinds_words(app, words):
    # Issue 11 item 7: an indicator round went out as "Hvordan var mødet …?", the feedback round's words.
    with app.test_request_context():
        texts = [str(getattr(kind, words)) for kind in all_kinds().values()]
    assert len(set(texts)) == len(texts), texts
