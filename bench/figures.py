"""Measure a release of the figures and the figures page against hand-written SQL and constants.

Run on PostgreSQL (the synthetic organisation is generated in SQL):
    scripts/with-postgres.sh .venv/bin/python bench/figures.py [--cases 100000] [--runs 5]

Issue 15 "Figures to print". Generates, in SQL in the product's own schema, an organisation of
10 teams of 3 case workers each and `cases` cases (default 20,000; the issue's size is 100,000),
each with a child of 6–12 and two parents, two network meetings in last year's first quarter with
a feedback round each, every person invited and about nine in ten answering two forms (FIT
outcome for all, FIT session for the child, the participation evaluation for the parents): about
twelve responses a case, 1.2 million at 100,000 cases. Then it prints:

- I1 as a release makes it (summed per team and method group in the database, app/figures/sums.py;
  its cells for every filter set; protected) against one hand-written GROUP BY GROUPING SETS query
  giving I1's cells (by role and state, for the organisation, each team, each kind of meeting, and
  both); target: within 3× the hand-written query for the same cells; then a whole release (every
  figure, every filter set) for scale;
- the figures page read from the stored release (no filter, and two filters) against rendering
  the same page from constants (the page built once); target: within 2×.

Issue 16 "Figures to print", in the same run:

- the XLSX export of the release's largest figure table (app/figures/sheets.py and exports.py, as
  /figures/export.xlsx writes it) against writing the same rows with openpyxl alone;
- the analyst's extract (app/figures/extract.py, as the analyst's request takes it: read,
  pseudonymise, codebook, write) of `--extract-days` days of the synthetic organisation's meetings,
  as XLSX and as a ZIP of CSV files, against writing the same rows with openpyxl alone and with the
  csv module alone (bench/extract.py's writers).

A measurement, not a test: it always exits 0. It empties the database before and after.
"""

import argparse
import logging
import os
import secrets
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.fernet import Fernet  # noqa: E402
from flask import render_template  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import text  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.extensions import db  # noqa: E402
from app.figures import catalogue, disclosure, extract, page, releases, sheets, sums  # noqa: E402
from app.figures.disclosure import Table  # noqa: E402
from app.figures.exports import xlsx_bytes  # noqa: E402
from app.figures.extract_rows import Pseudonyms, answer_rows  # noqa: E402
from app.figures.facts import Facts, Source, load, teams  # noqa: E402
from app.figures.periods import parse  # noqa: E402
from app.instruments import current_catalogue  # noqa: E402
from app.timestamps import local_today, utcnow  # noqa: E402
from bench.extract import _library_csv, _library_xlsx  # noqa: E402

PASSWORD = "bench-password"
TEAMS, WORKERS = 10, 3

