"""Time /api/v1 against the same work done through the service functions, in the same run.

Run: .venv/bin/python bench/api.py [--runs 5] [--months 24]

Builds the app on a throwaway SQLite file (the test client: no network, no server) with a team,
a case worker and an API key, then measures two things, each as the median of --runs and as a
ratio to the same work done by calling the services directly (app.cases.services,
app.invitations.services, app.reconcile) and committing, as a staff request would:

  write: create a case by reference, add five people around the child, record a meeting with
         all six and open a feedback round with the proposed forms (4 calls: PUT, 5 POSTs, POST,
         POST); through the API each call is its own request with its own commit and audit;
  read:  a case with --months monthly rounds, decided and answered by everyone, plus today's:
         all its rounds with every answer, signals and divergence (GET …/rounds?limit=100)
         against CaseHistory + reconcile_round for each round.

A measurement, not a test: it always exits 0.
"""

import argparse
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.api import keys  # noqa: E402
from app.auth.models import Team, User  # noqa: E402
from app.cases import services as cases  # noqa: E402
from app.cases.models import Case, Meeting  # noqa: E402
from app.demo import PEOPLE, add_history  # noqa: E402
from app.extensions import db  # noqa: E402
from app.invitations import services as rounds  # noqa: E402
from app.invitations.models import Round  # noqa: E402
from app.reconcile.history import CaseHistory  # noqa: E402
from app.reconcile.reconciliation import reconcile_round  # noqa: E402

FIVE = [*PEOPLE[:4], ("school", "Karin", "klasselærer")][:5]


def _setup() -> tuple[int, str]:
    team = Team(name="Bench")
    user = User(username="bench", name="Anne Rådgiver", roles={"caseworker"}, team=team)
    admin = User(username="admin", name="Ada Admin", roles={"admin"})
    for one in (user, admin):
        one.set_password(secrets.token_urlsafe())
    db.session.add_all([user, admin])
    db.session.flush()
    new = keys.create("Bench", {"read", "write"}, {team.id}, admin)
    db.session.commit()
    return user.id, new.secret


def write_by_api(client, secret: str, ref: str) -> None:
    auth = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/cases/{ref}"
    assert client.put(url, json={"team": "Bench", "caseworker": "bench", "first_name": "Emma",
                                 "birth_year": date.today().year - 9}, headers=auth).status_code == 201
    for role, name, relation in FIVE:
        assert client.post(url + "/people", json={"role": role, "first_name": name, "relation": relation},
                           headers=auth).status_code == 201
    people = [p["id"] for p in client.get(url, headers=auth).json["people"]]
    meeting = client.post(url + "/meetings", json={"kind": "network_meeting", "held_on": date.today().isoformat(),
                                                   "participants": people}, headers=auth).json
    opened = client.post(f"{url}/meetings/{meeting['id']}/rounds", json={}, headers=auth)
    assert opened.status_code == 201 and len(opened.json["links"]) == 6, opened.json


def write_by_services(app, user_id: int, ref: str) -> None:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        login_user(user)
        case = cases.create_case(user, "Emma", date.today().year - 9, ref)
        for role, name, relation in FIVE:
            cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da"})
        meeting = cases.record_meeting(case, "network_meeting", date.today(), [p.id for p in case.people])
        proposed = rounds.proposal(meeting)
        _round, issued = rounds.open_round(meeting, user, {pid: [i.id for i in f] for pid, f in proposed.items()})
        assert len(issued) == 6
        db.session.commit()


def build_history(app, user_id: int, months: int) -> None:
    with app.test_request_context():
        user = db.session.get(User, user_id)
        login_user(user)
        case = cases.create_case(user, "Emma", date.today().year - 9, "HISTORY-1")
        for role, name, relation in FIVE:
            cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da"})
        add_history(case, user, months=months, rng=random.Random(24))
        db.session.commit()


def read_by_api(client, secret: str) -> int:
    reply = client.get("/api/v1/cases/HISTORY-1/rounds", query_string={"limit": 100},
                       headers={"Authorization": f"Bearer {secret}"})
    assert reply.status_code == 200 and reply.json["next_cursor"] is None
    return len(reply.json["items"])


def read_by_services(app, user_id: int) -> int:
    with app.test_request_context():
        login_user(db.session.get(User, user_id))
        case = db.session.scalar(select(Case).where(Case.external_ref == "HISTORY-1"))
        history = CaseHistory(case)
        found = db.session.scalars(select(Round).join(Round.meeting).where(Meeting.case_id == case.id)
                                   .order_by(Round.id)).all()
        overviews = [reconcile_round(round_, history) for round_ in found]
        db.session.commit()
        return len(overviews)


def _timed(work, runs: int) -> list[float]:
    times = []
    for number in range(runs + 1):  # the first run warms caches; shown apart, not counted
        started = time.perf_counter()
        work(number)
        times.append(time.perf_counter() - started)
    return times


def _line(name: str, api: list[float], services: list[float]) -> None:
    a, s = statistics.median(api[1:]), statistics.median(services[1:])
    print(f"{name}: API median {a * 1000:.1f} ms, services median {s * 1000:.1f} ms, ratio {a / s:.2f}"
          f"  (first runs {api[0] * 1000:.1f} / {services[0] * 1000:.1f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(), "LINK_KEYS": Fernet.generate_key().decode(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "PUBLIC_BASE_URL": "https://samstem.example",
        })
        with app.app_context():
            upgrade()
        with app.app_context():
            user_id, secret = _setup()
        client = app.test_client()
        api = _timed(lambda n: write_by_api(client, secret, f"API-{n}"), args.runs)
        services = _timed(lambda n: write_by_services(app, user_id, f"SVC-{n}"), args.runs)
        _line("write (case, 5 people, meeting, round for 6)", api, services)
        build_history(app, user_id, args.months)
        counted = read_by_api(client, secret)
        api = _timed(lambda n: read_by_api(client, secret), args.runs)
        services = _timed(lambda n: read_by_services(app, user_id), args.runs)
        _line(f"read ({counted} rounds of {args.months} months, every answer)", api, services)


if __name__ == "__main__":
    main()
