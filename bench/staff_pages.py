"""Measure what the staff pages cost as a case worker's caseload grows: SQL statements and milliseconds.

Run: .venv/bin/python bench/staff_pages.py [--runs 5] [--months 24] [--sizes 1,10,100]
On PostgreSQL: scripts/with-postgres.sh .venv/bin/python bench/staff_pages.py (it reads TEST_DATABASE_URL).
Other code (an older commit's worktree): PYTHONPATH=/path/to/worktree .venv/bin/python bench/staff_pages.py

Builds one case worker's caseload on a throwaway database (an SQLite file, or the
PostgreSQL database of TEST_DATABASE_URL, emptied before and after), case by case through
the app's own services. Each case is like the demo's Emma over `months` months: a follow-up
meeting every month with a feedback round everyone answered, a provider status every third
month, indicator rounds by the case's rhythm, an observation a month, all decided; a phone
follow-up per parent after each meeting. Today: a network meeting with an answered round
waiting for a decision, two observations waiting, the father's last call not made, the
latest indicator measurement overdue, and a follow-up meeting in two weeks with the
provider's and the school's status asked for (the provider has answered).

For 1, 10 and 100 cases it opens, logged in as the case worker, the first case's page, the
round page and reconciliation page of its round of today, and /due; each once to warm up,
then `runs` times, and prints the statements each request ran (bench/queries.py) and the
median milliseconds. A measurement, not a test: it always exits 0.
"""

import argparse
import logging
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

# Appended, not prepended: code named by PYTHONPATH (an older worktree) is the code measured.
ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

import app as app_package  # noqa: E402
from app import create_app  # noqa: E402
from app.auth.models import Team, User  # noqa: E402
from app.cases import services as cases  # noqa: E402
from app.demo import EMAILS, GOALS, INDICATORS, PEOPLE, plausible_answers  # noqa: E402
from app.extensions import db  # noqa: E402
from app.indicators import services as indicators  # noqa: E402
from app.invitations import services as rounds  # noqa: E402
from app.observations import services as observations  # noqa: E402
from app.reconcile import services as decisions  # noqa: E402
from app.registrations import services as registrations  # noqa: E402
from app.respond import services as respond  # noqa: E402
from app.status import services as status  # noqa: E402
from app.status import wishes  # noqa: E402
from app.timestamps import utcnow  # noqa: E402
from bench.queries import count_queries  # noqa: E402

PASSWORD = "bench-password"
FORM = "indicators-child-family"
# The indicator rhythm (INSTRUMENTS.md §4): intake, after 3 months, then every 6 months.
MEASURED_AFTER = (0, 3, 9, 15, 21, 27, 33, 39, 45)
PHONE = {"reached": True, "started": "yes", "helps": 4, "notes": "Det går bedre med morgenerne."}
OBSERVED = [("positive", "Emma var hos mig hele lørdagen."), ("mixed", "Hun var glad, men træt om morgenen.")]


@dataclass
class Built:
    case_id: int
    round_id: int  # today's round: answered, waiting for a decision


# --- building a caseload ----------------------------------------------------------------------

def start(url: str):
    """Create the app on the database, migrated and empty."""
    app = create_app({
        "SECRET_KEY": secrets.token_hex(), "LINK_KEYS": Fernet.generate_key().decode(), "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
    })
    logging.disable(logging.INFO)  # the migrations' own progress lines
    try:
        with app.app_context():
            upgrade()
            empty()
    finally:
        logging.disable(logging.NOTSET)
    return app


def empty() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def case_worker(app) -> int:
    with app.app_context():
        user = User(username="bench", name="Anne Rådgiver", roles={"caseworker"}, team=Team(name="Bench"))
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.flush()
        indicators.save_procedure(user, scorers=["caseworker", "provider", "parents"], together=False,
                                  rhythm_months=6, default_form=FORM, family_split=True)
        db.session.commit()
        return user.id