# The organisation, in SQL: ids are derived from the case number g, so no row needs a lookup.
GENERATE = [
    "INSERT INTO team (id, name) SELECT t, 'Team ' || t FROM generate_series(1, :teams) t",
    """INSERT INTO "user" (id, username, name, password_hash, team_id, active, session_version)
       SELECT w, 'worker' || w, 'Rådgiver ' || w, 'x', (w - 1) / :workers + 1, true, 1
       FROM generate_series(1, :teams * :workers) w""",
    """INSERT INTO user_role (user_id, role) SELECT w, 'caseworker' FROM generate_series(1, :teams * :workers) w""",
    """INSERT INTO "case" (id, team_id, caseworker_id, child_birth_year, created_at)
       SELECT g, (g - 1) % :teams + 1, ((g - 1) % :teams) * :workers + (g / :teams) % :workers + 1,
              :year - 6 - (g % 7), now() FROM generate_series(1, :cases) g""",
    """INSERT INTO person (id, case_id, role, first_name, language)
       SELECT 3 * g - 2 + k, g, (ARRAY['child', 'mother', 'father'])[k + 1], 'Navn', 'da'
       FROM generate_series(1, :cases) g, generate_series(0, 2) k""",
    """INSERT INTO meeting (id, case_id, kind, held_on, created_at)
       SELECT 2 * g - 1 + k, g, CASE WHEN (g / 10) % 5 = 0 THEN 'family_group_conference' WHEN (g / 10) % 5 = 1 THEN 'follow_up'
              ELSE 'network_meeting' END, make_date(:year, 1 + k, 1 + g % 27), now()
       FROM generate_series(1, :cases) g, generate_series(0, 1) k""",
    """INSERT INTO round (id, meeting_id, kind, created_by_id, created_at)
       SELECT m.id, m.id, 'feedback', c.caseworker_id, now() FROM meeting m JOIN "case" c ON c.id = m.case_id""",
    # The role each person was asked in (issue 14 item 5): the child, then the two parents.
    """INSERT INTO invitation (id, round_id, person_id, instrument_ids, token_hash, issued_at, expires_at,
                               respondent_role)
       SELECT 3 * (r.id - 1) + k + 1, r.id, 3 * m.case_id - 2 + k, '[]', md5(r.id || '-' || k) || md5(k || '-' || r.id),
              m.held_on, m.held_on + 14, (ARRAY['child', 'mother', 'father'])[k + 1]
       FROM round r JOIN meeting m ON m.id = r.meeting_id, generate_series(0, 2) k""",
    # Nine in ten answer: the FIT outcome form (the child's words, about a child of 6–12) ...
    """INSERT INTO response (invitation_id, instrument_id, instrument_version, answers, declined, language,
                             submitted_at, submission_id, respondent_role)
       SELECT i.id, 'fit-outcome-child', :outcome_version,
              json_build_object('me', round((random() * 10)::numeric, 1), 'family', round((random() * 10)::numeric, 1),
                                'school', round((random() * 10)::numeric, 1),
                                'everything', round((random() * 10)::numeric, 1)),
              false, 'da', i.issued_at + interval '1 day', md5(i.id || 'o'), i.respondent_role
       FROM invitation i WHERE i.id % 10 <> 0""",
    # ... and the session rating (the child) or the participation evaluation (the parents).
    """INSERT INTO response (invitation_id, instrument_id, instrument_version, answers, declined, language,
                             submitted_at, submission_id, respondent_role)
       SELECT i.id, CASE WHEN p.role = 'child' THEN 'fit-session-child' ELSE 'participation-adult' END,
              CASE WHEN p.role = 'child' THEN :session_version ELSE :participation_version END,
              CASE WHEN p.role = 'child' THEN
                json_build_object('listened', round((5 + random() * 5)::numeric, 1),
                                  'mattered', round((5 + random() * 5)::numeric, 1),
                                  'liked', round((5 + random() * 5)::numeric, 1),
                                  'overall', round((5 + random() * 5)::numeric, 1))
              ELSE json_build_object('heard_respected', (1 + floor(random() * 5))::int::text,
                                     'contributed', (1 + floor(random() * 5))::int::text,
                                     'backs_plan', (1 + floor(random() * 5))::int::text) END,
              false, 'da', i.issued_at + interval '1 day', md5(i.id || 's'), i.respondent_role
       FROM invitation i JOIN person p ON p.id = i.person_id WHERE i.id % 10 <> 0""",
]

# I1's cells, written by hand: invitations by role group and state, with the distinct children,
# for the organisation, each team, each kind of meeting, and each team and kind of meeting.
I1_BY_HAND = """
WITH answers AS (
  SELECT invitation_id, count(*) AS n, count(*) FILTER (WHERE declined) AS declined
  FROM response WHERE superseded_at IS NULL GROUP BY invitation_id
), rows AS (
  SELECT c.id AS case_id, c.team_id,
         CASE WHEN m.kind IN ('family_group_conference', 'network_meeting') THEN m.kind ELSE 'other' END AS meeting,
         CASE WHEN p.role = 'child' THEN 'child' WHEN p.role IN ('mother', 'father', 'carer') THEN 'parents'
              WHEN p.role = 'network' THEN 'network' ELSE 'provider' END AS role,
         CASE WHEN i.revoked_at IS NOT NULL THEN 'revoked' WHEN a.n > 0 AND a.n = a.declined THEN 'declined'
              WHEN a.n > 0 THEN 'answered' WHEN i.expires_at <= now() THEN 'expired' ELSE 'waiting' END AS state
  FROM invitation i JOIN round r ON r.id = i.round_id JOIN meeting m ON m.id = r.meeting_id
  JOIN "case" c ON c.id = m.case_id JOIN person p ON p.id = i.person_id
  LEFT JOIN answers a ON a.invitation_id = i.id
  WHERE r.kind = 'feedback' AND m.held_on >= :start AND m.held_on < :end
)
SELECT team_id, meeting, role, state, count(*), count(DISTINCT case_id) FROM rows
GROUP BY GROUPING SETS ((role, state), (team_id, role, state), (meeting, role, state), (team_id, meeting, role, state))
"""


def start(url: str):
    app = create_app({
        "SECRET_KEY": secrets.token_hex(), "LINK_KEYS": Fernet.generate_key().decode(), "SQLALCHEMY_DATABASE_URI": url,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SESSION_COOKIE_SECURE": False,
        "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "EXTRACT_ROW_LIMIT": 100_000_000,
    })
    logging.disable(logging.INFO)
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


