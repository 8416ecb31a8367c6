"""The case worker hears that something new waits on a case (issue 11 item 3): an e-mail
through the outbox with a link and no personal data, at most one an hour per case."""

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import User
from app.extensions import db
from app.outbox import queue_email_once
from app.outbox.models import OutboxMessage
from tests.test_outbox import Collector, _free_port, _mail_to, _start, _text

HOUR = timedelta(hours=1)
OBSERVATION = "Emma græd, da hun blev hentet, og sagde, at far havde råbt."
NETWORK_FORM = {f"participation-network.{k}": "4" for k in
                ["heard_respected", "contributed", "childs_view", "plan_realistic", "backs_plan", "own_part"]} | {
    "participation-network.own_tasks": "dont_know"}
CHILD_FORM = {f"fit-outcome-child.{k}": "7" for k in ("me", "family", "school", "everything")} | {
    f"fit-session-child.{k}": "8" for k in ("listened", "mattered", "liked", "overall")}


@pytest.fixture
def emma(app, make, caseworker):
    """Emma's case, its case worker with an e-mail address, and the grandmother's standing link."""
    with app.app_context():
        db.session.get(User, caseworker).email = "anne@samstem.example"
        db.session.commit()
    ids = make.emma(caseworker)
    ids.link, ids.tokens["observer"] = make.observation_link(ids.case, ids.people["network"])
    return ids


@pytest.fixture
def mailbox(app):
    """The local SMTP server the outbox tests use, receiving the app's e-mail."""
    collector, port = Collector(), _free_port()
    controller = _start(collector, port)
    _mail_to(app, port)
    yield collector
    controller.stop()


def news(app) -> list[OutboxMessage]:
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).where(OutboxMessage.topic == "news")
                                  .order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def observe(client, token: str, text: str = OBSERVATION):
    response = client.post(f"/o/{token}", data={"kind": "negative", "text": text})
    assert response.status_code == 302
    return response


def an_hour_passes(app) -> None:
    with app.app_context():
        for message in db.session.scalars(select(OutboxMessage)):
            message.created_at -= timedelta(minutes=61)
        db.session.commit()


def test_an_observation_tells_the_case_worker_with_a_link_and_nothing_personal(app, client, runner, emma, mailbox):
    observe(client, emma.tokens["observer"])
    [message] = news(app)
    assert message.recipient == "anne@samstem.example" and message.case_id == emma.case
    result = runner.invoke(args=["outbox", "send"])
    assert "sent 1" in result.output, result.output
    [mail] = mailbox.received
    assert mail["To"] == "anne@samstem.example"
    assert mail["Subject"] == "Nyt i Samstem"
    body = _text(mail).strip()
    assert body == f"Der er kommet noget nyt på en af dine sager i Samstem: http://localhost/cases/{emma.case}"
    # No child's name, no text, no one who wrote it, no case reference.
    for personal in ("Emma", "græd", "Grete", "Sag-Ø-17", "far"):
        assert personal not in mail.as_string()


def test_at_most_one_an_hour_per_case_worker_and_case(app, client, make, caseworker, emma):
    for text in (OBSERVATION, "Hun var glad i dag.", "Hun sov hos mig."):
        observe(client, emma.tokens["observer"], text)
    assert len(news(app)) == 1
    # Another case of hers is news of its own.
    other = make.emma(caseworker, open_round=False)
    _, token = make.observation_link(other.case, other.people["network"])
    observe(client, token)
    assert [m.case_id for m in news(app)] == [emma.case, other.case]
    # An hour later, the next observation on the first case is news again.
    an_hour_passes(app)
    observe(client, emma.tokens["observer"], "Emma kom i skole hele ugen.")
    assert [m.case_id for m in news(app)] == [emma.case, other.case, emma.case]


