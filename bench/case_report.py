"""Time the case report PDF of a case with two years of monthly rounds and six respondents.

Run: .venv/bin/python bench/case_report.py [--runs 5] [--months 24]

Builds the app on a throwaway SQLite file with one case: Emma (9), her mother, father,
grandmother, a provider and a school teacher, and a decided, fully answered follow-up
meeting every month for two years, plus today's network meeting, answered by everyone.
It then builds the report of today's round as the case worker's request does (gather the
answers and history, draw the charts, render with WeasyPrint) several times and prints
each time, the median and the PDF's size. The target is under 1.5 s and under 500 KB.
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

import pypdfium2  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import Team, User  # noqa: E402
from app.cases import services as cases  # noqa: E402
from app.demo import PEOPLE, add_history, plausible_answers  # noqa: E402
from app.extensions import db  # noqa: E402
from app.invitations import services as rounds  # noqa: E402
from app.reconcile.reconciliation import reconcile_round  # noqa: E402
from app.reports.report import report_pdf  # noqa: E402
from app.respond import services as respond  # noqa: E402

TARGET_SECONDS = 1.5
TARGET_BYTES = 500 * 1024


def build_case(months: int) -> tuple[int, int]:
    """Create the case and its history; return (user id, id of today's round)."""
    team = Team(name="Bench")
    user = User(username="bench", name="Anne Rådgiver", roles={"caseworker"}, team=team)
    user.set_password(secrets.token_urlsafe())
    db.session.add(user)
    db.session.flush()
    login_user(user)
    case = cases.create_case(user, "Emma", date.today().year - 9, "BENCH-1")
    people = [*PEOPLE, ("school", "Karin", "klasselærer")]
    for role, name, relation in people:
        cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da"})
    rng = random.Random(24)
    add_history(case, user, months=months, rng=rng)
    meeting = cases.record_meeting(case, "network_meeting", date.today(), [p.id for p in case.people])
    proposed = rounds.proposal(meeting)
    round_, _ = rounds.open_round(meeting, user, {pid: [i.id for i in found] for pid, found in proposed.items()})
    for invitation in round_.invitations:
        answers = {i.id: plausible_answers(i, rng.uniform(3, 9), rng) for i in proposed[invitation.person_id]}
        respond.submit(invitation, answers, "da")
    db.session.commit()
    return user.id, round_.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=24)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(), "LINK_KEYS": Fernet.generate_key().decode(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        })
        with app.app_context():
            upgrade()
        with app.test_request_context():
            user_id, round_id = build_case(args.months)
        from app.invitations.models import Round

        times, cpus, size, pages = [], [], 0, 0
        for _ in range(args.runs + 1):  # the first run warms WeasyPrint's fonts; it is shown, not counted
            with app.test_request_context():
                login_user(db.session.get(User, user_id))
                started, cpu = time.perf_counter(), time.process_time()
                pdf = report_pdf(reconcile_round(db.session.get(Round, round_id)))
                times.append(time.perf_counter() - started)
                cpus.append(time.process_time() - cpu)
                size, pages = len(pdf), len(pypdfium2.PdfDocument(pdf))
        warm, counted = times[0], times[1:]
        median = statistics.median(counted)
        print(f"case: {args.months} monthly rounds + today's, 6 respondents; report of today's round, {pages} pages")
        print(f"first run (cold fonts): {warm:.3f} s")
        print("runs: " + ", ".join(f"{t:.3f}" for t in counted) + " s")
        print("cpu:  " + ", ".join(f"{t:.3f}" for t in cpus[1:]) + " s")
        print(f"median: {median:.3f} s  (target < {TARGET_SECONDS} s: {'met' if median < TARGET_SECONDS else 'NOT met'})")
        print(f"size: {size / 1024:.1f} KB  (target < {TARGET_BYTES // 1024} KB: {'met' if size < TARGET_BYTES else 'NOT met'})")


if __name__ == "__main__":
    main()
