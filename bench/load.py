"""Load the respondent flow (open a link's form, post the answer) and three baselines, in one run.

Run: scripts/with-postgres.sh .venv/bin/python bench/load.py [--respondents 1000] [--workers 2 4]
     (without DATABASE_URL or TEST_DATABASE_URL it runs itself through scripts/with-postgres.sh)

For each number of gunicorn workers (sync workers, as `gunicorn wsgi:app` runs by default),
on PostgreSQL, with 50 clients at once:
- three baselines from bench/baseline.py, 5 seconds each: a bare Flask page, a page doing
  one SELECT, and a page doing SELECT + INSERT + COMMIT;
- Samstem's lightest page, /code (no database): what Samstem's request handling (session,
  language, rate limit, security headers, request boundary) costs before a page does anything;
- Samstem's respondent flow: `--respondents` people, each with their own link (Emma-like
  cases of five people, the forms the proposal gives each role), each opening the form
  (GET /r/<token>/form) and posting a complete answer (POST, answered with 302).
It prints requests/s, p50 and p95 for each, the flow's ratios to the SELECT + INSERT +
COMMIT page (targets: at least 0.5 of its throughput, at most 2x its p95), and how many
answers were stored. A measurement, not a test: it always exits 0.

The load generator is wrk (Debian's package, installed on first run by scripts/apt-ensure.sh): written in C,
it takes little of the two shared cores, where a Python client running 50 connections
would compete with the server it measures and flatten the baselines. A Lua script gives
each connection the next respondent's token, GET then POST, and stops a thread when its
share of respondents is done; each thread notes its wall-clock start and end, so the flow's
requests/s are over the time it ran, not over wrk's fixed duration. The forms are served
without the CSRF field (WTF_CSRF_ENABLED off) so wrk need not carry a session cookie
between the GET and the POST; everything else is as configured for production.
Then bench/race.py's run: the flow with double-submits, retries after dropped connections and a
worker killed halfway, on 4 workers (`--race-respondents`, default 2,000; 0 to skip).
Takes about 10 minutes on 2 cores (1,000 respondents, 2 and 4 workers, then the race), so it is
not part of `make bench`.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.fernet import Fernet  # noqa: E402
from flask import Flask  # noqa: E402

from app import create_app  # noqa: E402

CLIENTS = 50
BASELINE_SECONDS = 5
SECRET = secrets.token_hex(32)
LINK_KEY = Fernet.generate_key().decode()

def answer(instrument_ids: list[str]) -> dict[str, str]:
    """Return a complete, valid answer to each form, from the forms' own items (needs an app context):
    7 on a line, the middle of a scale, the first of other choices, a short text where one is asked."""
    from app.instruments import find_form

    data = {}
    for form in filter(None, map(find_form, instrument_ids)):
        for item in form.items:
            name = f"{form.id}.{item.key}"
            if item.type == "vas":
                data[name] = "7"
            elif item.values:
                data[name] = item.values[len(item.values) // 2] if item.type == "scale" else item.values[0]
            elif item.type in ("text", "longtext"):
                data[name] = "Et godt møde."
    return data


def samstem() -> Flask:
    """Build Samstem as production would run it, on DATABASE_URL (gunicorn "bench.load:samstem()")."""
    return create_app({
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY", SECRET),
        "LINK_KEYS": os.environ.get("BENCH_LINK_KEY", LINK_KEY),
        "SQLALCHEMY_DATABASE_URI": os.environ["DATABASE_URL"],
        "WTF_CSRF_ENABLED": False,
        "SESSION_COOKIE_SECURE": False,
    })


def build(url: str, respondents: int) -> list[tuple[str, str]]:
    """Create the schema and Emma-like cases; return (token, posted body) per respondent."""
    from flask_login import login_user
    from flask_migrate import upgrade

    from app.auth.models import Team, User
    from app.cases import services as cases
    from app.demo import PEOPLE
    from app.extensions import db
    from app.invitations import services as rounds

    os.environ["DATABASE_URL"] = url
    app = samstem()
    links: list[tuple[str, str]] = []
    with app.test_request_context():
        upgrade()
        user = User(username=f"bench{secrets.token_hex(4)}", name="Anne Rådgiver", roles={"caseworker"},
                    team=Team(name="Team Bench"))
        user.set_password(secrets.token_hex(8))
        db.session.add(user)
        db.session.commit()
        login_user(user)
        while len(links) < respondents:
            case = cases.create_case(user, "Emma", 2016, None)
            for role, name, relation in PEOPLE:
                person = {"role": role, "first_name": name, "relation": relation, "language": "da"}
                cases.save_person(case, None, person)
            meeting = cases.record_meeting(case, "network_meeting", case.created_at.date(), [p.id for p in case.people])
            choices = {pid: [i.id for i in found] for pid, found in rounds.proposal(meeting).items()}
            round_, issued = rounds.open_round(meeting, user, choices)
            links += [(issued[i.id], urlencode(answer(i.instrument_ids))) for i in round_.invitations]
            db.session.commit()
        db.engine.dispose()
    return links[:respondents]


def stored(url: str, tokens: list[str]) -> int:
    """Count how many of these links hold a current answer."""
    from sqlalchemy import create_engine, text

    from app.tokens import hash_token

    engine = create_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(
            text("SELECT count(DISTINCT invitation.id) FROM invitation JOIN response"
                 " ON response.invitation_id = invitation.id AND response.superseded_at IS NULL"
                 " WHERE invitation.token_hash = ANY(:hashes)"),
            {"hashes": [hash_token(t) for t in tokens]})
    engine.dispose()
    return count or 0


class Progress:
    """Tell when every link holds an answer, or none was added for 10 seconds (a request wrk lost)."""

    def __init__(self, url: str, tokens: list[str]) -> None:
        self.url, self.tokens = url, tokens
        self.count, self.at = 0, time.monotonic()

    def __call__(self) -> bool:
        count = stored(self.url, self.tokens)
        if count > self.count:
            self.count, self.at = count, time.monotonic()
        return count >= len(self.tokens) or time.monotonic() - self.at > 10


# --- serving and loading ------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(target: str, workers: int, url: str, probe: str) -> tuple[subprocess.Popen, str]:
    """Start gunicorn with the given app and worker count; return it and its base URL once every worker answers."""
    port = free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [str(gunicorn), "--chdir", str(ROOT), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "--backlog", "2048", target],
        env=os.environ | {"DATABASE_URL": url, "BENCH_SECRET_KEY": SECRET, "BENCH_LINK_KEY": LINK_KEY},
    )
    base = f"http://127.0.0.1:{port}"
    deadline, answered = time.monotonic() + 120, 0
    # The socket listens before the workers have loaded the app: wait for real answers.
    while time.monotonic() < deadline and answered < 4 * workers:
        try:
            with urlopen(base + probe, timeout=30) as response:
                answered += response.status == 200
        except OSError:
            time.sleep(0.2)
    if answered < 4 * workers:
        server.kill()
        raise RuntimeError(f"gunicorn did not start: {target}")
    return server, base


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# Prints one line the bench reads: requests, seconds, p50 and p95 in microseconds, errors.
LUA_DONE = """
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %.3f %d %d %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), e.connect + e.read + e.write + e.status + e.timeout))
end
"""

LUA_THREADS = """
threads = {}
local count = 0
function setup(thread)
  thread:set("id", count)
  count = count + 1
  table.insert(threads, thread)