def build_case(app, user_id: int, number: int, months: int) -> Built:
    """Create one case with its history and today's open work, through the services."""
    rng = random.Random(number)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        login_user(user)
        today = date.today()
        case = cases.create_case(user, "Emma", today.year - 9, f"BENCH-{number}")
        for role, name, relation in [*PEOPLE, ("school", "Bente", "lærer")]:
            cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation,
                                           "language": "da", "email": EMAILS.get(role)})
        for goal in GOALS:
            cases.add_goal(case, user, goal)
        indicators.save_case_settings(case, FORM, today - timedelta(days=30 * months))
        grete = next(p for p in case.people if p.role == "network")
        link, _ = observations.create_link(case, grete, user)
        levels = {person.id: rng.uniform(3, 6) for person in case.people}
        measured = {months - after for after in MEASURED_AFTER if months - after > 0}
        measured.discard(min(measured, default=0))  # the latest measurement is left overdue
        for month in range(months, 0, -1):
            add_month(case, user, month, rng, levels, link, measure=month in measured)
        round_id = add_today(case, user, rng, link)
        db.session.commit()
        return Built(case.id, round_id)


def add_month(case, user, month: int, rng, levels: dict, link, *, measure: bool) -> None:
    """A follow-up meeting `month` months ago: its rounds answered and decided, the calls made."""
    held_on = date.today() - timedelta(days=30 * month)
    meeting = cases.record_meeting(case, "follow_up", held_on, [p.id for p in case.people])
    decided = [feedback_round(meeting, user, rng, levels)]
    if month % 3 == 0:
        decided.append(status_round(meeting, user, rng))
    if measure:
        decided.append(indicator_round(meeting, user))
    kind, text = rng.choice(OBSERVED)
    observation = observations.submit(link, kind, text, None, "da")
    observation.submitted_at = utcnow() - timedelta(days=30 * month + 3)
    decisions.decide(case, decided, user, outcome="no_adjustment", text="Planen følges.", follow_up_on=None,
                     unscored_reason="Ikke scoret.", observations=[observation])
    for person in registrations.parents_at(meeting):
        if not (month == 1 and person.role == "father"):  # the father's last call is due
            registrations.record_phone_follow_up(meeting, person, user, PHONE)


def feedback_round(meeting, user, rng, levels: dict):
    proposed = rounds.proposal(meeting)
    round_, _ = rounds.open_round(meeting, user, {pid: [i.id for i in found] for pid, found in proposed.items()})
    for invitation in round_.invitations:
        level = levels[invitation.person_id] = min(9.5, levels[invitation.person_id] + rng.uniform(-0.5, 1.0))
        answers = {i.id: plausible_answers(i, level, rng) for i in proposed[invitation.person_id]}
        respond.submit(invitation, answers, "da")
    return round_


def status_answers(round_, rng) -> dict:
    goals = [{"goal_id": g.goal_id, "version": g.version, "text": g.text,
              "attainment": rng.choice(("some", "high", "full"))} for g in status.goals_at(round_)]
    return {"goals": goals, "overall": "Emma er mere glad og tryg.", "rating": rng.randint(4, 8),
            "reviewed": "yes", "reviewed_on": date.today().isoformat(), "family_comments": ""}


def status_round(meeting, user, rng):
    """The provider's and the school's status before the meeting; the provider answered."""
    asked = [p for p in meeting.case.people if p.role in ("provider", "school")]
    round_, _ = rounds.open_round(meeting, user, {p.id: ["provider-status"] for p in asked}, kind="status",
                                  due_on=meeting.held_on - timedelta(days=7))
    provider = next(i for i in round_.invitations if i.person.role == "provider")
    status.submit(provider, status_answers(round_, rng), "da")
    return round_


