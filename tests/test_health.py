"""/healthz and /readyz for the load balancer (issue 13, "Running it in production"): the process
is up; the database answers and its migrations are current. Unauthenticated, revealing nothing
else, never rate-limited, no cookie, no audit entry.
"""

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from app import create_app
from app.audit import AuditEvent
from app.extensions import db, limiter
from tests.conftest import _config

PROBES = ["/healthz", "/readyz"]


def _audit_entries(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent))


@pytest.mark.parametrize("url", PROBES)
def test_a_probe_answers_anyone_with_ok_and_nothing_else(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.text == "ok" and response.mimetype == "text/plain"
    assert "Set-Cookie" not in response.headers
    assert client.head(url).status_code == 200


@pytest.mark.parametrize("url", PROBES)
def test_a_probe_neither_touches_a_staff_session_nor_audits(app, staff, url):
    # A page a logged-in user opens writes "last used" into the session cookie (app/auth/sessions.py)
    # once it is 30 seconds old; a probe sent with that cookie must not.
    with staff.session_transaction() as session:
        session["auth_seen"] -= 60
    before = _audit_entries(app)
    response = staff.get(url)
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert _audit_entries(app) == before
    assert "Set-Cookie" in staff.get("/cases/").headers  # the page does, so the check above sees it


@pytest.fixture
def behind(app):
    """The database one migration behind the code, as after a deploy whose migration has not run."""
    with app.app_context():
        heads = ScriptDirectory(app.extensions["migrate"].directory).get_heads()
        [current] = db.session.scalars(text("SELECT version_num FROM alembic_version")).all()
        assert [current] == heads
        older = ScriptDirectory(app.extensions["migrate"].directory).get_revision(current).down_revision
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": older})
        db.session.commit()
    yield current, older
    with app.app_context():
        db.session.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": current})
        db.session.commit()


def test_readyz_is_unavailable_while_the_migrations_are_behind(client, behind):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.text == "unavailable"
    assert not any(revision in response.text for revision in behind)
    assert client.get("/healthz").status_code == 200  # the process itself is up


@pytest.mark.parametrize("database", ["missing directory", "no schema"])
def test_readyz_is_unavailable_when_the_database_cannot_say(tmp_path, database):
    url = (f"sqlite:///{tmp_path}/nowhere/samstem.sqlite" if database == "missing directory"
           else f"sqlite:///{tmp_path}/empty.sqlite")
    app = create_app(_config(url))
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.text == "unavailable"  # no error text, no table name
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def default_limit(database_url):
    """An app whose operator set a default rate limit for every page (RATELIMIT_DEFAULT)."""
    app = create_app(_config(database_url) | {"RATELIMIT_DEFAULT": "2 per minute"})
    yield app
    limiter.limit_manager.set_default_limits([])  # the limiter is one object for every app
    limiter.reset()
    with app.app_context():
        db.engine.dispose()


def test_probes_are_never_rate_limited(default_limit):
    client = default_limit.test_client()
    assert [client.get("/code").status_code for _ in range(3)] == [200, 200, 429]
    for url in PROBES:
        assert {client.get(url).status_code for _ in range(5)} == {200}