end
"""

LUA_POST = LUA_THREADS + """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = ""
""" + LUA_DONE

# Each thread takes every n-th respondent; each respondent is a GET of the form, then a POST.
# A connection with no respondent left asks for a missing static file (404) until bench/load.py
# sees every answer stored and interrupts wrk. (It must not sit idle instead: a sync worker
# that accepted an idle connection waits on it.)
LUA_FLOW = LUA_THREADS + """
local links, sent = {}, 0

function init(args)
  local n, i = tonumber(args[2]), 0
  for line in io.lines(args[1]) do
    if i % n == id then
      local token, body = line:match("^(%S+) (.*)$")
      table.insert(links, {token, body})
    end
    i = i + 1
  end
end

function request()
  sent = sent + 1
  local link = links[math.floor((sent - 1) / 2) + 1]
  if link == nil then return wrk.format("GET", "/static/none") end
  local path = "/r/" .. link[1] .. "/form"
  if sent % 2 == 1 then return wrk.format("GET", path) end
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, link[2])
end
""" + LUA_DONE


@dataclass
class Result:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def load(name: str, url: str, script: str, seconds: int, *args: str, threads: int = 2,
         finished: Callable[[], bool] | None = None) -> Result:
    """Run wrk with 50 connections and the script; return what its done() printed.

    With `finished` (the flow), wrk is interrupted (it then reports) as soon as `finished()`
    says every answer is stored, and the flow's time is from wrk's start until then.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script)
    command = ["wrk", f"-t{threads}", f"-c{CLIENTS}", f"-d{seconds}s", "--timeout", "10s", "-s", lua.name, url]
    started = time.monotonic()
    wrk = subprocess.Popen(command + (["--", *args] if args else []), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    took = None
    while finished is not None and wrk.poll() is None:
        if finished():
            took = getattr(finished, "at", time.monotonic()) - started
            wrk.send_signal(signal.SIGINT)
            break
        time.sleep(0.1)
    output = wrk.communicate()[0]
    Path(lua.name).unlink()
    if os.environ.get("BENCH_DEBUG"):
        print(output)
    line = next((x for x in output.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        print(f"  {name}: wrk printed no result:\n{output}")
        return Result(name, 0, 0.0, 0.0, 0.0, 0)
    requests, secs, p50, p95, errors = line.split()[1:]
    return Result(name, int(requests), took or float(secs), int(p50) / 1000, int(p95) / 1000, int(errors))


def run(workers: int, url: str, links: list[tuple[str, str]]) -> list[Result]:
    """Measure the baselines and then the flow, both served by gunicorn with `workers` workers."""
    results = []
    server, base = serve("bench.baseline:create()", workers, url, "/bare")
    try:
        results.append(load("bare page", f"{base}/bare", LUA_THREADS + LUA_DONE, BASELINE_SECONDS))
        results.append(load("SELECT", f"{base}/select", LUA_THREADS + LUA_DONE, BASELINE_SECONDS))
        results.append(load("SELECT+INSERT+COMMIT", f"{base}/write", LUA_POST, BASELINE_SECONDS))
    finally:
        stop(server)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as listing:
        listing.writelines(f"{token} {body}\n" for token, body in links)
    server, base = serve("bench.load:samstem()", workers, url, "/code")
    try:
        # Samstem's lightest page (the typed-code form: no database, a small template) shows
        # what Samstem's own request handling costs before a respondent page does anything.
        results.append(load("Samstem /code (no db)", f"{base}/code", LUA_THREADS + LUA_DONE, BASELINE_SECONDS))
        threads = 2
        # A ceiling only: wrk is stopped when every thread's respondents are done.
        seconds = 600
        progress = Progress(url, [token for token, _ in links])
        flow = load("respondent flow", base, LUA_FLOW, seconds, listing.name, str(threads), threads=threads,
                    finished=progress)
        # Its requests: a GET and a POST per answer stored (the tail's 404s are not counted).
        flow.requests = 2 * progress.count
        results.append(flow)
    finally:
        stop(server)
        os.unlink(listing.name)
    return results


def report(workers: int, results: list[Result], answered: int, respondents: int) -> None:
    print(f"\ngunicorn, {workers} sync workers, {CLIENTS} concurrent clients, PostgreSQL")
    print(f"  {'page':24} {'requests':>9} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7}")
    for r in results:
        print(f"  {r.name:24} {r.requests:9d} {r.rps:8.0f} {r.p50_ms:8.1f} {r.p95_ms:8.1f} {r.errors:7d}")
    by_name = {r.name: r for r in results}
    flow, write = by_name["respondent flow"], by_name["SELECT+INSERT+COMMIT"]
    if write.rps and write.p95_ms:
        throughput, p95 = flow.rps / write.rps, flow.p95_ms / write.p95_ms
        print(f"  flow / SELECT+INSERT+COMMIT: throughput {throughput:.2f} (target >= 0.5), "
              f"p95 {p95:.2f}x (target <= 2)")
    for name in ("bare page", "SELECT", "Samstem /code (no db)"):
        if by_name[name].rps:
            print(f"  flow / {name}: throughput {flow.rps / by_name[name].rps:.2f}")
    print(f"  answers stored: {answered} of {respondents} respondents")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[2, 4])
    parser.add_argument("--race-respondents", type=int, default=2000)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv(str(script), [str(script), sys.executable, *sys.argv])
    if shutil.which("wrk") is None:
        subprocess.run([str(ROOT / "scripts" / "apt-ensure.sh"), "wrk"], check=False)
    if shutil.which("wrk") is None:
        print("wrk could not be installed: scripts/apt-ensure.sh wrk")
        return
    url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    from bench.baseline import prepare

    started = time.monotonic()
    links = build(url, args.respondents * len(args.workers) + args.race_respondents)
    prepare(url)
    print(f"built {len(links)} links in {time.monotonic() - started:.0f} s; {os.cpu_count()} cores")
    for number, workers in enumerate(args.workers):
        batch = links[number * args.respondents:(number + 1) * args.respondents]
        results = run(workers, url, batch)
        report(workers, results, stored(url, [token for token, _ in batch]), len(batch))
    if args.race_respondents:
        from bench import race

        race.run(url, links[len(args.workers) * args.respondents:], 4)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a measurement: report and exit 0
        print(f"bench/load.py stopped: {error!r}")
    sys.exit(0)