def generate(cases: int, year: int) -> float:
    forms = current_catalogue()
    started = time.perf_counter()
    values = {"teams": TEAMS, "workers": WORKERS, "cases": cases, "year": year,
              "outcome_version": forms.get("fit-outcome-child").version,
              "session_version": forms.get("fit-session-child").version,
              "participation_version": forms.get("participation-adult").version}
    for statement in GENERATE:
        db.session.execute(text(statement), {k: v for k, v in values.items() if f":{k}" in statement})
    for table in ("team", "user", "case", "person", "meeting", "round", "invitation"):
        db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f"(SELECT max(id) FROM \"{table}\"))"))
    db.session.commit()
    db.session.execute(text("ANALYZE"))
    return time.perf_counter() - started


def timed(function, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def release_times(period, runs: int, whole_release: bool = True) -> None:
    """I1 as a release makes it, against the hand-written query: its parts summed in the database
    (app/figures/sums.py), its cells for every filter set, and the disclosure engine over them."""
    team_ids = list(teams())
    rules = releases.rules()
    by_hand, cells = timed(lambda: db.session.execute(text(I1_BY_HAND), {"start": period.start,
                                                                           "end": period.end}).all(), runs)
    i1 = catalogue.FIGURES["I1"]

    def unread() -> Facts:
        # What I1 reads in a release: nothing of the rows load() reads for the other figures.
        return Facts(period=period, invitations=(), source=Source(utcnow(), period.end))

    def summed():
        facts = unread()
        sums.i1(facts)  # the parts, once per release
        return facts

    summing, facts = timed(summed, runs)

    def i1_tables():
        return [Table(i1.id, i1.dimensions, i1.kind, tuple(i1.compute(releases._narrow(facts, f))), f)
                for f in releases.filter_sets(team_ids)]

    computing, tables = timed(i1_tables, runs)
    protecting, _ = timed(lambda: disclosure.protect(tables, rules), runs)
    ours = summing + computing + protecting
    print(f"I1 by hand (GROUP BY GROUPING SETS, {len(cells)} cells): {by_hand * 1000:8.0f} ms")
    print(f"I1 in a release: sum in the database {summing * 1000:.0f} ms + cells of {len(tables)} filter sets "
          f"{computing * 1000:.0f} ms + protect {protecting * 1000:.0f} ms = {ours * 1000:.0f} ms  "
          f"({ours / by_hand:.1f}× by hand; target ≤ 3×)")
    if not whole_release:
        return
    loading, _ = timed(lambda: load(period), 1)
    whole, _ = timed(lambda: releases.build(period, load(period), team_ids, rules), 1)
    print(f"a whole release, {len(catalogue.FIGURES)} figures × {len(releases.filter_sets(team_ids))} filter sets: "
          f"{whole:.1f} s, of which reading the rows {loading:.1f} s ({whole / by_hand:.0f}× the hand-written I1 "
          "alone)")


def page_times(app, runs: int) -> None:
    """The page as a leader reads it, against the same page built and rendered from constants: the
    release, its comments and the periods handed over ready, so only the reading differs."""
    with app.app_context():
        user = User(username="boss", name="Leder", roles={"leader"})
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        user_id = user.id
        team = str(next(iter(teams())))
    client = app.test_client()
    client.post("/login", data={"username": "boss", "password": PASSWORD})
    for label, query in [("no filter", ""), ("two filters", f"?team={team}&meeting=network_meeting")]:
        first = client.get("/figures" + query)
        if first.status_code != 200:
            why = first.text.split('role="alert">')[-1].split("<")[0] if 'role="alert">' in first.text else ""
            print(f"figures page, {label}: could not be read ({first.status_code} {why})")
            continue
        read, _ = timed(lambda q=query: client.get("/figures" + q), 5 * runs)  # a page is quick: more runs, a steadier median
        with app.test_request_context("/figures" + query):
            from flask import request

            user = db.session.get(User, user_id)
            login_user(user)
            periods = releases.released_periods()
            release = releases.latest(periods[0])
            saved = (releases.released_periods, releases.latest, page._comments)
            releases.released_periods, releases.latest = (lambda scope=None: periods), (lambda *a, **k: release)
            page._comments = lambda *args: {}
            try:
                def constant():
                    return render_template("figures/index.html", page=page.build(user, request.args, None),
                                           comment_error={})

                from_constants, _ = timed(constant, 5 * runs)
            finally:
                releases.released_periods, releases.latest, page._comments = saved
        print(f"figures page, {label}: read from the release {read * 1000:.0f} ms (the whole request), built "
              f"and rendered from constants {from_constants * 1000:.0f} ms ({read / from_constants:.1f}×; "
              "target ≤ 2×)")


def _leader(app, username: str, roles: set[str]) -> int:
    with app.app_context():
        user = User(username=username, name="Bench " + username, roles=roles)
        user.set_password(PASSWORD)
        db.session.add(user)
        db.session.commit()
        return user.id


def export_times(app, user_id: int, runs: int) -> None:
    """The XLSX export of the largest table of the newest release, as the export writes it, against
    the same header and rows written by openpyxl alone."""
    with app.test_request_context("/figures/export.xlsx"):
        from flask import request

        user = db.session.get(User, user_id)
        login_user(user)
        built = page.build(user, request.args, None)
        view = max(built.figures, key=lambda v: len(v.grid.rows) * (len(v.grid.columns) + 1))
        sheet = sheets.sheet(view, built)
        rows = [list(sheet.header), *([("–" if v is None else v) for v in row] for row in sheet.rows),
                [], *([note] for note in sheet.notes)]
        ours, data = timed(lambda: xlsx_bytes([sheets.sheet(view, built)]), runs)
        alone, plain = timed(lambda: _openpyxl(rows), runs)
        print(f"XLSX export of the largest table ({view.figure.id}, {len(sheet.rows)} rows × "
              f"{len(sheet.header)} columns, with its notes): {ours * 1000:.0f} ms, {len(data) / 1024:.0f} KB; "
              f"openpyxl alone, same rows: {alone * 1000:.0f} ms, {len(plain) / 1024:.0f} KB "
              f"({ours / alone:.1f}×)")


def _openpyxl(rows: list[list]) -> bytes:
    """The rows written by openpyxl alone (a table's own header, unlike bench/extract.py's columns)."""
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def extract_times(app, user_id: int, runs: int, year: int, days: int) -> None:
    """The analyst's extract of `days` days of meetings, as the analyst's request takes it, against
    the same rows written with the libraries alone (bench/extract.py's writers)."""
    start = date(year, 1, 1)
    end = start + timedelta(days=days - 1)
    with app.test_request_context("/figures/extract"):
        login_user(db.session.get(User, user_id))
        rows = answer_rows(start, end, False, Pseudonyms(), 100_000_000)
        print(f"analyst extract of {start}–{end}: {len(rows)} rows")
        for fmt in extract.FORMATS:
            choice = extract.Choice(start, end, False, fmt)
            seconds, data = timed(lambda choice=choice: extract.take(choice, date.today()).data, runs)
            db.session.rollback()  # the audit entries of the runs
            alone, plain = timed(lambda: (_library_xlsx if fmt == "xlsx" else _library_csv)(rows), runs)
            library = "openpyxl" if fmt == "xlsx" else "csv"
            print(f"  Samstem extract ({fmt}): {seconds:.2f} s, {len(data) / 1024:.0f} KB; {library} alone, same "
                  f"rows: {alone:.2f} s, {len(plain) / 1024:.0f} KB ({seconds / alone:.1f}×)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--extract-days", type=int, default=7,
                        help="days of meetings in the analyst's extract (each day about 1/27 of the cases)")
    parser.add_argument("--skip-whole", action="store_true", help="leave out timing a whole release")
    args = parser.parse_args()
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        print("figures: the synthetic organisation is generated in PostgreSQL's SQL; run through "
              "scripts/with-postgres.sh", file=sys.stderr)
        return 0
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        app = start(url)
        with app.test_request_context():
            year = local_today().year - 1
            generate(args.cases, year)
            cProfile.runctx("releases.build(parse(f'{year}-Q1'), load(parse(f'{year}-Q1')), list(teams()), releases.rules())", globals(), locals(), "/tmp/figures.prof")
            pstats.Stats("/tmp/figures.prof").sort_stats("cumulative").print_stats(25)
            empty()
        return 0
    try:
        app = start(url)
        try:
            with app.test_request_context():
                year = local_today().year - 1
                took = generate(args.cases, year)
                responses = db.session.scalar(text("SELECT count(*) FROM response"))
                print(f"figures on postgresql: {args.cases} cases, {responses} responses generated in {took:.1f} s; "
                      f"median of {args.runs} runs")
                period = parse(f"{year}-Q1")
                release_times(period, args.runs, not args.skip_whole)
                outcome = releases.release(period, date.today())
                db.session.commit()
                print(f"stored {outcome.release.period} version {outcome.release.version}")
            page_times(app, args.runs)
            export_times(app, _leader(app, "boss2", {"leader"}), args.runs)
            extract_times(app, _leader(app, "analyst", {"analyst"}), args.runs, year, args.extract_days)
        finally:
            with app.app_context():
                empty()
                db.engine.dispose()
    except Exception as error:  # a measurement never fails the build
        print(f"figures: could not measure: {error!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
