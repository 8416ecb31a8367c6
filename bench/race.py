"""The respondent flow under the ways real phones misbehave, with a worker killed mid-run.

Run by bench/load.py after its throughput runs (`--race-respondents`, default 2,000, on
gunicorn with 4 workers on PostgreSQL), or alone:

    scripts/with-postgres.sh .venv/bin/python -u bench/race.py [--respondents 2000] [--workers 4]

50 respondents at a time each open their form (GET) and send it (POST), as a browser does:
the page's hidden fields (such as the submission id) are sent back with the answers.
- 10 % double-submit: the same answer is posted twice at the same instant (a double tap);
- 5 % retry after a dropped connection: the answer is sent, the connection closed before the
  reply is read, and the answer sent again;
- halfway through, one gunicorn worker is killed with SIGKILL (the master starts another).
It prints requests/s, p50/p95/p99 of the answer posts, and per respondent: acknowledged (a
post was answered with the thank-you redirect), stored, duplicated (more rows than forms:
the same answer stored twice) and lost (acknowledged but not stored) — the last two must be 0.
A request that failed because its worker was killed is retried once, as a browser's user would.
A measurement, not a test: it always exits 0 (tests/test_exactly_once.py holds the small CI race).
"""

import argparse
import html
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load  # noqa: E402

CLIENTS = 50
INPUT = re.compile(r"<input\b[^>]*>")
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def hidden_fields(page: str) -> dict[str, str]:
    """The page's hidden inputs (such as the submission id), whatever the order of their attributes."""
    found = {}
    for tag in INPUT.findall(page):
        attributes = dict(ATTRIBUTE.findall(tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            found[attributes["name"]] = html.unescape(attributes.get("value", ""))
    return found


@dataclass
class Tally:
    posts: list[float] = field(default_factory=list)  # seconds per answer post
    requests: int = 0
    acknowledged: set[str] = field(default_factory=set)
    errors: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, token: str, seconds: float, status: int, is_post: bool) -> None:
        with self.lock:
            self.requests += 1
            if is_post:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                self.posts.append(seconds)
                if status == 302:
                    self.acknowledged.add(token)
            if status >= 500:
                self.errors += 1


def _request(base: str, method: str, path: str, body: str = "", drop: bool = False) -> tuple[int, str]:
    """Send one request on a fresh connection; with `drop`, close it without reading the reply."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if method == "POST" else {}
    try:
        connection.request(method, path, body=body.encode() if body else None, headers=headers)
        if drop:
            connection.sock.shutdown(socket.SHUT_RDWR)
            return 0, ""
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def _with_retry(base: str, method: str, path: str, body: str = "") -> tuple[int, str]:
    """A user whose page failed (its worker was killed) tries once more."""
    try:
        status, text = _request(base, method, path, body)
    except (OSError, http.client.HTTPException):
        status, text = 0, ""
    if status == 0 or status == 502:
        time.sleep(0.2)
        status, text = _request(base, method, path, body)
    return status, text


def respondent(base: str, token: str, answer: str, behaviour: str, tally: Tally) -> None:
    path = f"/r/{token}/form"
    started = time.monotonic()
    status, page = _with_retry(base, "GET", path)
    tally.note(token, time.monotonic() - started, status, False)
    hidden = hidden_fields(page)
    body = urlencode(dict(parse_qsl(answer)) | hidden)
    if behaviour == "double":
        barrier = threading.Barrier(2)

        def tap() -> None:
            barrier.wait()
            begun = time.monotonic()
            tapped, _ = _with_retry(base, "POST", path, body)
            tally.note(token, time.monotonic() - begun, tapped, True)

        second = threading.Thread(target=tap)
        second.start()
        tap()
        second.join()
        return
    if behaviour == "retry":
        try:
            _request(base, "POST", path, body, drop=True)
        except OSError:
            pass
    begun = time.monotonic()
    status, _ = _with_retry(base, "POST", path, body)
    tally.note(token, time.monotonic() - begun, status, True)


def kill_one_worker(master: subprocess.Popen) -> int | None:
    """SIGKILL one of gunicorn's workers (a child of the master); return its pid."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children")
    pids = [int(p) for p in children.read_text().split()] if children.exists() else []
    if not pids:
        return None
    os.kill(pids[0], signal.SIGKILL)
    return pids[0]


def counts(url: str, tokens: list[str]) -> dict[str, tuple[int, int]]:
    """Per token: (current responses, all response rows) — every row a form's answer."""
    from sqlalchemy import create_engine, text

    from app.tokens import hash_token

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT invitation.token_hash, count(response.id) FILTER (WHERE response.superseded_at IS NULL),"
            " count(response.id)"
            " FROM invitation LEFT JOIN response ON response.invitation_id = invitation.id"
            " WHERE invitation.token_hash = ANY(:hashes) GROUP BY invitation.token_hash"),
            {"hashes": [hash_token(t) for t in tokens]}).all()
    engine.dispose()
    by_hash = {row[0]: (row[1], row[2]) for row in rows}
    return {token: by_hash.get(hash_token(token), (0, 0)) for token in tokens}


