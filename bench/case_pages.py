"""Count the SQL statements of Emma's demo case page, its round pages and its reconciliation pages.

Run: .venv/bin/python bench/case_pages.py [--months 0 24 48]

Builds `flask demo-data`'s case (app/demo.py) on a throwaway SQLite file, optionally with
more months of decided follow-up meetings behind it, logs in as the demo case worker and
opens each page once (after one warm-up), printing the statements run in all and those run
while a template renders. A measurement, not a test: it always exits 0.
"""

import argparse
import random
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.auth.models import User  # noqa: E402
from app.cases.models import Case  # noqa: E402
from app.demo import add_history, create_demo  # noqa: E402
from app.extensions import db  # noqa: E402
from bench.queries import count_queries  # noqa: E402


def build(months: int) -> None:
    """Create the demo case, with `months` more months of history before it."""
    create_demo()
    case = db.session.scalar(select(Case).where(Case.external_ref == "DEMO-1"))
    if months:
        user = db.session.scalar(select(User).where(User.username == "demo"))
        add_history(case, user, months=months + 6, rng=random.Random(months))
    db.session.commit()


def pages() -> list[tuple[str, str]]:
    """Return (name, url) of the pages measured."""
    case = db.session.scalar(select(Case).where(Case.external_ref == "DEMO-1"))
    rounds = sorted((r for m in case.meetings for r in m.rounds), key=lambda r: r.id)
    feedback = [r for r in rounds if r.kind == "feedback"]
    decided = next(r for r in reversed(feedback) if r.is_locked)
    status = next(r for r in rounds if r.kind == "status")
    return [
        ("case page", f"/cases/{case.id}"),
        ("round page, open feedback round", f"/rounds/{feedback[-1].id}"),
        ("round page, decided feedback round", f"/rounds/{decided.id}"),
        ("round page, status round", f"/rounds/{status.id}"),
        ("reconciliation, decided feedback round", f"/rounds/{decided.id}/reconcile"),
        ("reconciliation, status round", f"/rounds/{status.id}/reconcile"),
        ("reconciliation, the case", f"/cases/{case.id}/reconcile"),
    ]


def measure(months: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app({
            "SECRET_KEY": secrets.token_hex(), "LINK_KEYS": Fernet.generate_key().decode(),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SESSION_COOKIE_SECURE": False,
            "WTF_CSRF_ENABLED": False, "PUBLIC_BASE_URL": "http://localhost",
        })
        with app.app_context():
            upgrade()
        with app.test_request_context():
            build(months)
            measured = pages()
        client = app.test_client()
        client.post("/login", data={"username": "demo", "password": "demo"})
        meetings = 7 + (months + 6 if months else 0)
        print(f"Emma's demo case{f' + {months + 6} more months' if months else ''} ({meetings} meetings)")
        for name, url in measured:
            client.get(url)
            with app.app_context(), count_queries(db.engine) as counted:
                status = client.get(url).status_code
            print(f"  {name:42} {status}  {counted.total:4} statements, {counted.while_rendering:4} while rendering")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--months", type=int, nargs="*", default=[0, 42])
    for months in parser.parse_args().months:
        measure(months)


if __name__ == "__main__":
    main()
