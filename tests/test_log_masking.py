"""No respondent's token in any log line (issue 12 "Trust", item 10)."""

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from werkzeug.serving import make_server

from app.config import TestConfig
from app.logmask import mask
from app.tokens import new_token

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("line, masked", [
    ('"GET /r/ABCDEFGHJKMNPQRSTVWXYZ012/form HTTP/1.1" 200', '"GET /r/…/form HTTP/1.1" 200'),
    ("/o/ABCDEFGHJKMNPQRSTVWXYZ012", "/o/…"),
    ("http://x/r/ABCDEFGHJKMNPQRSTVWXYZ012?lang=en", "http://x/r/…?lang=en"),
    # A short SMS link (issue 18 item 4) is the token too.
    ('"GET /c54VeoXoYbBLF5stuipkfA HTTP/1.1" 200', '"GET /… HTTP/1.1" 200'),
    ('"GET /c54VeoXoYbBLF5stuipkfA?lang=en HTTP/1.1" 200', '"GET /…?lang=en HTTP/1.1" 200'),
    ("/cases/12/rounds/3", "/cases/12/rounds/3"),  # staff paths hold no token
    ("/static/respond.css", "/static/respond.css"),
])
def test_mask_hides_the_token_of_a_path_and_nothing_else(line, masked):
    assert mask(line) == masked


def _get(url: str, **headers) -> None:
    try:
        urlopen(Request(url, headers=headers), timeout=30).read()
    except HTTPError:
        pass


def test_the_development_servers_access_log_holds_no_token(app, caplog):
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    token = new_token()
    try:
        with caplog.at_level(logging.INFO, logger="werkzeug"):
            _get(f"http://127.0.0.1:{server.server_port}/r/{token}/form")
    finally:
        server.shutdown()
    lines = [record.getMessage() for record in caplog.records if record.name == "werkzeug"]
    assert any("/r/…/form" in line for line in lines), lines
    assert not any(token in line for line in lines)


def test_gunicorns_access_log_with_the_shipped_settings_holds_no_token(tmp_path):
    database = f"sqlite:///{tmp_path}/samstem.sqlite"
    environment = os.environ | {"SECRET_KEY": "x" * 32, "SAMSTEM_LINK_KEY": TestConfig.LINK_KEYS[0],
                                "DATABASE_URL": database, "SAMSTEM_INSECURE_COOKIES": "1", "SAMSTEM_WORKERS": "1"}
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], cwd=ROOT, env=environment,
                   check=True, capture_output=True)
    log = tmp_path / "access.log"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen([str(gunicorn), "--bind", "127.0.0.1:0", "--access-logfile", str(log),
                               "--error-logfile", str(tmp_path / "error.log"), "wsgi:app"],
                              cwd=ROOT, env=environment)
    token = new_token()
    try:
        port = _port_of(server, tmp_path / "error.log")
        _get(f"http://127.0.0.1:{port}/r/{token}/form", Referer=f"http://127.0.0.1:{port}/r/{token}")
        _get(f"http://127.0.0.1:{port}/o/{token}")
    finally:
        server.terminate()
        server.wait(20)
    written = log.read_text()
    assert "/r/…/form" in written and "/o/…" in written
    assert token not in written


def _port_of(server: subprocess.Popen, error_log: Path) -> int:
    """Read the port gunicorn chose from its error log ("Listening at: http://127.0.0.1:N")."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if error_log.exists() and "Listening at:" in error_log.read_text():
            line = next(x for x in error_log.read_text().splitlines() if "Listening at:" in x)
            port = int(line.rsplit(":", 1)[1].split()[0])
            for _ in range(100):  # the worker may still be loading the app
                try:
                    urlopen(f"http://127.0.0.1:{port}/code", timeout=30).read()
                    return port
                except OSError:
                    time.sleep(0.2)
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("gunicorn did not start")