def forms_of(body: str) -> int:
    return len({key.split(".", 1)[0] for key, _ in parse_qsl(body)})


def run(url: str, links: list[tuple[str, str]], workers: int) -> None:
    random.seed(12)
    behaviours = ["double" if r < 0.10 else "retry" if r < 0.15 else "plain" for r in
                  (random.random() for _ in links)]
    server, base = load.serve("bench.load:samstem()", workers, url, "/code")
    tally, killed = Tally(), None
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(CLIENTS) as pool:
            futures = [pool.submit(respondent, base, token, answer, behaviour, tally)
                       for (token, answer), behaviour in zip(links, behaviours, strict=True)]
            while killed is None and any(not f.done() for f in futures):
                if sum(f.done() for f in futures) >= len(futures) // 2:
                    killed = kill_one_worker(server) or -1
                time.sleep(0.05)
            for future in futures:
                future.exception()
        seconds = time.monotonic() - started
    finally:
        load.stop(server)
    report(url, links, behaviours, tally, seconds, workers, killed)


def report(url: str, links, behaviours, tally: Tally, seconds: float, workers: int, killed) -> None:
    found = counts(url, [token for token, _ in links])
    stored = {t for t, (current, _) in found.items() if current > 0}
    duplicated = sum(1 for (t, body) in links if found[t][1] > forms_of(body))
    lost = len(tally.acknowledged - stored)
    posts = sorted(tally.posts)

    def pct(p: float) -> float:
        return posts[min(len(posts) - 1, int(p * len(posts)))] * 1000 if posts else 0.0

    print(f"\nrace: gunicorn, {workers} sync workers, {CLIENTS} respondents at a time, PostgreSQL; "
          f"{behaviours.count('double')} double-submits, {behaviours.count('retry')} retries after a dropped "
          f"connection, worker {killed} killed halfway")
    print(f"  {tally.requests} requests in {seconds:.1f} s = {tally.requests / seconds:.0f} req/s; answer posts "
          f"p50 {statistics.median(posts) * 1000 if posts else 0:.1f} ms, p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms; "
          f"server errors {tally.errors}; answer posts by status {dict(sorted(tally.statuses.items()))}")
    print(f"  respondents {len(links)}: acknowledged {len(tally.acknowledged)}, stored {len(stored)}, "
          f"duplicated {duplicated}, lost {lost} (the last two must be 0)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or os.environ.get("TEST_DATABASE_URL")
    if not url:
        script = ROOT / "scripts" / "with-postgres.sh"
        os.execv(str(script), [str(script), sys.executable, *sys.argv])
    url = url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url
    run(url, load.build(url, args.respondents), args.workers)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a measurement: report and exit 0
        print(f"bench/race.py stopped: {error!r}")
    sys.exit(0)
