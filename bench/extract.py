"""Time the analyst's extract of a synthetic organisation against writing the same rows with the libraries alone.

Run: .venv/bin/python bench/extract.py [--cases 100] [--months 12] [--runs 3]

Builds the app on a throwaway SQLite file with a number of cases like Emma's (five people
around the child, a decided follow-up meeting every month, everyone answering), then takes
the extract of the last year as the analyst's request does (read, pseudonymise, codebook,
write) as XLSX and as a ZIP of CSV files, and, in the same run, writes the same rows with
openpyxl alone and with the csv module alone. Prints rows, the median time and size of each.
A measurement, not a test: it always exits 0 (issue 16, "Figures to print").
"""

import argparse
import csv
import io
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask_login import login_user  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import Team, User  # noqa: E402
from app.cases import services as cases  # noqa: E402
from app.demo import PEOPLE, add_history  # noqa: E402
from app.extensions import db  # noqa: E402
from app.figures import extract  # noqa: E402
from app.figures.extract_rows import COLUMNS, Pseudonyms, answer_rows  # noqa: E402


def build(cases_wanted: int, months: int) -> None:
    """Create the organisation: one team, one case worker, `cases_wanted` cases with `months` of history."""
    team = Team(name="Bench")
    user = User(username="bench", name="Anne Rådgiver", roles={"caseworker"}, team=team)
    user.set_password(secrets.token_urlsafe())
    db.session.add(user)
    db.session.flush()
    login_user(user)
    rng = random.Random(16)
    for number in range(cases_wanted):
        case = cases.create_case(user, "Emma", date.today().year - rng.randint(3, 17), f"BENCH-{number}")
        for role, name, relation in PEOPLE:
            cases.save_person(case, None, {"role": role, "first_name": name, "relation": relation, "language": "da"})
        add_history(case, user, months=months, rng=rng)
        db.session.commit()


def _timed(runs: int, work) -> tuple[float, bytes]:
    times, data = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        data = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), data


def _library_xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _library_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(), "LINK_KEYS": Fernet.generate_key().decode(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "EXTRACT_ROW_LIMIT": 10_000_000,
        })
        with app.app_context():
            upgrade()
        with app.test_request_context():
            started = time.perf_counter()
            build(args.cases, args.months)
            print(f"built {args.cases} cases with {args.months} months each in {time.perf_counter() - started:.1f} s")
            today = date.today()
            start, end = today - timedelta(days=365), today
            rows = answer_rows(start, end, False, Pseudonyms(), 10_000_000)
            print(f"extract of {start}–{end}: {len(rows)} rows")
            for fmt in extract.FORMATS:
                choice = extract.Choice(start, end, False, fmt)
                seconds, data = _timed(args.runs, lambda choice=choice: extract.take(choice, today).data)
                print(f"  Samstem extract ({fmt}): {seconds:.2f} s, {len(data) / 1024:.0f} KB")
                db.session.rollback()  # the audit entries of the runs
            seconds, data = _timed(args.runs, lambda: _library_xlsx(rows))
            print(f"  openpyxl alone, same rows: {seconds:.2f} s, {len(data) / 1024:.0f} KB")
            seconds, data = _timed(args.runs, lambda: _library_csv(rows))
            print(f"  csv alone, same rows: {seconds:.2f} s, {len(data) / 1024:.0f} KB")


if __name__ == "__main__":
    main()
