"""The shipped gunicorn.conf.py (issue 13, "Running it in production"): workers, timeouts and
graceful shutdown from the environment; and a real gunicorn with two workers whose Prometheus
counts add up (multiprocess mode) and whose every log line is JSON without a token.
"""

import json
import os
import re
import runpy
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest

from app.config import TestConfig
from app.tokens import new_token

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ("SAMSTEM_WORKERS", "SAMSTEM_TIMEOUT", "SAMSTEM_GRACEFUL_TIMEOUT", "SAMSTEM_MAX_REQUESTS",
            "SAMSTEM_BIND", "SAMSTEM_LOG_FORMAT", "SAMSTEM_METRICS", "PROMETHEUS_MULTIPROC_DIR")


def _settings(monkeypatch, **environment) -> dict:
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_the_defaults_follow_the_cores_and_mask_tokens(monkeypatch):
    settings = _settings(monkeypatch)
    assert [settings["default_workers"](cores) for cores in (1, 2, 3, 16)] == [3, 5, 7, 8]
    assert settings["workers"] == settings["default_workers"](os.cpu_count())
    assert (settings["timeout"], settings["graceful_timeout"]) == (60, 30)
    assert (settings["max_requests"], settings["max_requests_jitter"]) == (1000, 100)
    assert settings["bind"] == "127.0.0.1:8000" and settings["accesslog"] == "-"
    assert settings["logger_class"].__name__ == "TokenMaskingLogger"
    assert settings["control_socket_disable"] is True


def test_the_environment_sets_workers_timeouts_and_json(monkeypatch):
    settings = _settings(monkeypatch, SAMSTEM_WORKERS="3", SAMSTEM_TIMEOUT="120", SAMSTEM_GRACEFUL_TIMEOUT="10",
                         SAMSTEM_BIND="0.0.0.0:8080", SAMSTEM_LOG_FORMAT="json")
    assert (settings["workers"], settings["timeout"], settings["graceful_timeout"]) == (3, 120, 10)
    assert settings["bind"] == "0.0.0.0:8080"
    assert settings["accesslog"] is None  # the app writes the JSON request line instead


def _get(url: str) -> tuple[int, str]:
    try:
        with urlopen(url, timeout=60) as response:
            return response.status, response.read().decode()
    except HTTPError as error:
        return error.code, error.read().decode()


def _lines(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text().splitlines() if line.strip()]


def _serving(server: subprocess.Popen, log: Path) -> int:
    """Wait for gunicorn to listen and a worker to answer; return the port."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        said = [line["message"] for line in _lines(log) if "Listening at:" in line.get("message", "")]
        if said:
            port = int(re.search(r":(\d+) ", said[0]).group(1))
            try:
                if _get(f"http://127.0.0.1:{port}/healthz")[0] == 200:
                    return port
            except OSError:
                pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


@pytest.fixture
def gunicorn(app, tmp_path):
    """gunicorn as production runs it: two workers, JSON logs, metrics. Each worker serves one
    request and is replaced, so every request below is answered by another process."""
    log = tmp_path / "gunicorn.log"
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS} | {
        "SECRET_KEY": "x" * 32, "SAMSTEM_LINK_KEY": TestConfig.LINK_KEYS[0],
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SAMSTEM_INSECURE_COOKIES": "1", "SAMSTEM_BIND": "127.0.0.1:0", "SAMSTEM_WORKERS": "2",
        "SAMSTEM_MAX_REQUESTS": "1", "SAMSTEM_LOG_FORMAT": "json", "SAMSTEM_METRICS": "1",
    }
    with log.open("w") as output:
        server = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "wsgi:app"], cwd=ROOT,
                                  env=environment, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{_serving(server, log)}", log
    finally:
        server.send_signal(signal.SIGTERM)  # a graceful stop
        assert server.wait(60) == 0


def test_two_workers_add_up_their_counts_and_log_json_without_a_token(gunicorn, make, caseworker):
    base, log = gunicorn
    token = make.emma(caseworker).tokens["mother"]
    dead = [new_token() for _ in range(2)]
    assert _get(f"{base}/r/{token}")[0] == 200
    assert [_get(f"{base}/r/{guess}")[0] for guess in dead] == [404] * 2
    status, metrics = _get(f"{base}/metrics")
    assert status == 200
    # Three requests, three processes: /metrics, answered by a fourth, adds up every one's counts.
    count = 'flask_http_request_duration_seconds_count{endpoint="respond.start",method="GET",status="%s"} %s'
    assert count % (200, "1.0") in metrics and count % (404, "2.0") in metrics
    assert not any(secret in metrics for secret in [token, *dead, "/r/"])

    time.sleep(0.5)  # the last request line is written after the response
    written, lines = log.read_text(), _lines(log)  # every line JSON, gunicorn's own too
    assert any("Booting worker" in line["message"] for line in lines)
    starts = [line for line in lines if line.get("endpoint") == "respond.start"]
    assert sorted(line["status"] for line in starts) == [200, 404, 404]
    assert not any(secret in written for secret in [token, *dead, "/r/"])