def indicator_round(meeting, user):
    """Score the indicators at the meeting: every external scorer, then the final status."""
    round_, _ = indicators.start_round(meeting, user)
    scores = {key: values[0] for key, values in INDICATORS.items()}
    goals = {key: min(values) for key, values in INDICATORS.items()}
    form = indicators.form_of(indicators.indicator_round(round_))
    for invitation in round_.invitations:
        answers = {"scores": {k: {"status": v, "goal": goals[k], "text": ""} for k, v in scores.items()}}
        respond.submit_own(invitation, form, answers, "da")
    indicators.save_final_scores(round_, user, {
        key: {"status": scores[key], "goal": goals[key], "rationale": "Samlet vurdering på mødet."} for key in scores
    })
    return round_


def add_today(case, user, rng, link) -> int:
    """Today's network meeting with an answered round, observations waiting, a status asked for."""
    today = date.today()
    meeting = cases.record_meeting(case, "network_meeting", today, [p.id for p in case.people])
    proposed = rounds.proposal(meeting)
    round_, _ = rounds.open_round(meeting, user, {pid: [i.id for i in found] for pid, found in proposed.items()})
    for invitation in round_.invitations:
        if invitation.person.role in ("child", "mother", "provider"):
            answers = {i.id: plausible_answers(i, rng.uniform(4, 8), rng) for i in proposed[invitation.person_id]}
            respond.submit(invitation, answers, "da")
    for kind, text in OBSERVED:
        observations.submit(link, kind, text, None, "da")
    asked = [p for p in case.people if p.role in ("provider", "school")]
    requested, _ = status.request_status(case, user, meeting=None, new_meeting_on=today + timedelta(days=14),
                                         due_on=today + timedelta(days=7), people=asked)
    provider = next(i for i in requested.invitations if i.person.role == "provider")
    status.submit(provider, status_answers(requested, rng), "da")
    # The parents: a 9-year-old is not asked about wishes (from 10, issue 11 item 6).
    family = [p for p in case.people if p.role in ("mother", "father")]
    wishes.ask(meeting, user, family, today)
    return round_.id


# --- copying a case -----------------------------------------------------------------------------

# Not part of a case's own rows: who works on it, the organisation's settings, and the audit
# log (its details name the original's ids).
NOT_COPIED = {"team", "user", "indicator_procedure", "audit_event"}


@dataclass
class CaseRows:
    """Every row of one case, table by table (parents first), to copy it under new ids.

    Building a case through the services takes seconds; the copies, the same rows with new
    ids and new link tokens, make the 100-case caseload in seconds rather than many minutes.
    """

    rows: dict[str, list[dict]]

    @classmethod
    def of(cls, app, case_id: int) -> "CaseRows":
        rows: dict[str, list[dict]] = {}
        with app.app_context():
            for table in db.metadata.sorted_tables:
                where = table.c.id == case_id if table.name == "case" else cls._owned(table, rows)
                if table.name in NOT_COPIED or where is None:
                    continue
                rows[table.name] = [dict(r._mapping) for r in db.session.execute(db.select(table).where(where))]
        return cls(rows)

    @staticmethod
    def _owned(table, rows: dict[str, list[dict]]):
        """Return the condition for the table's rows that point at rows already taken, or None."""
        owned = [fk for fk in table.foreign_keys if fk.column.table.name in rows and fk.column.table is not table]
        if not owned:
            return None
        return db.or_(*(fk.parent.in_([r[fk.column.name] for r in rows[fk.column.table.name]]) for fk in owned))

    def copy(self, app, number: int) -> None:
        """Insert the rows once more under new ids: a new case with the same history."""
        with app.app_context():
            shift = {name: self._shift(name) for name in self.rows}
            for table in db.metadata.sorted_tables:
                if table.name in self.rows and self.rows[table.name]:
                    copies = [self._moved(table, row, shift) for row in self.rows[table.name]]
                    for row in copies:
                        if table.name == "case":
                            row["external_ref"] = f"BENCH-{number}"
                        if "token_hash" in row:
                            row["token_hash"] = secrets.token_hex(32)
                    db.session.execute(table.insert(), copies)
            db.session.commit()

    def _shift(self, name: str) -> int:
        """How far to move this table's ids: past every id it holds now."""
        table = db.metadata.tables[name]
        if "id" not in table.c or not self.rows[name]:
            return 0
        highest = db.session.scalar(db.select(db.func.max(table.c.id))) or 0
        return highest - min(r["id"] for r in self.rows[name]) + 1

    def _moved(self, table, row: dict, shift: dict[str, int]) -> dict:
        moved = dict(row)
        if "id" in table.c:
            moved["id"] = row["id"] + shift[table.name]
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target in shift and row[fk.parent.name] is not None:
                moved[fk.parent.name] = row[fk.parent.name] + shift[target]
        return moved


