"""Fixtures: the app on SQLite and on PostgreSQL, clients, and factories for test data."""

import fcntl
import itertools
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

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


@dataclass
class Template:
    """A database made once (per backend, for a test worker or for the run), and fresh copies of it
    for tests to change.

    SQLite copies the template's file; PostgreSQL makes a database with the template as its
    TEMPLATE (no connection may be open to the template then, so every engine on it is disposed).
    """

    url: str
    directory: Path  # where this test worker's copies of a SQLite template go
    tag: str = ""  # the test worker's, in the names of its copies when the template is shared
    _numbers: itertools.count = field(default_factory=itertools.count)

    def copy(self) -> str:
        n = f"{self.tag}{next(self._numbers)}"
        template = make_url(self.url)
        if template.drivername.startswith("sqlite"):
            target = self.directory / f"{Path(template.database).stem}-{n}.sqlite"
            shutil.copyfile(template.database, target)
            return f"sqlite:///{target}"
        name = f"{template.database}_{n}"
        _on_server(self.url, f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')
        return template.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        copied = make_url(url)
        if copied.drivername.startswith("sqlite"):
            Path(copied.database).unlink(missing_ok=True)
        else:
            _on_server(self.url, f'DROP DATABASE IF EXISTS "{copied.database}" WITH (FORCE)')


@dataclass
class FirstRun:
    """What `flask demo-data` printed on the empty database: its links, the accounts."""

    exit_code: int
    output: str
    stdout: str
    stderr: str


@dataclass
class DemoTemplate(Template):
    """The database `flask demo-data` left, and what that run printed."""

    first_run: FirstRun | None = None


def _on_server(url: str, statement: str) -> None:
    """Run a CREATE/DROP DATABASE through the server's maintenance database `postgres`."""
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement))
    engine.dispose()


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def blank_template(database_url, tmp_path_factory) -> Template:
    """An empty database of this backend (and test worker) with the schema, through the migrations."""
    directory = tmp_path_factory.mktemp("templates")
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{directory}/blank.sqlite"
    else:
        url = make_url(database_url)
        name = f"{url.database}_blank"
        _on_server(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _on_server(database_url, f'CREATE DATABASE "{name}"')
        url = url.set(database=name).render_as_string(hide_password=False)
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
    _dispose(app)
    return Template(url, directory)


@pytest.fixture(scope="session")
def demo_template(database_url, tmp_path_factory) -> DemoTemplate:
    """The demo (Emma's case and the demo organisation with its releases) built ONCE per backend by
    `flask demo-data` on an empty database, and shared by the test workers of the run (pytest-xdist):
    the first to need it builds it while the others wait on a lock. The demo is dated from today."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    # Under xdist every worker's temporary directory lies in the run's own: shared by this run only.
    shared = tmp_path_factory.getbasetemp().parent if worker else tmp_path_factory.getbasetemp()
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    built = shared / f"demo-{backend}.json"
    with open(shared / f"demo-{backend}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.exists():
            url, first_run = _build_demo(database_url, shared / "demo.sqlite")
            built.write_text(json.dumps({"url": url, "first_run": asdict(first_run)}))
        stored = json.loads(built.read_text())
    return DemoTemplate(stored["url"], tmp_path_factory.mktemp("demo"), tag=f"{worker}_" if worker else "",
                        first_run=FirstRun(**stored["first_run"]))


def _build_demo(database_url: str, sqlite_file: Path) -> tuple[str, FirstRun]:
    """Run `flask demo-data` on a new, migrated database; return its address and what it printed."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{sqlite_file}"
    else:
        name = f"{make_url(os.environ['TEST_DATABASE_URL']).database}_demo"
        _on_server(database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        _on_server(database_url, f'CREATE DATABASE "{name}"')
        url = make_url(database_url).set(database=name).render_as_string(hide_password=False)
    app = create_app(_config(url))
    with app.app_context():
        upgrade()
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    _dispose(app)
    limiter.reset()
    return url, FirstRun(result.exit_code, result.output, result.stdout, result.stderr)


@pytest.fixture
def demo_app(demo_template):
    """An app on a fresh copy of the demo database (demo_template); the copy is
    removed after the test. Use it instead of `app` when a test needs the demo to exist."""
    url = demo_template.copy()
    app = create_app(_config(url))
    yield app
    _dispose(app)
    demo_template.drop(url)
    limiter.reset()


@pytest.fixture(scope="session")
def staff_walk(blank_template):
    """Every staff GET page of the demo case, opened once per backend and test worker by its case
    worker on a copy of the empty database (tests/staff_walk.py); tests read the pages kept."""
    from tests.staff_walk import walk

    url = blank_template.copy()
    app = create_app(_config(url))
    found = walk(app)
    limiter.reset()
    yield found
    _dispose(app)
    blank_template.drop(url)


@pytest.fixture
def demo_runner(demo_app):
    return demo_app.test_cli_runner()


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
