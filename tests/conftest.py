"""Fixtures: the app on SQLite and on PostgreSQL, clients, and factories for test data."""

import os

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from app import create_app
from app.config import TestConfig
from app.extensions import db, limiter

BACKENDS = ["sqlite"]
if os.environ.get("TEST_DATABASE_URL"):
    BACKENDS.append("postgresql")
elif os.environ.get("REQUIRE_POSTGRES"):
    raise RuntimeError("REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not: run through make test")


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """Create the schema once per backend, through the migrations."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db')}/test.sqlite"
    else:
        url = _worker_database(os.environ["TEST_DATABASE_URL"], os.environ.get("PYTEST_XDIST_WORKER"))
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _worker_database(url: str, worker: str | None) -> str:
    """Return a database of this test worker's own on the server (pytest-xdist runs several)."""
    if worker is None:
        return url
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    name = f"{make_url(url).database}_{worker}"
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _config(url: str) -> dict:
    config = {k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}
    config["SQLALCHEMY_DATABASE_URI"] = url
    return config


@pytest.fixture
def app(database_url):
    app = create_app(_config(database_url))
    yield app
    with app.app_context():
        # Empty every table, children first, so the next test starts clean.
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.engine.dispose()
    limiter.reset()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def backend(database_url) -> str:
    return "postgresql" if database_url.startswith("postgresql") else "sqlite"


@pytest.fixture
def make(app):
    from tests.factories import Factory

    return Factory(app)


@pytest.fixture
def caseworker(make):
    """A case worker on Team Nord, logged in through the client fixture by `staff`."""
    team = make.team()
    return make.user(team=team)


@pytest.fixture
def staff(client, caseworker):
    """The client, logged in as the case worker."""
    from tests.factories import login

    response = login(client)
    assert response.status_code == 302
    return client