def restart_ids() -> None:
    """Let PostgreSQL's id sequences continue after the copied ids."""
    if db.engine.dialect.name != "postgresql":
        return
    for table in db.metadata.sorted_tables:
        if "id" in table.c and table.name not in NOT_COPIED:
            db.session.execute(db.text(
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 1))"))
    db.session.commit()


# --- measuring --------------------------------------------------------------------------------

def measure(client, engine, url: str, runs: int) -> tuple[str, float]:
    """Open the page once to warm up, then `runs` times; return the statements and the median ms."""
    warm = client.get(url)
    if warm.status_code != 200:
        raise RuntimeError(f"{url} answered {warm.status_code}")
    counts, times = [], []
    for _ in range(runs):
        with count_queries(engine) as counted:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        counts.append(counted.total)
    statements = str(counts[0]) if min(counts) == max(counts) else f"{min(counts)}–{max(counts)}"
    return statements, statistics.median(times)


def pages(built: Built) -> list[tuple[str, str]]:
    return [
        ("case page", f"/cases/{built.case_id}"),
        ("round page", f"/rounds/{built.round_id}"),
        ("reconciliation", f"/rounds/{built.round_id}/reconcile"),
        ("/due", "/due"),
    ]


def run(url: str, sizes: list[int], months: int, runs: int) -> None:
    app = start(url)
    try:
        user_id = case_worker(app)
        with app.app_context():
            engine = db.engine
        client = app.test_client()
        if client.post("/login", data={"username": "bench", "password": PASSWORD}).status_code != 302:
            raise RuntimeError("could not log in as the case worker")
        header = "".join(f"{label:>22}" for label, _ in pages(Built(0, 0)))
        print(f"{'cases':>5} {'build s':>8}{header}    (statements / median ms)")
        built, count, template = None, 0, None
        for size in sizes:
            started = time.perf_counter()
            if built is None:
                built, count = build_case(app, user_id, 1, months), 1
                template = CaseRows.of(app, built.case_id)
            for number in range(count + 1, size + 1):
                template.copy(app, number)
            count = max(count, size)
            with app.app_context():
                restart_ids()
            took = time.perf_counter() - started
            cells = [measure(client, engine, path, runs) for _, path in pages(built)]
            line = "".join(f"{statements:>12} {ms:>6.0f} ms" for statements, ms in cells)
            print(f"{size:>5} {took:>8.1f}{line}", flush=True)
    finally:
        with app.app_context():
            empty()
            db.engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--sizes", default="1,10,100", help="caseload sizes, ascending, comma-separated")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    code = Path(app_package.__file__).resolve().parent.parent
    try:
        with tempfile.TemporaryDirectory(prefix="samstem-bench-") as folder:
            url = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite"
            print(f"staff pages on {url.split(':', 1)[0]}, code in {code}; {args.months} months of history a case, "
                  f"median of {args.runs} warm runs")
            run(url, sizes, args.months, args.runs)
    except Exception as error:  # a measurement never fails the build
        print(f"staff_pages: could not measure: {error!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
