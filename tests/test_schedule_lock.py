"""Scheduled commands run once at a time, however many hosts run their timers (issue 13,
"Running it in production": outbox send, purge and reminders are safe on more than one host).

The lock (app/schedule_lock.py) is a PostgreSQL advisory lock, or a file lock beside an SQLite
database. The concurrent test is real: a `flask outbox send` process is held inside its SMS
adapter while a second run starts; only the first sends.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from app.config import TestConfig
from app.extensions import db
from app.outbox import queue_sms
from app.outbox.models import OutboxMessage
from app.outbox.senders import SmsSender
from app.schedule_lock import held, lock_key

ROOT = Path(__file__).resolve().parent.parent
BUSY = "another run of `outbox send` holds the lock; this run did nothing"


class GatedSms(SmsSender):
    """An SMS adapter that says it is sending (a file), then waits for the test's go (another)."""

    def send(self, recipient: str, body: str) -> None:
        gate = Path(os.environ["GATE_DIR"])
        with (gate / "sending").open("a") as sending:
            sending.write(f"{recipient}\n")
        deadline = time.monotonic() + 60
        while not (gate / "go").exists() and time.monotonic() < deadline:
            time.sleep(0.05)


def _queue(app) -> int:
    with app.app_context():
        message = queue_sms("+45 87 65 43 21", "Husk mødet i morgen kl. 10.")
        db.session.commit()
        return message.id


def _sent(app, message_id: int) -> tuple[bool, int]:
    with app.app_context():
        message = db.session.get(OutboxMessage, message_id)
        return message.sent_at is not None, message.attempts


def test_the_lock_key_is_the_same_everywhere_and_differs_per_command():
    assert lock_key("outbox send") == lock_key("outbox send")
    assert lock_key("outbox send") != lock_key("purge")
    assert -(2 ** 63) <= lock_key("purge") < 2 ** 63


def test_a_run_gives_way_quietly_while_another_holds_the_lock(app, runner):
    message_id = _queue(app)
    with app.app_context(), held("outbox send") as mine:
        assert mine
        result = runner.invoke(args=["outbox", "send"])
        assert result.exit_code == 0, result.output
        assert BUSY in result.output and "sent" not in result.output
        assert _sent(app, message_id) == (False, 0)
        with held("purge") as other:  # another command's lock is another lock
            assert other
    result = runner.invoke(args=["outbox", "send"])
    assert "sent 1, failed 0, given up 0" in result.output
    assert _sent(app, message_id) == (True, 1)


def test_two_concurrent_runs_only_one_sends(app, runner, tmp_path):
    message_id = _queue(app)
    environment = os.environ | {
        "SECRET_KEY": "x" * 32, "SAMSTEM_LINK_KEY": TestConfig.LINK_KEYS[0],
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SMS_SENDER": "tests.test_schedule_lock:GatedSms", "GATE_DIR": str(tmp_path),
    }
    first = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "outbox", "send"], cwd=ROOT,
                             env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "sending").exists():
            assert first.poll() is None and time.monotonic() < deadline, first.communicate()
            time.sleep(0.05)
        second = runner.invoke(args=["outbox", "send"])  # the first run is inside its send
        assert second.exit_code == 0, second.output
        assert BUSY in second.output and "sent" not in second.output
    finally:
        (tmp_path / "go").touch()
        out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert "sent 1, failed 0, given up 0" in out
    assert (tmp_path / "sending").read_text().splitlines() == ["+45 87 65 43 21"]
    assert _sent(app, message_id) == (True, 1)
