"""Two answers on one link, and answers racing a decision: stored once, replaced with history,
never dropped, never after the round is locked, never a 500.

The races are real: threads post through their own test clients at the same instant, each
on its own database connection. A gate on the engine holds each racing request just before
its first write until the others have read what they need, so the interleaving that loses
an answer happens every time instead of now and then.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from sqlalchemy import event, select, update

from app.extensions import db
from app.invitations.models import Invitation, Response, Round
from app.observations import services as observations
from app.observations.models import Observation, ObservationLink
from app.respond import services as respond
from app.timestamps import utcnow
from tests.test_respond import CHILD_FORM, NETWORK_FORM

WAIT = 10  # seconds a racer waits for the others before the test gives up on it
WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def emma(make, caseworker):
    return make.emma(caseworker)


@dataclass
class Gate:
    """Hold each racing thread before its first write until `release` says go."""

    release: Callable[[], None]
    reached: threading.Event = field(default_factory=threading.Event)
    racing: threading.local = field(default_factory=threading.local)

    def before_execute(self, conn, cursor, statement, parameters, context, executemany):
        if getattr(self.racing, "waiting", False) and statement.lstrip().upper().startswith(WRITES):
            self.racing.waiting = False
            self.reached.set()
            self.release()


@dataclass
class Outcome:
    status: int | None = None
    text: str = ""
    error: BaseException | None = None


def _race(app, gate: Gate, posts: list[Callable], others: list[Callable] = ()) -> list[Outcome]:
    """Run each post in its own thread (gated before its first write) and each other unhindered."""
    with app.app_context():
        engine = db.engine
    outcomes = [Outcome() for _ in posts]

    def run(post, outcome):
        gate.racing.waiting = True
        try:
            response = post(app.test_client())
            outcome.status, outcome.text = response.status_code, response.text
        except BaseException as error:  # a 500 in TESTING mode surfaces here
            outcome.error = error

    threads = [threading.Thread(target=run, args=pair) for pair in zip(posts, outcomes, strict=True)]
    threads += [threading.Thread(target=other) for other in others]
    event.listen(engine, "before_cursor_execute", gate.before_execute)
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(WAIT * 3)
    finally:
        event.remove(engine, "before_cursor_execute", gate.before_execute)
    assert not any(thread.is_alive() for thread in threads), "a racer hung"
    return outcomes


def _together(count: int) -> Gate:
    """A gate that opens once `count` racers have all reached their first write."""
    barrier = threading.Barrier(count)

    def release():
        try:
            barrier.wait(WAIT)
        except threading.BrokenBarrierError:
            pass  # a racer that never writes (a refused form) must not hold the others

    return Gate(release)


def _rows(app, invitation_id: int) -> list[tuple[str, dict, bool, bool]]:
    """Every response of the invitation: (form, answers, declined, current), oldest first."""
    with app.app_context():
        rows = db.session.scalars(
            select(Response).where(Response.invitation_id == invitation_id).order_by(Response.id)).all()
        return [(r.instrument_id, r.answers, r.declined, r.superseded_at is None) for r in rows]


def _post(url: str, data: dict) -> Callable:
    return lambda client: client.post(url, data=data)


# --- the rule, one request after another -------------------------------------------------

OTHER_NETWORK_FORM = NETWORK_FORM | {"participation-network.comment": "Jeg har tænkt mig om."}
ANSWER, OTHER, DECLINE = ("answer", NETWORK_FORM), ("answer", OTHER_NETWORK_FORM), ("decline", None)
SAID = NETWORK_FORM["participation-network.comment"]


@pytest.mark.parametrize(("first", "second", "expected"), [
    # (declined, comment, current) per stored row, oldest first.
    (ANSWER, ANSWER, [(False, SAID, True)]),
    (ANSWER, OTHER, [(False, SAID, False), (False, "Jeg har tænkt mig om.", True)]),
    (DECLINE, DECLINE, [(True, None, True)]),
    (ANSWER, DECLINE, [(False, SAID, False), (True, None, True)]),
    (DECLINE, ANSWER, [(True, None, False), (False, SAID, True)]),
], ids=["same-again", "different", "decline-twice", "answer-then-decline", "decline-then-answer"])
def test_a_repeat_is_stored_once_and_a_different_one_replaces_the_earlier(app, client, emma, first, second, expected):
    token = emma.tokens["network"]
    for how, data in (first, second):
        response = client.post(f"/r/{token}/form", data=data) if how == "answer" else client.post(f"/r/{token}/decline")
        assert response.status_code == 302 and response.headers["Location"].endswith("/thanks")
        assert client.get(response.headers["Location"]).status_code == 200
    rows = _rows(app, emma.invitations["network"])
    assert [(declined, answers.get("comment"), current) for _, answers, declined, current in rows] == expected


# --- the same, at the same instant -----------------------------------------------------

def test_a_double_submit_on_a_link_with_two_forms_stores_each_form_once(app, emma):
    url = f"/r/{emma.tokens['child']}/form"
    outcomes = _race(app, _together(2), [_post(url, CHILD_FORM)] * 2)
    assert [(o.error, o.status) for o in outcomes] == [(None, 302), (None, 302)]
    rows = _rows(app, emma.invitations["child"])
    assert sorted(form for form, *_ in rows) == ["fit-outcome-child", "fit-session-child"]
    assert all(current for *_, current in rows)


def test_two_different_answers_at_once_are_both_stored_one_current_one_in_history(app, emma):
    url = f"/r/{emma.tokens['network']}/form"
    outcomes = _race(app, _together(2), [_post(url, NETWORK_FORM), _post(url, OTHER_NETWORK_FORM)])
    assert [(o.error, o.status) for o in outcomes] == [(None, 302), (None, 302)]
    rows = _rows(app, emma.invitations["network"])
    comments = sorted(answers["comment"] for _, answers, _, _ in rows)
    assert comments == sorted([NETWORK_FORM["participation-network.comment"], "Jeg har tænkt mig om."])
    assert [current for *_, current in rows] == [False, True]  # the later write replaced the earlier


def test_a_double_tapped_observation_is_stored_once(app, emma, make):
    _, token = make.observation_link(emma.case, emma.people["network"])
    data = {"kind": "negative", "text": "Emma græd ved afleveringen."}
    outcomes = _race(app, _together(2), [_post(f"/o/{token}", data)] * 2)
    assert [(o.error, o.status) for o in outcomes] == [(None, 302), (None, 302)]
    with app.app_context():
        assert len(db.session.scalars(select(Observation)).all()) == 1


# --- racing the lock ----------------------------------------------------------------------

def _after(app, action: Callable[[], None]) -> tuple[Gate, Callable[[], None]]:
    """A gate that holds the racer at its first write until `action` (run in another thread) has committed."""
    done = threading.Event()
    gate = Gate(release=lambda: done.wait(WAIT))

    def other():
        try:
            if gate.reached.wait(WAIT):
                action()
        finally:
            done.set()

    return gate, other


def test_an_answer_racing_the_decision_is_refused_not_stored_after_the_lock(app, emma, make):
    gate, decide = _after(app, lambda: make.decide_round(emma.round))
    [outcome] = _race(app, gate, [_post(f"/r/{emma.tokens['child']}/form", CHILD_FORM)], [decide])
    assert outcome.error is None
    assert outcome.status == 200 and "Du kan ikke længere svare eller rette her." in outcome.text
    assert _rows(app, emma.invitations["child"]) == []


def test_a_decline_racing_the_decision_is_refused(app, emma, make):
    gate, decide = _after(app, lambda: make.decide_round(emma.round))
    [outcome] = _race(app, gate, [lambda client: client.post(f"/r/{emma.tokens['father']}/decline")], [decide])
    assert (outcome.error, outcome.status) == (None, 200) and "Du kan ikke længere svare eller rette her." in outcome.text
    assert _rows(app, emma.invitations["father"]) == []


def test_an_observation_racing_the_links_revocation_is_refused(app, emma, make):
    link_id, token = make.observation_link(emma.case, emma.people["network"])

    def revoke():
        with app.app_context():
            db.session.execute(update(ObservationLink).where(ObservationLink.id == link_id).values(revoked_at=utcnow()))
            db.session.commit()

    gate, other = _after(app, revoke)
    [outcome] = _race(app, gate, [_post(f"/o/{token}", {"kind": "positive", "text": "Hej"})], [other])
    assert (outcome.error, outcome.status) == (None, 410)
    with app.app_context():
        assert db.session.scalars(select(Observation)).all() == []


# --- every writing service checks the lock where it writes ----------------------------------

def _lock_elsewhere(app, round_id: int) -> None:
    """Lock the round through another connection, as a decision in another request would."""
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(update(Round).where(Round.id == round_id).values(locked_at=utcnow()))


def _status_answer(app, make, emma) -> tuple[int, Callable[[Invitation], None]]:
    from app.status import services as status

    emma.goal = make.goal(emma.case)
    _, _, invitations = make.status_request(emma)
    return invitations["provider"], lambda invitation: status.submit(invitation, {"overall": "Godt."}, "da")


def _indicator_answer(app, make, emma) -> tuple[int, Callable[[Invitation], None]]:
    from app.indicators import services as indicators

    ids = make.indicator_case(make.user("ida", team=make.team("Team Syd")))
    make.indicator_round(ids)

    def submit(invitation):
        form = indicators.form_of(indicators.indicator_round(invitation.round))
        respond.submit_own(invitation, form, {}, "da")

    return ids.invitations["mother"], submit


@pytest.mark.parametrize("writer", ["answer", "decline", "status", "indicator scoring"])
def test_a_round_locked_after_the_page_loaded_takes_no_answer(app, make, emma, writer):
    invitation_id, write = {
        "answer": lambda: (emma.invitations["child"], lambda inv: respond.submit(inv, {}, "da")),
        "decline": lambda: (emma.invitations["child"], lambda inv: respond.decline(inv, "da")),
        "status": lambda: _status_answer(app, make, emma),
        "indicator scoring": lambda: _indicator_answer(app, make, emma),
    }[writer]()
    with app.test_request_context():
        invitation = db.session.get(Invitation, invitation_id)
        assert not invitation.round.is_locked  # what the page saw when it loaded
        _lock_elsewhere(app, invitation.round_id)
        with pytest.raises(respond.RoundLocked):
            write(invitation)
        db.session.rollback()
    assert _rows(app, invitation_id) == []


def test_an_observation_through_a_link_revoked_after_the_page_loaded_is_refused(app, make, emma):
    link_id, token = make.observation_link(emma.case, emma.people["network"])
    with app.test_request_context():
        link = observations.find_link(token)
        with db.engine.begin() as connection:
            connection.execute(update(ObservationLink).where(ObservationLink.id == link_id).values(revoked_at=utcnow()))
        with pytest.raises(observations.LinkRevoked):
            observations.submit(link, "positive", "Hej", None, "da")
        db.session.rollback()