def test_two_arriving_at_once_make_one_e_mail(app, backend, emma):
    """The look and the adding are one step: a second request waits for the first to commit."""
    if backend != "postgresql":
        pytest.skip("SQLite lets one request write at a time; the writing request holds its lock already")
    queued, results = threading.Event(), []

    def first():
        with app.app_context():
            results.append(queue_email_once("a@x.dk", "Nyt", "Nyt.", case_id=emma.case, topic="news", within=HOUR))
            queued.set()
            time.sleep(0.5)  # still uncommitted while the second one looks
            db.session.commit()

    def second():
        queued.wait(5)
        with app.app_context():
            results.append(queue_email_once("a@x.dk", "Nyt", "Nyt.", case_id=emma.case, topic="news", within=HOUR))
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert results[0] is not None and results[1] is None
    assert len(news(app)) == 1


def test_a_given_up_notice_does_not_hold_back_the_next(app, client, emma):
    observe(client, emma.tokens["observer"])
    with app.app_context():
        db.session.execute(update(OutboxMessage).values(given_up_at=OutboxMessage.created_at))
        db.session.commit()
    observe(client, emma.tokens["observer"], "Noget nyt.")
    assert len(news(app)) == 2


def test_an_answer_with_words_in_it_is_news_and_one_without_is_not(app, client, emma):
    # The child's FIT forms have no free text; the grandmother's form has a comment field.
    assert client.post(f"/r/{emma.tokens['child']}/form", data=CHILD_FORM).status_code == 302
    assert client.post(f"/r/{emma.tokens['father']}/decline").status_code == 302
    assert client.post(f"/r/{emma.tokens['network']}/form",
                       data=NETWORK_FORM | {"participation-network.comment": "   "}).status_code == 302
    assert news(app) == []
    assert client.post(f"/r/{emma.tokens['network']}/form",
                       data=NETWORK_FORM | {"participation-network.comment": "Far råber meget."}).status_code == 302
    [message] = news(app)
    assert "Far" not in message.body and "Emma" not in message.body


def test_a_status_with_words_in_it_is_news(app, client, make, emma):
    from tests.test_status import _answer

    emma.goal = make.goal(emma.case)
    make.school(emma.case)
    _, tokens, _ = make.status_request(emma, roles=("school",))
    assert news(app) == []
    assert client.post(f"/r/{tokens['school']}/form", data=_answer(emma)).status_code == 302
    [message] = news(app)
    assert message.case_id == emma.case and "Emma" not in message.body


def test_an_indicator_scoring_with_a_note_is_news(app, client, make, caseworker):
    from tests.test_indicators import scored

    with app.app_context():
        db.session.get(User, caseworker).email = "anne@samstem.example"
        db.session.commit()
    ids = make.indicator_case(caseworker)
    make.indicator_round(ids)
    token = ids.tokens["provider"]
    assert client.post(f"/r/{token}/form", data=scored()).status_code == 302
    assert news(app) == []
    assert client.post(f"/r/{token}/form", data=scored(health__text="Ondt i maven.")).status_code == 302
    [message] = news(app)
    assert "maven" not in message.body


def test_a_case_worker_without_an_e_mail_address_gets_nothing_and_the_observation_is_kept(
        app, client, make, caseworker):
    ids = make.emma(caseworker, open_round=False)
    _, token = make.observation_link(ids.case, ids.people["network"])
    observe(client, token)
    assert news(app) == []
    with app.app_context():
        from app.observations.models import Observation

        assert db.session.scalar(select(Observation.text)) == OBSERVATION


def test_create_user_takes_an_e_mail_address(app, runner):
    result = runner.invoke(args=["create-user", "bo", "--name", "Bo Berg", "--team", "Team Øst",
                                 "--email", "bo@kommune.example", "--password", "pw-123456"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User.email).where(User.username == "bo")) == "bo@kommune.example"
    wrong = runner.invoke(args=["create-user", "cy", "--name", "Cy", "--team", "Team Øst",
                                "--email", "cy at kommune", "--password", "pw-123456"])
    assert wrong.exit_code != 0 and "not an e-mail address" in wrong.output


def test_the_demo_keeps_working_without_addresses(demo_template, demo_app):
    # The demo's observations and answers arrive for a case worker with no address: nothing to send.
    # `flask demo-data` ran once on an empty database (tests/conftest.py); demo_app is a copy of it.
    assert demo_template.first_run.exit_code == 0
    assert news(demo_app) == []
