"""The rate limits as production runs them: counted in one Redis (issue 12 item 11).

Each worker keeps its own counts in memory unless RATELIMIT_STORAGE_URI points at Redis (the
README's production setting). These tests start a real redis-server, build two apps on it and
show that the counts are written there and read back by the limits; tests/test_two_hosts.py
shows the same with a second host in a process of its own. `make test` installs redis-server
and sets REQUIRE_REDIS=1, so there they fail rather than skip when it is missing.
"""

import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis

from app import create_app
from app.extensions import db
from tests.conftest import _config
from tests.factories import PASSWORD

DEAD = "0" * 26


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory) -> Iterator[str]:
    """A throwaway redis-server on a private Unix socket; yields its redis+unix:// URI."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("REQUIRE_REDIS"):
            raise RuntimeError("REQUIRE_REDIS is set but redis-server is missing: make system-test-deps")
        pytest.skip("redis-server is not installed")
    directory = tmp_path_factory.mktemp("redis")
    socket = directory / "redis.sock"
    server = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(socket), "--save", "",
                               "--appendonly", "no", "--dir", str(directory)], stdout=subprocess.DEVNULL)
    client = redis.Redis(unix_socket_path=str(socket))
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield f"redis+unix://{socket}"
    server.terminate()
    server.wait(10)


def counted_in_redis(uri: str) -> list[bytes]:
    """The rate-limit counters Redis holds (flask-limiter's keys begin with LIMITS)."""
    return redis.Redis(unix_socket_path=uri.removeprefix("redis+unix://")).keys("LIMITS*")


@pytest.fixture
def workers(app, redis_server) -> Iterator[list]:
    """Two apps on the same database and the same Redis, counts emptied first."""
    redis.Redis(unix_socket_path=redis_server.removeprefix("redis+unix://")).flushall()
    config = _config(app.config["SQLALCHEMY_DATABASE_URI"]) | {"RATELIMIT_STORAGE_URI": redis_server}
    apps = [create_app(config) for _ in range(2)]
    yield [worker.test_client() for worker in apps]
    for worker in apps:
        with worker.app_context():
            db.engine.dispose()


def test_dead_links_count_across_workers_and_working_links_still_open(workers, app, make, caseworker, redis_server):
    ids = make.emma(caseworker)
    first, second = workers
    for worker in workers:
        worker.application.config["TOKEN_FAILURE_LIMIT"] = "5 per minute"
    statuses = [first.get(f"/r/{DEAD}").status_code for _ in range(3)]
    statuses += [second.get(f"/r/{DEAD}").status_code for _ in range(3)]
    assert statuses == [404] * 5 + [429]
    assert any(b"token-failures" in key for key in counted_in_redis(redis_server))
    assert first.get(f"/r/{DEAD}").status_code == 429
    assert second.get(f"/r/{ids.tokens['mother']}").status_code == 200


def test_a_locked_user_name_is_locked_on_every_worker(workers, caseworker, redis_server):
    first, second = workers
    for attempt in range(5):
        (first if attempt % 2 else second).post("/login", data={"username": "anne", "password": "wrong"})
    assert first.post("/login", data={"username": "anne", "password": PASSWORD}).status_code == 429
    assert second.post("/login", data={"username": "anne", "password": PASSWORD}).status_code == 429
    assert any(b"login:anne" in key for key in counted_in_redis(redis_server))
