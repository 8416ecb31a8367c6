"""Everything a second host needs is in the database or Redis (issue 13, "Running it in production").

Host A is an app in this process; host B is gunicorn in a process of its own, as on another
machine. They share one database, one real redis-server and the configuration (SECRET_KEY
signs the session cookies), nothing else: no memory, no files. A session begun on A works on B,
login failures counted on A hold on B, a link made on A opens on B. On PostgreSQL (make test)
this is the production set-up; on SQLite the same file stands in for it.
"""

import http.client
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
import redis

from app import create_app
from app.config import TestConfig
from app.extensions import db, limiter
from tests.conftest import _config
from tests.factories import PASSWORD, login
from tests.qr import decode_svg
from tests.test_rate_limits_redis import redis_server  # noqa: F401  (the fixture)

ROOT = Path(__file__).resolve().parent.parent


class Host:
    """A browser's view of host B: one HTTP request at a time, redirects not followed, the
    session cookie kept."""

    def __init__(self, base: str):
        self.base = base
        self.cookie: str | None = None

    def request(self, method: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        headers = {"Cookie": f"session={self.cookie}"} if self.cookie else {}
        body = None
        if data is not None:
            body, headers["Content-Type"] = urlencode(data), "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0].removeprefix("session=")
        answer = (response.status, dict(response.getheaders()), response.read().decode())
        connection.close()
        return answer


def _wait_for(server: subprocess.Popen, log: Path) -> int:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        found = re.search(r"Listening at: http://127\.0\.0\.1:(\d+)", log.read_text())
        if found:
            try:
                if Host(f"http://127.0.0.1:{found.group(1)}").request("GET", "/healthz")[0] == 200:
                    return int(found.group(1))
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError("host B did not start")


@pytest.fixture(scope="module")
def host_b(database_url, redis_server, tmp_path_factory) -> Iterator[str]:  # noqa: F811
    """gunicorn on the same database and Redis, with the same SECRET_KEY; yields its base URL."""
    log = tmp_path_factory.mktemp("host_b") / "gunicorn.log"
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("SAMSTEM_", "PROMETHEUS_"))} | {
        "SECRET_KEY": TestConfig.SECRET_KEY, "SAMSTEM_LINK_KEY": TestConfig.LINK_KEYS[0],
        "DATABASE_URL": database_url, "RATELIMIT_STORAGE_URI": redis_server,
        "SAMSTEM_INSECURE_COOKIES": "1", "SAMSTEM_BIND": "127.0.0.1:0", "SAMSTEM_WORKERS": "1",
    }
    with log.open("w") as output:
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "tests.test_two_hosts:host_b_app()"],
                                  cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{_wait_for(server, log)}"
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)


@pytest.fixture
def hosts(app, redis_server, host_b) -> Iterator[tuple]:  # noqa: F811
    """Host A's test client and host B, the rate-limit counts emptied first."""
    redis.Redis(unix_socket_path=redis_server.removeprefix("redis+unix://")).flushall()
    host_a = create_app(_config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"RATELIMIT_STORAGE_URI": redis_server})
    yield host_a.test_client(), Host(host_b)
    with host_a.app_context():
        db.engine.dispose()
    limiter.reset()


def _carry_session(a, b: Host) -> None:
    """The browser's next request goes to the other host, as behind a load balancer without stickiness."""
    b.cookie = a.get_cookie("session").value


def test_a_session_begun_on_one_host_works_on_the_other_and_ends_on_both(hosts, make, caseworker):
    a, b = hosts
    ids = make.emma(caseworker)
    assert login(a).status_code == 302
    _carry_session(a, b)
    status, _, page = b.request("GET", f"/cases/{ids.case}")
    assert status == 200 and "Emma" in page
    assert a.post("/logout").status_code == 302  # logging out on A ends the session everywhere
    status, headers, _ = b.request("GET", f"/cases/{ids.case}")
    assert status == 302 and "/login" in headers["Location"]


def test_failures_counted_on_one_host_hold_on_the_other(hosts, caseworker):
    a, b = hosts
    for _ in range(5):
        assert a.post("/login", data={"username": "anne", "password": "wrong"}).status_code == 200
    _, _, form = b.request("GET", "/login")  # B checks its forms' CSRF tokens, as in production
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form).group(1)
    status, _, _ = b.request("POST", "/login", {"username": "anne", "password": PASSWORD, "csrf_token": csrf})
    assert status == 429


def test_a_link_made_on_one_host_opens_on_the_other(hosts, make, caseworker):
    a, b = hosts
    ids = make.emma(caseworker)
    login(a)
    assert a.post(f"/rounds/{ids.round}/reissue").status_code == 302  # new links, made on A
    _carry_session(a, b)
    status, _, screen = b.request("GET", f"/rounds/{ids.round}/screen")  # the meeting screen, from B
    assert status == 200
    url = decode_svg(re.search(r"<svg.*?</svg>", screen, re.S).group(0))[0]
    status, _, form = Host(b.base).request("GET", urlsplit(url).path)  # the respondent, on B
    assert status == 200 and "Jeg vil ikke svare" in form  # the start of the questions


def host_b_app():
    """Host B's app (gunicorn "tests.test_two_hosts:host_b_app()"): the production configuration, with
    the shared settings given explicitly, so a developer's instance/settings.py (made by `make run`,
    with keys of its own) cannot stand between the two hosts."""
    return create_app({"SECRET_KEY": os.environ["SECRET_KEY"], "LINK_KEYS": [os.environ["SAMSTEM_LINK_KEY"]],
                       "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
                       "RATELIMIT_STORAGE_URI": os.environ["RATELIMIT_STORAGE_URI"],
                       "SESSION_COOKIE_SECURE": False, "REMEMBER_COOKIE_SECURE": False})
